//! Column maps: any map file text and any CSV either map or name problems,
//! every row accounted for as a ticket or a problem.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tdesk::interchange::{csv, mapping};

fuzz_target!(|data: &[u8]| {
    // A map file, a NUL, then the spreadsheet.
    let split = data.iter().position(|b| *b == 0).unwrap_or(0);
    let (map_text, sheet) = data.split_at(split);
    let sheet = sheet.strip_prefix(b"\0").unwrap_or(sheet);
    let Ok(table) = csv::parse(sheet) else {
        return;
    };
    let map = match std::str::from_utf8(map_text).ok().map(mapping::parse_map) {
        Some(Ok(map)) => map,
        _ => mapping::detect(&table.header),
    };
    let _ = mapping::check_map(&map, &table.header);
    let (rows, problems) = mapping::map_rows(&table, &map, |row| format!("row:{}", row.line));
    assert!(rows.len() + problems.len() >= table.rows.len());
});
