//! The closing loop's parsers: a customer's verdict (mail replies, typed
//! entries), knowledge-base article files (read back what they write) and
//! survey tables never panic on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tdesk::interchange::{csv, kb, survey, verdict};

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = csv::parse(data) {
        let _ = survey::parse_survey(&table);
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(v) = verdict::parse_verdict(text) {
        assert!(v.rating.is_none_or(|r| (1..=5).contains(&r)));
    }
    if let Some((v, _)) = verdict::parse_entered(text) {
        assert!(v.rating.is_none_or(|r| (1..=5).contains(&r)));
    }
    if let Ok(doc) = kb::parse_article(text) {
        assert!(!doc.title.trim().is_empty());
    }
    let _ = tdesk::present::markdown::render(text, 40);
});
