//! Where search terms occur in a text, for highlighting matches and cutting
//! snippets. Mirrors how the store matches: case-insensitive substrings, and
//! pinyin (full or initials) against runs of Han characters.

use std::ops::Range;

use pinyin::ToPinyin;

use super::looks_like_pinyin;

/// Byte ranges of `text` that match any of `terms`, sorted and merged.
pub fn match_ranges(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let mut found: Vec<Range<usize>> = Vec::new();
    for term in terms {
        let wanted: Vec<char> = term.chars().flat_map(char::to_lowercase).collect();
        if wanted.is_empty() {
            continue;
        }
        for (n, len) in substring_matches(&chars, &wanted) {
            found.push(chars[n].0..end_of(n + len));
        }
        if looks_like_pinyin(term) {
            let term = term.to_ascii_lowercase();
            for (n, len) in pinyin_matches(&chars, &term) {
                found.push(chars[n].0..end_of(n + len));
            }
        }
    }
    merge(found)
}

/// (start, length) in chars of every case-insensitive occurrence.
fn substring_matches(chars: &[(usize, char)], wanted: &[char]) -> Vec<(usize, usize)> {
    let lower: Vec<char> = chars
        .iter()
        .map(|&(_, c)| c.to_lowercase().next().unwrap_or(c))
        .collect();
    if wanted.len() > lower.len() {
        return Vec::new();
    }
    (0..=lower.len() - wanted.len())
        .filter(|&i| lower[i..i + wanted.len()] == *wanted)
        .map(|i| (i, wanted.len()))
        .collect()
}

/// (start, length) in chars of Han runs whose initials equal `term`, or
/// whose full pinyin, read from a character's start, covers `term`.
fn pinyin_matches(chars: &[(usize, char)], term: &str) -> Vec<(usize, usize)> {
    let syllables: Vec<Option<&'static str>> = chars
        .iter()
        .map(|&(_, c)| c.to_pinyin().map(|p| p.plain()))
        .collect();
    let mut out = Vec::new();
    for start in 0..chars.len() {
        if syllables[start].is_none() {
            continue;
        }
        let mut initials = String::new();
        let mut full = String::new();
        for (len, syllable) in syllables[start..].iter().enumerate() {
            let Some(s) = syllable else { break };
            initials.push_str(&s[..1]);
            full.push_str(s);
            if initials == term || (full.len() >= term.len() && full.starts_with(term)) {
                out.push((start, len + 1));
                break;
            }
            if !term.starts_with(&initials) && !term.starts_with(full.as_str()) {
                break;
            }
        }
    }
    out
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A piece of `text` around its first match, `before` characters of
/// context first, on one line; `None` when nothing matches.
pub fn snippet(text: &str, terms: &[String], before: usize, len: usize) -> Option<String> {
    let first = match_ranges(text, terms).into_iter().next()?;
    let start = text[..first.start]
        .char_indices()
        .rev()
        .nth(before.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let piece: String = text[start..].chars().take(len).collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&piece.split_whitespace().collect::<Vec<_>>().join(" "));
    if start + piece.len() < text.len() {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn terms(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    fn marked(text: &str, t: &[&str]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in match_ranges(text, &terms(t)) {
            out += &text[at..r.start];
            out += &format!("[{}]", &text[r.clone()]);
            at = r.end;
        }
        out + &text[at..]
    }

    #[test]
    fn substrings_match_case_insensitively_and_merge() {
        assert_eq!(
            marked("Refund REFUND refund", &["refund"]),
            "[Refund] [REFUND] [refund]"
        );
        assert_eq!(marked("parcel lost", &["parc", "rcel l"]), "[parcel l]ost");
        assert_eq!(marked("申请退款申请", &["退款"]), "申请[退款]申请");
    }

    #[test]
    fn pinyin_and_initials_find_han_runs() {
        assert_eq!(marked("我要退款", &["tk"]), "我要[退款]");
        assert_eq!(marked("我要退款", &["tuikuan"]), "我要[退款]");
        assert_eq!(marked("我要退款", &["tuik"]), "我要[退款]");
        assert_eq!(marked("退款申请", &["tksq"]), "[退款申请]");
        assert_eq!(marked("退 款", &["tk"]), "退 款", "a space breaks the run");
    }

    #[test]
    fn snippets_cut_around_the_first_match_on_one_line() {
        let text = "The customer wrote:\nmy parcel never arrived and I want a refund now please";
        assert_eq!(
            snippet(text, &terms(&["refund"]), 6, 20).as_deref(),
            Some("…ant a refund now ple…")
        );
        assert_eq!(
            snippet("short refund", &terms(&["refund"]), 30, 40).as_deref(),
            Some("short refund")
        );
        assert_eq!(snippet("nothing", &terms(&["refund"]), 5, 10), None);
    }

    proptest! {
        #[test]
        fn ranges_are_sorted_disjoint_char_boundaries(
            text in "[a-zA-Z退款申请 İß\u{130}]{0,40}",
            term in "[a-zA-Z退款 ]{0,6}",
        ) {
            let ranges = match_ranges(&text, &[term]);
            let mut last_end = 0;
            for r in &ranges {
                prop_assert!(r.start < r.end && r.end <= text.len());
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                prop_assert!(r.start >= last_end);
                last_end = r.end;
            }
        }

        #[test]
        fn snippets_are_one_line_and_never_panic(text in "\\PC{0,80}", term in "[a-z退款]{1,3}") {
            if let Some(s) = snippet(&text, std::slice::from_ref(&term), 10, 30) {
                prop_assert!(!s.contains('\n'));
            }
        }
    }
}
