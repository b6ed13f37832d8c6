//! E-mail: any bytes parse or are refused; what parses is safe to store
//! (a sender, a message id, text within the body limit, safe file names).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tdesk::interchange::mail;

fuzz_target!(|data: &[u8]| {
    if let Some(b) = mail::bounce_of(data) {
        assert!(b.refers_to.len() <= 20 && b.reason.chars().count() <= 300);
    }
    if let Ok(m) = mail::parse(data) {
        assert!(!m.message_id.is_empty());
        assert!(m.from_address.contains('@'));
        assert!(m.text.len() <= mail::TEXT_MAX_BYTES);
        for a in &m.attachments {
            assert!(!a.name.is_empty() && !a.name.contains('/') && a.name != "..");
        }
    }
});
