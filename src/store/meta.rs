//! Small named facts about the workspace: its id, the data version of its records.

use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};

use super::codec::to_js;
use super::db::{Db, get_record};
use super::error::StoreError;
use super::schema::META;

/// One named fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaEntry {
    /// The fact's name.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// Reads the fact called `key`, if it was ever written.
pub async fn get(db: &Db, key: &str) -> Result<Option<String>, StoreError> {
    let entry: Option<MetaEntry> = get_record(db, META, key.to_string()).await?;
    Ok(entry.map(|e| e.value))
}

/// Writes the fact called `key`.
pub async fn set(db: &Db, key: &str, value: &str) -> Result<(), StoreError> {
    let tx = db.tx(&[META], true)?;
    let store = tx.object_store(META)?;
    store
        .put(to_js(&MetaEntry {
            key: key.to_string(),
            value: value.to_string(),
        })?)
        .primitive()?;
    tx.commit().await?;
    Ok(())
}
