//! `tdesk export csv|json [QUERY] [--out FILE] [--excel]`. CSV cells that a
//! spreadsheet would run as a formula (starting with = + - @, tab or CR)
//! are neutralised with a leading apostrophe. A file is written whole
//! beside its target and renamed into place, so an interrupted export never
//! leaves half a file; in enforced team mode it belongs to the member's own
//! group, not the data group.

use crate::text::csv_cell;
use std::io::Write;
use std::path::Path;

use super::args::{ExportArgs, join_query};
use super::output::line;
use super::{Session, Streams};
use crate::error::{Error, Result};
use crate::interchange::json::ExportedTicket;
use crate::service::Desk;

const HEADER: [&str; 26] = [
    "number",
    "title",
    "status",
    "priority",
    "type",
    "category",
    "channel",
    "customer",
    "customer_email",
    "assignee",
    "team",
    "tags",
    "created",
    "updated",
    "first_response",
    "resolved",
    "closed",
    "due",
    "accepted",
    "rating",
    "resolution",
    "cause",
    "prevention",
    "accepted_by",
    "reopens",
    "description",
];

fn csv_row(d: &ExportedTicket) -> String {
    let t = &d.ticket;
    let time =
        |v: Option<chrono::DateTime<chrono::Utc>>| v.map(|t| t.to_rfc3339()).unwrap_or_default();
    let cells = [
        t.id.to_string(),
        t.title.clone(),
        t.status.clone(),
        t.priority.as_str().to_string(),
        t.kind.clone(),
        t.category
            .as_ref()
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        t.channel.as_str().to_string(),
        d.customer
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        d.customer
            .as_ref()
            .and_then(|c| c.email.clone())
            .unwrap_or_default(),
        t.assignee.clone().unwrap_or_default(),
        t.team.clone().unwrap_or_default(),
        t.tags.join(" "),
        time(Some(t.created_at)),
        time(Some(t.updated_at)),
        time(t.first_response_at),
        time(t.resolved_at),
        time(t.closed_at),
        time(t.due_at),
        time(t.accepted_at),
        t.rating.map(|r| r.to_string()).unwrap_or_default(),
        t.resolution.clone().unwrap_or_default(),
        t.closure.cause.clone().unwrap_or_default(),
        t.closure.prevention.clone().unwrap_or_default(),
        t.closure
            .accepted_by
            .map(|a| a.as_str().to_string())
            .unwrap_or_default(),
        t.closure.reopens.to_string(),
        t.description.clone(),
    ];
    cells
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",")
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

pub fn run(desk: &mut Desk, a: ExportArgs, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let csv = match a.format.as_str() {
        "csv" => true,
        "json" => false,
        other => {
            return Err(Error::UnknownValue {
                field: "format",
                value: other.to_string(),
                known: "csv, json".into(),
            });
        }
    };
    if a.excel && !csv {
        return Err(Error::Invalid(crate::domain::InvalidValue::new(
            "format",
            &format!("{} --excel", a.format),
            "csv --excel",
        )));
    }
    let query = desk.parse_query(&join_query(&a.query))?;
    // Permission first: nothing is written, not even a header, for a
    // member who may not export.
    desk.require_export()?;
    let mut file = match &a.out {
        Some(path) => Some(std::io::BufWriter::new(crate::userfile::create(
            path,
            crate::userfile::Overwrite::Replace,
        )?)),
        None => None,
    };
    let to_terminal = a.out.is_none() && s.width.is_some();
    let written = {
        // Streamed, so a million tickets never sit in memory at once.
        let sink: &mut dyn Write = match &mut file {
            Some(f) => f,
            None => &mut *io.out,
        };
        write_all(desk, &query, csv, a.excel, to_terminal, sink)
    };
    let (Some(path), Some(file)) = (&a.out, file) else {
        written?;
        return Ok(());
    };
    // An error drops the unfinished file: nothing half-written stays.
    let count = written?;
    file.into_inner()
        .map_err(|e| io_error(path, e.into_error()))?
        .finish()?;
    line(
        io.out,
        &s.cat.f(
            "cli.exported",
            &[("count", &count), ("file", &path.display())],
        ),
    )
}

/// One record as JSON: controls are escaped by JSON itself, and what a
/// terminal would still act on (C1, DEL, bidi) as `\uXXXX` too.
fn json_bytes<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_string(value)
        .map(|json| crate::text::escape_json(json).into_bytes())
        .map_err(|e| Error::Io {
            path: "json".into(),
            message: e.to_string(),
        })
}

fn write_all(
    desk: &Desk,
    query: &crate::domain::Query,
    csv: bool,
    excel: bool,
    to_terminal: bool,
    sink: &mut dyn Write,
) -> Result<usize> {
    let w = |sink: &mut dyn Write, bytes: &[u8]| sink.write_all(bytes).map_err(super::output::io);
    if csv {
        if excel {
            // Excel reads a CSV without a byte-order mark in the machine's
            // ANSI code page: Chinese would come out as mojibake.
            w(sink, "\u{FEFF}".as_bytes())?;
        }
        w(sink, HEADER.join(",").as_bytes())?;
        w(sink, b"\r\n")?;
    } else {
        w(
            sink,
            format!(
                "{{\"format\":\"{}\",\"version\":{},\"tickets\":[\n",
                crate::interchange::json::FORMAT,
                crate::interchange::json::VERSION
            )
            .as_bytes(),
        )?;
    }
    let mut first = true;
    let (count, customers) = desk.export_each(query, |d| {
        if csv {
            let row = csv_row(d);
            // Untrusted text never reaches a terminal with control characters.
            let row = if to_terminal {
                crate::text::sanitize_block(&row).into_owned()
            } else {
                row
            };
            w(sink, row.as_bytes())?;
            w(sink, b"\r\n")
        } else {
            if !first {
                w(sink, b",\n")?;
            }
            first = false;
            w(sink, &json_bytes(d)?)
        }
    })?;
    if !csv {
        w(sink, b"\n],\"customers\":[\n")?;
        for (i, c) in desk.export_customers(&customers)?.iter().enumerate() {
            if i > 0 {
                w(sink, b",\n")?;
            }
            w(sink, &json_bytes(c)?)?;
        }
        w(sink, b"\n]}\n")?;
    }
    sink.flush().map_err(super::output::io)?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_behind_blanks_and_in_full_width() {
        for evil in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "  =1+1",
            "\u{3000}=1+1",
            "\u{a0}=1+1",
            "\u{feff}=1+1",
            "\n=1+1",
            "\t=1",
            "\r=1",
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
            " \u{3000}\u{a0}＝cmd",
        ] {
            let cell = csv_cell(evil);
            let inner = cell.trim_start_matches('"');
            assert!(inner.starts_with('\''), "{evil:?} → {cell:?}");
        }
        for fine in ["Parcel late", "退款 = refund", "", "a-b", "100"] {
            assert!(
                !csv_cell(fine).trim_start_matches('"').starts_with('\''),
                "{fine:?}"
            );
        }
    }
}
