//! CSV: any bytes (any encoding, cut anywhere) parse or give a line-precise
//! error; a parsed table's rows never claim a line before the header's.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = tdesk::interchange::csv::parse(data) {
        for row in &table.rows {
            assert!(row.line >= 2, "a data row starts after the header");
        }
    }
});
