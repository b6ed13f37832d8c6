//! `tdesk report weekly` and `tdesk report tickets`: the desk's figures for
//! a period, to standard output or a file.

use super::args::PeriodArgs;
use super::output::{self, line};
use super::{Session, Streams};
use crate::error::{Error, Result};
use crate::metrics::{Period, PeriodError};
use crate::present::service_report::{self as sr, ReportContext};
use crate::service::Desk;

use crate::metrics::MAX_DAYS;

/// The period the flags name (default: last week), in the member's zone.
pub fn period(desk: &Desk, p: &PeriodArgs, cat: &crate::i18n::Catalog) -> Result<Period> {
    let tz = desk.timezone();
    let now = desk.now().timestamp_millis();
    let invalid = |field, value: &str, expected: &str| {
        Error::Invalid(crate::domain::InvalidValue::new(field, value, expected))
    };
    if let Some(days) = p.days.filter(|d| !(1..=MAX_DAYS).contains(d)) {
        return Err(invalid(
            "days",
            &days.to_string(),
            &format!("1 … {MAX_DAYS}"),
        ));
    }
    let read = if let Some(w) = &p.week {
        Period::parse_week(w, tz)
    } else if let Some(m) = &p.month {
        Period::parse_month(m, tz)
    } else if let Some(since) = &p.since {
        Period::parse_range(since, p.until.as_deref(), now, tz)
    } else if let Some(days) = p.days {
        Ok(Period::last_days(now, days, tz))
    } else {
        Ok(Period::last_week(now, tz))
    };
    let period = read.map_err(|e| period_error(e, cat))?;
    let field = match (&p.week, &p.month) {
        (Some(_), _) => "week",
        (_, Some(_)) => "month",
        _ => "date",
    };
    // 1970 in the reader's zone may begin a few hours before the epoch.
    if period.start < -2 * 86_400_000 {
        return Err(invalid(
            field,
            &period.label(),
            cat.t("report.expected_epoch"),
        ));
    }
    if period.in_future(now) {
        return Err(invalid(
            field,
            &period.label(),
            cat.t("report.expected_begun"),
        ));
    }
    Ok(period)
}

fn period_error(e: PeriodError, cat: &crate::i18n::Catalog) -> Error {
    let (field, expected) = match e.field {
        "week" => ("week", "2026-W47"),
        "month" => ("month", "2026-11"),
        "range" => ("range", cat.t("report.expected_order")),
        "future" => ("date", cat.t("report.expected_begun")),
        _ => ("date", "2026-11-01"),
    };
    Error::Invalid(crate::domain::InvalidValue::new(field, &e.value, expected))
}

fn unknown_format(format: &str, known: &str) -> Error {
    Error::UnknownValue {
        field: "format",
        value: format.to_string(),
        known: known.into(),
    }
}

fn emit(
    text: &str,
    out: Option<&std::path::Path>,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    match out {
        Some(path) => {
            crate::userfile::write(path, text.as_bytes(), crate::userfile::Overwrite::Replace)?;
            line(
                io.out,
                &s.cat.f("report.written", &[("file", &path.display())]),
            )
        }
        None => io.out.write_all(text.as_bytes()).map_err(output::io),
    }
}

/// What both report commands are asked: the period, the format, the file.
pub struct Asked<'a> {
    pub period: &'a PeriodArgs,
    pub format: &'a str,
    pub out: Option<&'a std::path::Path>,
}

/// `tdesk report weekly`.
pub fn weekly(desk: &Desk, a: &Asked<'_>, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let (p, out) = (a.period, a.out);
    let format = a.format.trim().to_ascii_lowercase();
    let render: fn(&ReportContext<'_>) -> String = match format.as_str() {
        "md" | "markdown" => sr::markdown,
        "html" => sr::html,
        "csv" => sr::csv,
        "json" => sr::json,
        other => return Err(unknown_format(other, "md, html, csv, json")),
    };
    let period = period(desk, p, &s.cat)?;
    let report = desk.report(period)?;
    let generated = crate::present::local_time(desk.now(), &desk.timezone());
    let context = ReportContext {
        wf: desk.workflow(),
        cat: &s.cat,
        report: &report,
        tz: desk.timezone(),
        generated,
    };
    emit(&render(&context), out, s, io)
}

/// `tdesk report tickets`.
pub fn tickets(desk: &Desk, a: &Asked<'_>, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let (p, out) = (a.period, a.out);
    let format = a.format.trim().to_ascii_lowercase();
    if !matches!(format.as_str(), "csv" | "json") {
        return Err(unknown_format(&format, "csv, json"));
    }
    let period = period(desk, p, &s.cat)?;
    let (_, rows) = desk.report_tickets(period)?;
    let mut text = String::new();
    if format == "csv" {
        text.push_str(crate::metrics::TICKET_METRICS_HEADER);
        text.push('\n');
        for r in &rows {
            text.push_str(&crate::metrics::ticket_metrics_csv(r));
            text.push('\n');
        }
    } else {
        for r in &rows {
            let json = serde_json::to_string(r).map_err(|e| Error::Io {
                path: "json".into(),
                message: e.to_string(),
            })?;
            text.push_str(&crate::text::escape_json(json));
            text.push('\n');
        }
    }
    emit(&text, out, s, io)
}
