//! Import and export formats, one file each: CSV with column maps, tdesk's
//! own JSON, and e-mail. Every parser is pure over bytes (no desk, no
//! files), so each can be fuzzed; the service turns what they read into
//! tickets through the same operations a person uses.

pub mod csv;
pub mod json;
pub mod mail;
pub mod mapping;
