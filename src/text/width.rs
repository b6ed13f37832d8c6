//! Display-width measurement, truncation, padding and wrapping for mixed
//! CJK/Latin text. Widths are terminal columns from `unicode-width`.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ELLIPSIS: char = '…';

/// Terminal columns `text` occupies.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Cuts `text` to at most `max` columns, ending with `…` when cut.
/// Never splits a double-width character: the gap is left as a space-free short line.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let budget = max - 1; // room for the ellipsis
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push(ELLIPSIS);
    out
}

/// Truncates to `cols` and pads with spaces to exactly `cols` columns.
pub fn pad_right(text: &str, cols: usize) -> String {
    let mut out = truncate(text, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Wraps `text` into lines of at most `cols` columns, breaking at spaces for
/// Latin words and between any two CJK characters. Keeps explicit newlines.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0;
        for word in split_words(para) {
            let w = width(word);
            if line_w + w > cols && !line.is_empty() {
                lines.push(line.trim_end().to_string());
                line = String::new();
                line_w = 0;
                if word == " " {
                    continue;
                }
            }
            if w > cols {
                // A word longer than a line: hard-break it by columns.
                for c in word.chars() {
                    let cw = char_width(c);
                    if line_w + cw > cols && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            } else {
                line.push_str(word);
                line_w += w;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Splits into break units: runs of Latin non-space text, single spaces,
/// and single wide (CJK) characters.
/// Punctuation a line must not start with (Chinese and Japanese line
/// breaking): it stays with the character before it.
fn closes(c: char) -> bool {
    "，。、；：？！）」』】》〉”’…·%,.;:?!)".contains(c)
}

fn split_words(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let wide = char_width(c) > 1;
        // Half-width punctuation right after a Chinese character is glued
        // too ("撰写," must not start a line with ",").
        let after_wide = start.is_none()
            && out
                .last()
                .and_then(|w| w.chars().last())
                .is_some_and(|l| char_width(l) > 1);
        if closes(c) && (wide || after_wide) {
            // Glue it to the word before: "款，" and "PayPal，" break as one.
            let end = i + c.len_utf8();
            if let Some(s) = start.take() {
                out.push(&text[s..end]);
                continue;
            }
            if let Some(last) = out.last().copied().filter(|w| *w != " ") {
                out.pop();
                let begin = last.as_ptr() as usize - text.as_ptr() as usize;
                out.push(&text[begin..end]);
                continue;
            }
        }
        if c == ' ' || wide {
            if let Some(s) = start.take() {
                out.push(&text[s..i]);
            }
            out.push(&text[i..i + c.len_utf8()]);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_punctuation_never_starts_a_line() {
        let lines = wrap("我们发起退款，然后银行入账。", 12);
        assert!(
            lines.iter().all(|l| !l.starts_with(['，', '。'])),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| width(l) <= 12), "{lines:?}");
        assert_eq!(lines.concat(), "我们发起退款，然后银行入账。");
        let lines = wrap("张伟撰写,2026-11-20", 8);
        assert!(lines.iter().all(|l| !l.starts_with(',')), "{lines:?}");
    }

    #[test]
    fn cjk_counts_double() {
        assert_eq!(width("退款"), 4);
        assert_eq!(width("ab退"), 4);
    }

    #[test]
    fn truncate_never_splits_a_wide_char() {
        // 5 columns: "退款" (4) + ellipsis (1) fits; "退款申" would need 6.
        assert_eq!(truncate("退款申请", 5), "退款…");
        // 4 columns: only one wide char + ellipsis (3 cols) fits without splitting.
        assert_eq!(truncate("退款申请", 4), "退…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abc", 0), "");
        for max in 0..12 {
            assert!(width(&truncate("混合 mixed 文本", max)) <= max);
        }
    }

    #[test]
    fn pad_fills_to_exact_width() {
        assert_eq!(pad_right("退款", 6), "退款  ");
        assert_eq!(width(&pad_right("退款申请表格", 7)), 7);
        assert_eq!(pad_right("abcdef", 3), "ab…");
    }

    #[test]
    fn wrap_breaks_words_and_cjk() {
        assert_eq!(wrap("hello big world", 9), vec!["hello big", "world"]);
        assert_eq!(wrap("包裹还没有到", 6), vec!["包裹还", "没有到"]);
        assert_eq!(wrap("a\n\nb", 5), vec!["a", "", "b"]);
        for line in wrap("supercalifragilistic 物流延迟了三天 please help", 7) {
            assert!(width(&line) <= 7, "{line}");
        }
    }
}
