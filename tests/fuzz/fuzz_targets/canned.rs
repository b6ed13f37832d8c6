//! Canned replies: any file text parses or names its problems by line, and
//! filling any template never panics.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use tdesk::rules::canned;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = canned::parse(text);
    let values: BTreeMap<&str, String> = [("customer.name", "Lena".to_string())].into();
    let _ = canned::fill(text, &values);
});
