//! The rules of regdesk, as pure Rust: no browser types, no I/O, no clock of its own.
//!
//! Everything here is deterministic given its inputs (time is always passed in), so it is tested
//! natively with `cargo test`, and the store, the review queue and the UI only call it. Each rule
//! has one home; `ARCHITECTURE.md` lists which file holds which.

pub mod demo;
pub mod exchange;
pub mod ordering;
pub mod phone;
pub mod records;
pub mod replication;
pub mod rules;
pub mod time;
pub mod wording;
