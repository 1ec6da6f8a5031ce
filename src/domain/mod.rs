//! The rules of regdesk, as pure Rust: no browser types, no I/O, no clock of its own.
//!
//! Everything here is deterministic given its inputs (time is always passed in), so it is tested
//! natively with `cargo test`, and the store, the review queue and the UI only call it. Each rule
//! has one home; `ARCHITECTURE.md` lists which file holds which.

pub mod activity;
pub mod address;
pub mod calendar;
pub mod clock;
pub mod compliance;
pub mod csv_import;
pub mod demo;
pub mod document;
pub mod document_filter;
pub mod e164;
pub mod evaluation;
pub mod files;
pub mod holidays;
pub mod inventory;
pub mod json_path;
pub mod kinds;
pub mod lifecycle;
pub mod locality;
pub mod mapping_index;
pub mod number;
pub mod numbering;
pub mod ordering;
pub mod portable;
pub mod problem;
pub mod regulation;
pub mod reviewer;
pub mod sample_scan;
pub mod sid;
pub mod time;
pub mod wording;
