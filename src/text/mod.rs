//! Text handling for untrusted input and CJK-aware layout. Pure: no IO.
//!
//! Everything a customer, an import or another user wrote passes through
//! [`sanitize_line`] or [`sanitize_block`] before it reaches a terminal, and
//! every width is measured with [`width`] (display columns, not bytes or chars).

mod highlight;
mod pinyin;
pub mod relevance;
mod sanitize;
mod width;

pub use highlight::{match_ranges, snippet};
pub use pinyin::{initial_pairs, looks_like_pinyin, pinyin_keys, pinyin_words};
mod spreadsheet;
pub use sanitize::{escape_json, is_bidi_control, sanitize_block, sanitize_line};
pub use spreadsheet::{csv_cell, formula_like};
pub use width::{pad_right, truncate, width, wrap};
