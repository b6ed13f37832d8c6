//! Makes untrusted text safe to print: control characters, escape sequences
//! and bidirectional overrides become visible placeholders instead of acting
//! on the terminal.

use std::borrow::Cow;

/// Unicode "control pictures" block: U+2400 + code shows a C0 control visibly.
const CONTROL_PICTURES: u32 = 0x2400;
/// Shown for C1 controls, bidi overrides and other invisible troublemakers.
const REPLACEMENT: char = '\u{FFFD}';

/// Bidirectional controls: embeddings, overrides and isolates reorder what
/// follows ("Trojan Source"; `invoice\u{202E}fdp.exe` shows as
/// `invoiceexe.pdf`), and the marks steer neighbouring characters.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Characters JSON leaves as they are but a terminal acts on: DEL, the C1
/// controls (U+009B is an 8-bit CSI), bidi controls, and the line and
/// paragraph separators. [`escape_json`] writes them as `\uXXXX`.
fn json_unsafe(c: char) -> bool {
    matches!(c, '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}') || is_bidi_control(c)
}

/// Escapes what [`json_unsafe`] names in serialized JSON. Outside strings
/// JSON is plain ASCII, so every such character is inside a string, where
/// `\uXXXX` means the same character: the data is unchanged for a parser.
pub fn escape_json(json: String) -> String {
    if !json.chars().any(json_unsafe) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if json_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Returns the visible stand-in for a dangerous character, or `None` when `c` is safe.
fn stand_in(c: char) -> Option<char> {
    match c {
        // C0 controls (including ESC) and DEL: show their control picture.
        '\u{0}'..='\u{1F}' => char::from_u32(CONTROL_PICTURES + c as u32),
        '\u{7F}' => Some('\u{2421}'),
        // C1 controls: 8-bit CSI (U+009B) and friends act like ESC sequences.
        '\u{80}'..='\u{9F}' => Some(REPLACEMENT),
        c if is_bidi_control(c) => Some(REPLACEMENT),
        // Line and paragraph separators would break row layout.
        '\u{2028}' | '\u{2029}' => Some(' '),
        _ => None,
    }
}

/// Sanitises text for a single line: newlines and tabs become spaces,
/// every other control becomes a visible placeholder.
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    sanitize(text, false)
}

/// Sanitises multi-line text: keeps `\n`, expands tabs to four spaces,
/// drops `\r` of CRLF line ends, makes every other control visible.
pub fn sanitize_block(text: &str) -> Cow<'_, str> {
    sanitize(text, true)
}

fn sanitize(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs_work = text
        .chars()
        .any(|c| stand_in(c).is_some() && !(keep_newlines && c == '\n'));
    if !needs_work {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => {}
            '\t' if keep_newlines => out.push_str("    "),
            '\n' | '\t' | '\r' if !keep_newlines => out.push(' '),
            _ => match stand_in(c) {
                Some(s) => out.push(s),
                None => out.push(c),
            },
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_terminal_safe(s: &str) -> bool {
        let bidi = |c: char| {
            ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
        };
        s.chars().all(|c| c == '\n' || !(c.is_control() || bidi(c)))
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let s = "退款 refund #12 — ok";
        assert!(matches!(sanitize_line(s), Cow::Borrowed(_)));
        assert!(matches!(sanitize_block("a\nb"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible() {
        let evil = "hi\x1b[2J\x1b]0;pwned\x07 there";
        let out = sanitize_line(evil);
        assert_eq!(out, "hi\u{241B}[2J\u{241B}]0;pwned\u{2407} there");
        assert!(is_terminal_safe(&out));
    }

    #[test]
    fn c1_controls_and_bidi_overrides_are_replaced() {
        let out = sanitize_line("a\u{9B}31mb\u{202E}cba\u{2066}x");
        assert!(is_terminal_safe(&out));
        assert_eq!(out.chars().filter(|c| *c == REPLACEMENT).count(), 3);
    }

    #[test]
    fn line_mode_flattens_newlines_block_mode_keeps_them() {
        assert_eq!(sanitize_line("a\nb\tc\r\n"), "a b c  ");
        assert_eq!(sanitize_block("a\r\nb\tc"), "a\nb    c");
        assert_eq!(sanitize_block("x\ry"), "x\u{240D}y");
    }

    #[test]
    fn output_is_always_terminal_safe() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert!(is_terminal_safe(&sanitize_block(&all)));
        assert!(is_terminal_safe(&sanitize_line(&all)));
    }
}
