//! Pinyin keys for Chinese text, so `tuikuan` or `tk` finds 退款: Chinese
//! users often type pinyin or its initials instead of switching input method.

use pinyin::ToPinyin;

/// Full pinyin and initials of the Han characters in `text`, separated by a
/// space: `退款申请` → `tuikuanshenqing tksq`. Empty when there are none.
pub fn pinyin_keys(text: &str) -> String {
    let mut full = String::new();
    let mut initials = String::new();
    for c in text.chars() {
        if let Some(p) = c.to_pinyin() {
            full.push_str(p.plain());
            initials.push_str(p.first_letter());
        }
    }
    if full.is_empty() {
        String::new()
    } else {
        format!("{full} {initials}")
    }
}

/// The text with each Han character as its pinyin syllable between spaces,
/// for ids made from Chinese titles: `退货政策 EU` → ` tui  huo  zheng  ce  EU`.
pub fn pinyin_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match c.to_pinyin() {
            Some(p) => {
                out.push(' ');
                out.push_str(p.plain());
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    out
}

/// Every pair of neighbouring pinyin initials, space-separated, so a
/// two-letter query like `tk` is a whole-token lookup: `退款申请` → `tk ks sq`.
pub fn initial_pairs(text: &str) -> String {
    let initials: Vec<&str> = text
        .chars()
        .filter_map(|c| c.to_pinyin())
        .map(|p| p.first_letter())
        .collect();
    initials
        .windows(2)
        .map(|w| w.concat())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a search term could be pinyin: two or more ASCII letters.
pub fn looks_like_pinyin(term: &str) -> bool {
    term.len() >= 2 && term.chars().all(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_characters_become_full_pinyin_and_initials() {
        assert_eq!(pinyin_keys("退款申请"), "tuikuanshenqing tksq");
        assert_eq!(pinyin_keys("APP 闪退,无法查看"), "shantuiwufachakan stwfck");
        assert_eq!(pinyin_keys("Refund please"), "");
    }

    #[test]
    fn initial_pairs_cover_neighbours() {
        assert_eq!(initial_pairs("退款申请"), "tk ks sq");
        assert_eq!(initial_pairs("退"), "");
        assert_eq!(initial_pairs("A退B款"), "tk");
    }

    #[test]
    fn only_letter_terms_look_like_pinyin() {
        assert!(looks_like_pinyin("tk"));
        assert!(looks_like_pinyin("TuiKuan"));
        assert!(!looks_like_pinyin("t"));
        assert!(!looks_like_pinyin("退款"));
        assert!(!looks_like_pinyin("a1"));
    }
}
