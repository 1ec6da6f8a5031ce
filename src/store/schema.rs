//! The database's shape: object stores, their keys and indexes, and the versioned steps that
//! create them.
//!
//! Each step runs inside the browser's `upgradeneeded` transaction, so a half-applied schema is
//! impossible: the upgrade commits whole or the database stays at its old version.

use indexed_db_futures::KeyPath;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

/// The schema version the code expects.
pub const VERSION: u32 = 1;

/// Identity documents, keyed by SID.
pub const DOCUMENTS: &str = "documents";
/// Addresses, keyed by SID.
pub const ADDRESSES: &str = "addresses";
/// Owned phone numbers, keyed by SID.
pub const NUMBERS: &str = "numbers";
/// The scans themselves, as Blobs, keyed by their SHA-256, apart from the documents' metadata.
pub const FILES: &str = "files";
/// Review-queue entries, keyed by document SID.
pub const QUEUE: &str = "queue";
/// The activity log, keyed by event SID.
pub const ACTIVITY: &str = "activity";
/// Small facts about the workspace (schema and data version, workspace id), keyed by name.
pub const META: &str = "meta";
/// Records that failed to decode, kept rather than dropped, keyed by store and original key.
pub const QUARANTINE: &str = "quarantine";

/// Every store, for transactions that must see the whole workspace.
pub const ALL_STORES: [&str; 8] = [
    DOCUMENTS, ADDRESSES, NUMBERS, FILES, QUEUE, ACTIVITY, META, QUARANTINE,
];

/// Applies every schema step between `old` and [`VERSION`].
pub fn upgrade(db: &Database, old: u32) -> indexed_db_futures::Result<()> {
    if old < 1 {
        v1(db)?;
    }
    Ok(())
}

/// Version 1: every store and the indexes the pages query.
fn v1(db: &Database) -> indexed_db_futures::Result<()> {
    let sid = || KeyPath::from("sid");
    let documents = db
        .create_object_store(DOCUMENTS)
        .with_key_path(sid())
        .build()?;
    documents
        .create_index("by_status", KeyPath::from("status"))
        .build()?;
    db.create_object_store(ADDRESSES)
        .with_key_path(sid())
        .build()?;
    let numbers = db
        .create_object_store(NUMBERS)
        .with_key_path(sid())
        .build()?;
    numbers
        .create_index("by_identity", KeyPath::from("identity_sid"))
        .build()?;
    numbers
        .create_index("by_address", KeyPath::from("address_sid"))
        .build()?;
    numbers
        .create_index("by_compliance", KeyPath::from("compliance"))
        .build()?;
    db.create_object_store(FILES).build()?;
    let queue = db
        .create_object_store(QUEUE)
        .with_key_path(KeyPath::from("document_sid"))
        .build()?;
    queue
        .create_index("by_due", KeyPath::from("due_ms"))
        .build()?;
    let activity = db
        .create_object_store(ACTIVITY)
        .with_key_path(sid())
        .build()?;
    activity
        .create_index("by_time", KeyPath::from("at_ms"))
        .build()?;
    db.create_object_store(META)
        .with_key_path(KeyPath::from("key"))
        .build()?;
    db.create_object_store(QUARANTINE)
        .with_key_path(KeyPath::from("id"))
        .build()?;
    Ok(())
}
