//! Cells for spreadsheets: text a spreadsheet would run as a formula is
//! neutralised, and a cell is quoted where CSV needs it.

/// Whether a spreadsheet could take a cell as a formula: its first
/// character that is not blank (spaces, no-break and ideographic spaces,
/// a BOM, line breaks — spreadsheets skip them) starts one, in ASCII or
/// full width (＝＋－＠ are read as = + - @), or it starts with a control.
pub fn formula_like(text: &str) -> bool {
    if text.starts_with(['\t', '\r', '\n']) {
        return true;
    }
    let first = text
        .chars()
        .find(|&c| !(c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}'));
    matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}')
    )
}

/// A CSV cell: neutralised against formulas, quoted where it must be.
pub fn csv_cell(text: &str) -> String {
    let safe = if formula_like(text) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}
