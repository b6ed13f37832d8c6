//! The customer's verdict in their own words: the answer to a satisfaction
//! request, read from the first line that says something (a mail reply's
//! quoted tail and greetings aside). Understands a rating ("rating: 4",
//! "4/5", a lone digit, ★★★★, 4星, 五分) and yes/no words in English,
//! Chinese, German, French, Spanish and Japanese. Pure over text; fuzzed.

/// What the customer said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// A 1–5 rating, when they gave one.
    pub rating: Option<u8>,
    /// Whether they said the problem is solved / they are satisfied.
    pub satisfied: Option<bool>,
}

/// Lines read before giving up: the answer is at the top of a reply.
const LINES_READ: usize = 3;

/// Reads the verdict at the top of `text`; `None` when it says neither a
/// rating nor yes or no.
pub fn parse_verdict(text: &str) -> Option<Verdict> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !is_greeting(l))
        .take_while(|l| !l.starts_with('>') && !is_quote_header(l))
        .take(LINES_READ)
        .find_map(parse_line)
}

/// A verdict a member types for the customer: an optional leading 1–5
/// rating, then the customer's words (`4 works now, thanks`). Yes or no
/// comes from the words when they say it; an empty entry is a plain yes
/// (the member records an acceptance).
///
/// `None` when the entry says nothing to go by: a number that is no
/// rating (`0 terrible`, `9`), or words that are neither a rating nor a
/// yes or no — never taken for a yes.
pub fn parse_entered(text: &str) -> Option<(Verdict, Option<String>)> {
    let text = text.trim();
    if text.is_empty() {
        let yes = Verdict {
            rating: None,
            satisfied: Some(true),
        };
        return Some((yes, None));
    }
    let mut chars = text.chars();
    let first = chars.clone().next();
    if first.and_then(digit).is_some_and(|d| !(1..=5).contains(&d)) {
        return None;
    }
    let lead = chars.next().and_then(digit).filter(|d| (1..=5).contains(d));
    let rest = chars.as_str();
    let (rating, words) = match lead {
        Some(d) if rest.is_empty() || rest.starts_with([' ', ',', '.', '/', ':']) => {
            let rest = rest.trim_start_matches("/5");
            (
                Some(d),
                rest.trim_start_matches([' ', ',', '.', ':']).trim(),
            )
        }
        _ => (None, text),
    };
    let said = parse_verdict(words);
    let satisfied = said.and_then(|v| v.satisfied);
    // Words alone may carry the rating too ("五分", "★★★★ great").
    let rating = rating.or(said.and_then(|v| v.rating));
    if rating.is_none() && satisfied.is_none() {
        return None;
    }
    let words = (!words.is_empty()).then(|| words.to_string());
    Some((Verdict { rating, satisfied }, words))
}

fn parse_line(line: &str) -> Option<Verdict> {
    let lower = line.to_lowercase();
    let rating = rating(&lower);
    let satisfied = words(&lower);
    if rating.is_none() && satisfied.is_none() {
        return None;
    }
    Some(Verdict { rating, satisfied })
}

/// "Hi team," / "您好" lines that come before the answer.
fn is_greeting(line: &str) -> bool {
    let l = line.to_lowercase();
    let short = l.chars().count() <= 24;
    const GREETINGS: [&str; 12] = [
        "hi",
        "hello",
        "dear",
        "hallo",
        "bonjour",
        "hola",
        "您好",
        "你好",
        "こんにちは",
        "guten tag",
        "buenos días",
        "salut",
    ];
    short
        && GREETINGS.iter().any(|g| l.starts_with(g))
        && !l.chars().any(|c| c.is_ascii_digit() || c == '★')
}

/// "On Mon, … wrote:" / "在 … 写道：" opens the quoted message.
fn is_quote_header(line: &str) -> bool {
    let l = line.to_lowercase();
    (l.starts_with("on ") && l.ends_with("wrote:"))
        || l.ends_with("写道:")
        || l.ends_with("写道：")
        || (l.starts_with("am ") && l.ends_with("schrieb:"))
        || (l.starts_with("le ") && l.ends_with("a écrit :"))
        || l.starts_with("-----original message")
        || l.starts_with("from:")
}

