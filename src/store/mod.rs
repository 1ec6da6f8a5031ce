//! IndexedDB persistence: the schema, its migrations, and one repository per kind of record.
//!
//! Every user action is one readwrite transaction over all the stores it touches, so it either
//! commits whole or leaves everything as it was. Nothing above this layer sees
//! `indexed_db_futures`: the UI and the review queue call the repository functions, which speak in
//! domain types.

pub mod db;
pub mod error;
pub mod meta;
pub mod schema;

pub use db::Db;
pub use error::StoreError;
