//! Records: what a workspace holds, each with its own invariants (documents and their status history, the checks a record from outside must pass, the entities behind them, addresses, owned numbers, the log, SIDs, kinds, a scan's file facts).

pub mod activity;
pub mod address;
pub mod checks;
pub mod document;
pub mod entity;
pub mod files;
pub mod kinds;
pub mod number;
pub mod sid;