/// A rating in the line, if it states one.
fn rating(l: &str) -> Option<u8> {
    let stars = l.chars().filter(|c| matches!(c, '★' | '⭐')).count();
    if (1..=5).contains(&stars) {
        return u8::try_from(stars).ok();
    }
    let digits: Vec<(usize, u8)> = l
        .char_indices()
        .filter_map(|(i, c)| digit(c).map(|d| (i, d)))
        .collect();
    // Several numbers (an order number, "3 weeks ago") say nothing for sure,
    // unless one is marked as the rating: "rating: 4", "4/5", "4星".
    for &(i, d) in &digits {
        if !(1..=5).contains(&d) || part_of_number(l, i) {
            continue;
        }
        let before = l[..i].trim_end();
        let after = l[i..].chars().skip(1).collect::<String>();
        let after = after.trim_start();
        let labelled = [
            "rating",
            "rate",
            "score",
            "note",
            "bewertung",
            "calificación",
            "puntuación",
            "评分",
            "打分",
            "评价",
            "打",
            "給",
            "给",
            "評価",
        ]
        .iter()
        .any(|k| before.trim_end_matches([':', '：', '=', ' ']).ends_with(k));
        let scaled = [
            "/5",
            "/ 5",
            "of 5",
            "out of 5",
            "von 5",
            "sur 5",
            "de 5",
            "stars",
            "star",
            "sterne",
            "étoiles",
            "estrellas",
            "星",
            "分",
            "点",
        ]
        .iter()
        .any(|k| after.starts_with(k));
        if labelled || scaled {
            return Some(d);
        }
    }
    // A line that is just a digit (and maybe punctuation): "4", "5!".
    let bare: String = l.chars().filter(|c| !c.is_whitespace()).collect();
    let bare = bare.trim_end_matches(['.', '!', '。', '！']);
    let mut chars = bare.chars();
    match (chars.next().and_then(digit), chars.next()) {
        (Some(d), None) if (1..=5).contains(&d) => Some(d),
        _ => None,
    }
}

/// A digit in ASCII, full width or Chinese.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => c.to_digit(10).and_then(|d| u8::try_from(d).ok()),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        _ => None,
    }
}

/// Whether the digit at byte `i` is part of a longer number (`#10293`, `12`).
fn part_of_number(l: &str, i: usize) -> bool {
    let is_num = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let prev = l[..i].chars().next_back();
    let next = l[i..].chars().nth(1);
    prev.is_some_and(|c| is_num(c) || c == '#' || c == '.')
        || next.is_some_and(|c| is_num(c) || c == '.' || c == ',')
}

/// Negative phrases first: "not satisfied" contains "satisfied".
const NO: &[&str] = &[
    // English
    "not satisfied",
    "unsatisfied",
    "dissatisfied",
    "not happy",
    "unhappy",
    "not solved",
    "not resolved",
    "not fixed",
    "still broken",
    "still not",
    "doesn't work",
    "does not work",
    "didn't work",
    "did not work",
    "no,",
    "no.",
    "no!",
    "nope",
    // Chinese
    "不满意",
    "没解决",
    "没有解决",
    "未解决",
    "还没",
    "不行",
    "没用",
    "不好",
    "差评",
    "否",
    // German
    "nicht zufrieden",
    "unzufrieden",
    "nicht gelöst",
    "funktioniert nicht",
    "nein",
    // French
    "pas satisfait",
    "insatisfait",
    "pas résolu",
    "ne marche pas",
    "ne fonctionne pas",
    // Spanish
    "no satisfecho",
    "no satisfecha",
    "insatisfecho",
    "insatisfecha",
    "no resuelto",
    "no funciona",
    // Japanese
    "満足していない",
    "不満",
    "解決していない",
    "解決していません",
    "いいえ",
];

const YES: &[&str] = &[
    // English
    "satisfied",
    "happy",
    "solved",
    "resolved",
    "fixed",
    "works",
    "working now",
    "yes",
    "all good",
    "perfect",
    "great",
    "fine",
    // Chinese
    "满意",
    "已解决",
    "解决了",
    "可以了",
    "好了",
    "没问题",
    "是的",
    "好评",
    "收到了",
    // German
    "zufrieden",
    "gelöst",
    "funktioniert",
    "ja",
    // French
    "satisfait",
    "satisfaite",
    "résolu",
    "oui",
    "ça marche",
    "parfait",
    // Spanish
    "satisfecho",
    "satisfecha",
    "resuelto",
    "funciona",
    "sí",
    "perfecto",
    // Japanese
    "満足",
    "解決しました",
    "はい",
    "大丈夫",
];

/// Yes or no in words; a line saying both is no answer.
fn words(l: &str) -> Option<bool> {
    // "No problem" is a yes.
    let l = &l
        .replace("no problem", "fine")
        .replace("no worries", "fine");
    if NO.iter().any(|w| has_word(l, w)) || l == "no" || l.starts_with("no ") {
        return Some(false);
    }
    YES.iter().any(|w| has_word(l, w)).then_some(true)
}

