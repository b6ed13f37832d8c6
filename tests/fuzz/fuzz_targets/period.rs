//! Report periods typed by a member (`--week`, `--month`, `--since`/`--until`)
//! never panic, and what parses is a non-empty interval whose neighbours
//! touch it.
#![no_main]

use chrono::FixedOffset;
use libfuzzer_sys::fuzz_target;
use tdesk::metrics::Period;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let offset = FixedOffset::east_opt(i32::from(data.first().copied().unwrap_or(0)) * 300)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("utc"));
    let (a, b) = text.split_once('|').unwrap_or((text, ""));
    for p in [
        Period::parse_week(a, offset),
        Period::parse_month(a, offset),
        Period::parse_range(a, Some(b), 1_800_000_000_000, offset),
    ]
    .into_iter()
    .flatten()
    {
        assert!(p.start < p.end);
        assert_eq!(p.previous().end, p.start);
        let _ = p.label();
    }
});
