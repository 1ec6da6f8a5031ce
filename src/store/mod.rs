//! IndexedDB persistence: the schema, its migrations, and one repository per kind of record.
//!
//! Every user action is one readwrite transaction over all the stores it touches, so it either
//! commits whole or leaves everything as it was (an uncommitted `indexed_db_futures` transaction
//! rolls back when dropped, so an early `?` return undoes the action). Nothing above this layer
//! sees `indexed_db_futures`: the UI and the review queue call these functions, in domain types.

pub mod activity;
pub mod addresses;
pub mod changes;
mod codec;
pub mod counts;
pub mod db;
pub mod documents;
pub mod entities;
pub mod error;
pub mod meta;
pub mod numbers;
pub mod platform;
pub mod progress;
pub mod quarantine;
pub mod queue;
pub mod replica;
mod rewrite;
pub mod schema;
pub mod workspace;

pub use db::Db;
pub use error::StoreError;