/// `w` in `l`, on word boundaries for words in Latin letters ("ja" is not
/// in "jacket"); anywhere for Chinese and Japanese.
fn has_word(l: &str, w: &str) -> bool {
    let latin = w.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if !latin {
        return l.contains(w);
    }
    l.match_indices(w).any(|(i, _)| {
        let before = l[..i].chars().next_back();
        let after = l[i + w.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric())
            && (w.ends_with([',', '.', '!']) || after.is_none_or(|c| !c.is_alphanumeric()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(rating: Option<u8>, satisfied: Option<bool>) -> Option<Verdict> {
        Some(Verdict { rating, satisfied })
    }

    #[test]
    fn ratings_in_every_form() {
        assert_eq!(parse_verdict("rating: 4"), v(Some(4), None));
        assert_eq!(parse_verdict("Rating 5/5, thanks!"), v(Some(5), None));
        assert_eq!(parse_verdict("4"), v(Some(4), None));
        assert_eq!(
            parse_verdict("5!\n\nOn Mon, 2 Nov 2026, Desk wrote:\n> rate 1"),
            v(Some(5), None)
        );
        assert_eq!(parse_verdict("★★★☆☆"), v(Some(3), None));
        assert_eq!(parse_verdict("⭐⭐⭐⭐⭐"), v(Some(5), None));
        assert_eq!(parse_verdict("I'd give it 2 stars"), v(Some(2), None));
        assert_eq!(parse_verdict("４"), v(Some(4), None));
    }

    #[test]
    fn english_words() {
        assert_eq!(
            parse_verdict("Yes, it works now. 5/5"),
            v(Some(5), Some(true))
        );
        assert_eq!(
            parse_verdict("No, the parcel still has not arrived"),
            v(None, Some(false))
        );
        assert_eq!(parse_verdict("Not satisfied at all"), v(None, Some(false)));
        assert_eq!(
            parse_verdict("Hi team,\nAll good, thank you"),
            v(None, Some(true))
        );
        assert_eq!(
            parse_verdict("Score: 1 - still broken"),
            v(Some(1), Some(false))
        );
        assert_eq!(
            parse_verdict("No problem, thanks a lot"),
            v(None, Some(true))
        );
    }

    #[test]
    fn chinese_words_and_numbers() {
        assert_eq!(parse_verdict("满意"), v(None, Some(true)));
        assert_eq!(parse_verdict("不满意，问题还没解决"), v(None, Some(false)));
        assert_eq!(parse_verdict("五星好评"), v(Some(5), Some(true)));
        assert_eq!(parse_verdict("评分：4"), v(Some(4), None));
        assert_eq!(parse_verdict("您好\n已解决，打5分"), v(Some(5), Some(true)));
        assert_eq!(parse_verdict("给两分，太慢了"), v(Some(2), None));
    }

    #[test]
    fn german_french_spanish_japanese() {
        assert_eq!(
            parse_verdict("Ja, zufrieden. 4 Sterne"),
            v(Some(4), Some(true))
        );
        assert_eq!(parse_verdict("Nein, nicht gelöst"), v(None, Some(false)));
        assert_eq!(parse_verdict("Oui, très satisfait"), v(None, Some(true)));
        assert_eq!(
            parse_verdict("Pas satisfait du tout, 1 sur 5"),
            v(Some(1), Some(false))
        );
        assert_eq!(
            parse_verdict("Sí, resuelto, 5 estrellas"),
            v(Some(5), Some(true))
        );
        assert_eq!(parse_verdict("No funciona todavía"), v(None, Some(false)));
        assert_eq!(parse_verdict("はい、満足しています"), v(None, Some(true)));
        assert_eq!(
            parse_verdict("いいえ、解決していません"),
            v(None, Some(false))
        );
        assert_eq!(parse_verdict("評価：4"), v(Some(4), None));
    }

    #[test]
    fn an_entered_verdict_reads_a_leading_rating_and_the_words() {
        let entered = |t: &str| parse_entered(t).expect("a verdict");
        let (v, w) = entered("4 works now, thanks");
        assert_eq!(
            (v.rating, v.satisfied, w.as_deref()),
            (Some(4), Some(true), Some("works now, thanks"))
        );
        let (v, w) = entered("2/5 still waiting for the refund");
        assert_eq!(
            (v.rating, w.as_deref()),
            (Some(2), Some("still waiting for the refund"))
        );
        let (v, w) = entered("");
        assert_eq!((v.rating, v.satisfied, w), (None, Some(true), None));
        let (v, _) = entered("不满意，没收到");
        assert_eq!((v.rating, v.satisfied), (None, Some(false)));
        assert_eq!(parse_entered("12 days late"), None);
        assert_eq!(parse_entered("0 terrible"), None);
        assert_eq!(parse_entered("9 fine"), None);
        assert_eq!(parse_entered("abc"), None);
        let (v, _) = entered("no, still charged twice");
        assert_eq!(v.satisfied, Some(false));
    }

    #[test]
    fn numbers_that_are_not_ratings_and_quoted_text_say_nothing() {
        assert_eq!(
            parse_verdict("Where is order #A10293? It has been 3 weeks"),
            None
        );
        assert_eq!(parse_verdict("I bought a jacket"), None);
        assert_eq!(parse_verdict("Order 12345"), None);
        assert_eq!(parse_verdict("> yes\n> 5"), None);
        assert_eq!(parse_verdict(""), None);
        assert_eq!(parse_verdict("Version 2.5 of the app"), None);
    }
}
