//! tdesk JSON documents: any bytes parse or are refused with a reason.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tdesk::interchange::json::parse(data);
});
