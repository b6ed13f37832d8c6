//! How well a text answers another: words for Latin scripts (lower-cased,
//! plural and -ed/-ing endings folded, common words left out), pairs of
//! characters for Chinese and Japanese (no spaces to split on), scored
//! with BM25 over documents made of weighted fields. Pure.

use std::collections::HashMap;

/// BM25's term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Words too common to say what a text is about.
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "for", "from",
    "have", "has", "had", "he", "her", "hi", "hello", "how", "i", "if", "in", "is", "it", "its",
    "me", "my", "of", "on", "or", "our", "please", "so", "that", "the", "their", "them", "then",
    "there", "this", "to", "was", "we", "were", "what", "when", "where", "which", "will", "with",
    "would", "you", "your", "thank", "thanks", "am", "im", "get", "got", "just", "also", "still",
    "any", "about", "after", "all", "been", "did", "does", "dont", "one", "us", "very",
];

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Folds the commonest English endings so "parcels", "delayed" and
/// "charging" meet "parcel", "delay" and "charge".
fn stem(word: &str) -> String {
    let folded = fold(word);
    // "charge", "charged" and "charging" all end as "charg".
    match folded.strip_suffix('e') {
        Some(s) if s.chars().count() > 3 => s.to_string(),
        _ => folded,
    }
}

fn fold(word: &str) -> String {
    let n = word.chars().count();
    let strip = |suffix: &str| word[..word.len() - suffix.len()].to_string();
    if n > 5 && word.ends_with("ing") {
        strip("ing")
    } else if n > 4 && word.ends_with("ies") {
        format!("{}y", strip("ies"))
    } else if n > 4 && word.ends_with("ed") {
        strip("ed")
    } else if n > 4
        && ["ses", "xes", "ches", "shes"]
            .iter()
            .any(|s| word.ends_with(s))
    {
        strip("es")
    } else if n > 3 && word.ends_with('s') && !word.ends_with("ss") {
        strip("s")
    } else {
        word.to_string()
    }
}

/// The terms of a text: stemmed words and CJK character pairs. Long
/// numbers (orders, tracking numbers) say nothing about the topic.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        let w = std::mem::take(word);
        let digits = w.chars().filter(char::is_ascii_digit).count();
        if w.is_empty() || STOP.contains(&w.as_str()) || digits > 2 {
            return;
        }
        out.push(stem(&w));
    };
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => out.push(run[0].to_string()),
            _ => out.extend(run.windows(2).map(|p| p.iter().collect::<String>())),
        }
        run.clear();
    };
    for c in text.chars().flat_map(char::to_lowercase) {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.push(c);
        } else if c == '\'' || c == '’' {
            // "don't" → "dont"
        } else {
            flush_word(&mut word, &mut out);
            flush_run(&mut run, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_run(&mut run, &mut out);
    out
}

/// Documents to rank, each a bag of weighted terms.
#[derive(Debug, Default)]
pub struct Corpus {
    docs: Vec<HashMap<String, f64>>,
    lengths: Vec<f64>,
    df: HashMap<String, usize>,
}

impl Corpus {
    /// Adds a document made of (text, weight) fields; returns its index.
    pub fn add(&mut self, fields: &[(&str, f64)]) -> usize {
        let mut tf: HashMap<String, f64> = HashMap::new();
        let mut length = 0.0;
        for (text, weight) in fields {
            for t in terms(text) {
                *tf.entry(t).or_default() += weight;
                length += weight;
            }
        }
        for t in tf.keys() {
            *self.df.entry(t.clone()).or_default() += 1;
        }
        self.docs.push(tf);
        self.lengths.push(length);
        self.docs.len() - 1
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// BM25 of document `doc` for a query of (term, weight).
    pub fn score(&self, doc: usize, query: &HashMap<String, f64>) -> f64 {
        let (Some(tf), Some(len)) = (self.docs.get(doc), self.lengths.get(doc)) else {
            return 0.0;
        };
        let n = self.docs.len() as f64;
        let avg = (self.lengths.iter().sum::<f64>() / n).max(1.0);
        query
            .iter()
            .filter_map(|(t, qw)| {
                let f = *tf.get(t)?;
                let df = *self.df.get(t).unwrap_or(&0) as f64;
                let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                Some(qw * idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * len / avg)))
            })
            .sum()
    }
}

/// A query from (text, weight) fields: each term once, weights summed and
/// capped so a word repeated ten times does not drown the rest.
pub fn query(fields: &[(&str, f64)]) -> HashMap<String, f64> {
    let mut q: HashMap<String, f64> = HashMap::new();
    for (text, weight) in fields {
        for t in terms(text) {
            let w = q.entry(t).or_default();
            *w = (*w + weight).min(3.0 * weight);
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_chinese_is_paired() {
        assert_eq!(terms("My parcels were delayed!"), ["parcel", "delay"]);
        assert_eq!(
            terms("charge charged charging"),
            ["charg", "charg", "charg"]
        );
        assert_eq!(
            terms("包裹被海关扣了"),
            ["包裹", "裹被", "被海", "海关", "关扣", "扣了"]
        );
        assert_eq!(terms("PayPal 付款失败"), ["paypal", "付款", "款失", "失败"]);
        assert_eq!(terms("order #A10293 charged"), ["order", "charg"]);
        assert_eq!(terms("don't"), Vec::<String>::new());
    }

    #[test]
    fn the_document_sharing_rare_words_ranks_first() {
        let mut c = Corpus::default();
        let customs = c.add(&[
            ("Parcel held at customs", 3.0),
            ("Duty and VAT at the border", 1.0),
        ]);
        let refund = c.add(&[
            ("Refund timing", 3.0),
            ("Refunds go to the original card", 1.0),
        ]);
        let q = query(&[("my parcel is stuck at customs", 1.0)]);
        assert!(c.score(customs, &q) > c.score(refund, &q));
        assert_eq!(c.score(refund, &q), 0.0);
        let q = query(&[("退款什么时候到账", 1.0)]);
        let mut zh = Corpus::default();
        let a = zh.add(&[("退款到账时间", 3.0)]);
        let b = zh.add(&[("包裹清关", 3.0)]);
        assert!(zh.score(a, &q) > zh.score(b, &q));
    }
}
