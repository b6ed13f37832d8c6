//! Printing for the CLI: CJK-aligned tables, key/value blocks and JSON.
//! Every cell is sanitised here, at the edge, whatever its source.

use serde::Serialize;
use std::io::Write;

use crate::error::{Error, Result};
use crate::text::{pad_right, sanitize_block, sanitize_line, truncate, width};

/// Maps a write failure on standard output to an error (a closed pipe is its own case).
pub fn io(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::BrokenPipe
    } else {
        Error::Io {
            path: "stdout".into(),
            message: e.to_string(),
        }
    }
}

/// Writes one line (or several). Everything a command prints to a person
/// passes here, so it is sanitised here: messages quote what customers,
/// imports and other members wrote (a team name, a file's cell, a label),
/// and none of it may act on the terminal.
pub fn line(out: &mut dyn Write, text: &str) -> Result<()> {
    writeln!(out, "{}", sanitize_block(text)).map_err(io)
}

/// Writes a value as pretty JSON. Strings keep the exact data: JSON
/// escapes controls itself, and what a terminal would still act on (C1
/// controls, DEL, bidi controls) is escaped as `\uXXXX` too.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Io {
        path: "stdout".into(),
        message: e.to_string(),
    })?;
    writeln!(out, "{}", crate::text::escape_json(text)).map_err(io)
}

/// Writes a file the desk keeps (rules, policy, workflow, replies) as it
/// is, for `> file.toml`; sanitised when a terminal shows it.
pub fn source(out: &mut dyn Write, text: &str, to_terminal: bool) -> Result<()> {
    let text = if to_terminal {
        sanitize_block(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    out.write_all(text.as_bytes()).map_err(io)
}

/// An aligned table with one optional flexible column that shrinks to fit.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    flex: Option<usize>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            flex: None,
        }
    }

    /// The column that is truncated when the table is wider than the terminal.
    pub fn flex(mut self, column: usize) -> Self {
        self.flex = Some(column);
        self
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows
            .push(row.iter().map(|c| sanitize_line(c).into_owned()).collect());
    }

    /// Renders with two spaces between columns; `max_width` limits the total.
    pub fn render(&self, max_width: Option<usize>) -> String {
        let cols = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(width(cell));
            }
        }
        if let (Some(max), Some(f)) = (max_width, self.flex) {
            let total: usize = widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
            if total > max {
                let others = total - widths[f];
                widths[f] = max
                    .saturating_sub(others)
                    .max(width(&self.headers[f]).max(8));
            }
        }
        let mut out = String::new();
        let mut push_row = |cells: &[String]| {
            let mut line = String::new();
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                if i + 1 == cols {
                    line.push_str(&truncate(cell, *w));
                } else {
                    line.push_str(&pad_right(cell, *w));
                    line.push_str("  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        };
        push_row(&self.headers);
        for row in &self.rows {
            push_row(row);
        }
        out
    }
}

/// `Label   value` lines with labels padded to one width (CJK-aware).
pub fn fields(out: &mut dyn Write, pairs: &[(String, String)]) -> Result<()> {
    let w = pairs.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    for (k, v) in pairs {
        line(out, &format!("{}  {}", pad_right(k, w), sanitize_line(v)))?;
    }
    Ok(())
}

/// A multi-line block of untrusted text, indented.
pub fn block(out: &mut dyn Write, text: &str, indent: &str) -> Result<()> {
    for l in sanitize_block(text).lines() {
        line(out, &format!("{indent}{l}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_with_mixed_chinese_and_latin() {
        let mut t = Table::new(&["#", "TITLE", "WHO"]);
        t.push(vec!["1".into(), "退款申请".into(), "li.na".into()]);
        t.push(vec!["22".into(), "Refund".into(), "bob".into()]);
        let text = t.render(None);
        let lines: Vec<&str> = text.lines().collect();
        let col = |l: &str| width(&l[..l.rfind("  ").expect("separator") + 2]);
        assert_eq!(col(lines[1]), col(lines[2]), "\n{text}");
        assert_eq!(col(lines[0]), col(lines[1]), "\n{text}");
    }

    #[test]
    fn the_flexible_column_shrinks_to_fit() {
        let mut t = Table::new(&["#", "TITLE", "WHO"]).flex(1);
        t.push(vec![
            "1".into(),
            "A very long title that will not fit in the width".into(),
            "bob".into(),
        ]);
        for l in t.render(Some(30)).lines() {
            assert!(width(l) <= 30, "{l}");
        }
    }

    #[test]
    fn cells_are_sanitised() {
        let mut t = Table::new(&["X"]);
        t.push(vec!["\x1b]0;evil\x07".into()]);
        assert!(!t.render(None).contains('\x1b'));
    }
}
