//! Replication's state in the store: local changes turned into revisions (in one transaction
//! with the marks they clear), what is left to push, and the server's confirmation.
//!
//! A record written here carries the `dirty` mark (`schema::mark_dirty`, set by every record
//! writer). Preparing a push reads the marked records, makes each change a revision after its
//! document's winner ([`Replica::local_edit`]: an unchanged body makes none) and clears the mark,
//! all in one transaction, so a change made meanwhile keeps its mark for the next round.

use indexed_db_futures::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::codec::from_js;
use super::db::Db;
use super::error::StoreError;
use super::schema::{
    ACTIVITY, ADDRESSES, BY_DIRTY, BY_UNPUSHED, DIRTY_FIELD, DOCUMENTS, ENTITIES, NUMBERS, REPLICA,
    SHARED_STORES, replica_js,
};
use crate::domain::replication::doc::{Kind, Record};
use crate::domain::replication::replica::Replica;
use crate::domain::replication::rev::Rev;
use crate::domain::replication::tree::Revisions;

/// A revision to send: the document, its winning revision here with its history, and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// The document id.
    pub id: String,
    /// The revision.
    pub rev: Rev,
    /// Its history, newest first (`_revisions`).
    pub revisions: Revisions,
    /// Whether it deletes the document.
    pub deleted: bool,
    /// The record's fields with `type` (empty for a deletion).
    pub body: Value,
}

/// The store a kind of record lives in.
fn store_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Entity => ENTITIES,
        Kind::Document => DOCUMENTS,
        Kind::Address => ADDRESSES,
        Kind::Number => NUMBERS,
        Kind::Event => ACTIVITY,
    }
}

/// A stored record of the shared store `store` as a [`Record`]; `None` when it does not decode
/// (a listing sets it aside in the quarantine).
fn record_in(store: &str, value: JsValue) -> Option<Record> {
    match store {
        s if s == ENTITIES => from_js(value).ok().map(Record::Entity),
        s if s == DOCUMENTS => from_js(value).ok().map(Record::Document),
        s if s == ADDRESSES => from_js(value).ok().map(Record::Address),
        s if s == NUMBERS => from_js(value).ok().map(Record::Number),
        s if s == ACTIVITY => from_js(value).ok().map(Record::Event),
        _ => None,
    }
}

/// Makes every changed record a revision and clears its mark, in one transaction; how many
/// revisions were made. With `everything`, every record is read, marked or not: the first push
/// of a workspace, whose records may predate the marks (schema 6).
pub async fn prepare_push(db: &Db, everything: bool) -> Result<usize, StoreError> {
    let mut stores = SHARED_STORES.to_vec();
    stores.push(REPLICA);
    let tx = db.tx(&stores, true)?;
    let replicas = tx.object_store(REPLICA)?;
    let mut made = 0;
    for name in SHARED_STORES {
        let store = tx.object_store(name)?;
        let raw: Vec<JsValue> = if everything {
            store.get_all::<JsValue>().primitive()?.await?
        } else {
            store
                .index(BY_DIRTY)?
                .get_all::<JsValue>()
                .primitive()?
                .await?
        }
        .collect::<Result<_, _>>()?;
        for value in raw {
            let Some(record) = record_in(name, value.clone()) else {
                continue;
            };
            let id = record.id();
            let stored: Option<JsValue> = replicas.get(id.clone()).primitive()?.await?;
            let mut replica = match stored {
                Some(v) => from_js::<Replica>(v).map_err(StoreError::Codec)?,
                None => Replica::new(id),
            };
            if replica.local_edit(Some(&record.body())).is_some() {
                replicas.put(replica_js(&replica)?).primitive()?;
                made += 1;
            }
            let marked = js_sys::Reflect::has(&value, &DIRTY_FIELD.into()).unwrap_or(false);
            if marked
                && js_sys::Reflect::delete_property(&value.clone().into(), &DIRTY_FIELD.into())
                    .unwrap_or(false)
            {
                store.put(value).primitive()?;
            }
        }
    }
    tx.commit().await?;
    Ok(made)
}

/// Every revision made here that the server has not confirmed, with its record's body as it is
/// now.
pub async fn outgoing(db: &Db) -> Result<Vec<Outgoing>, StoreError> {
    let mut stores = SHARED_STORES.to_vec();
    stores.push(REPLICA);
    let tx = db.tx(&stores, false)?;
    let pending: Vec<JsValue> = tx
        .object_store(REPLICA)?
        .index(BY_UNPUSHED)?
        .get_all::<JsValue>()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(pending.len());
    for value in pending {
        let replica: Replica = from_js(value).map_err(StoreError::Codec)?;
        let Some(rev) = replica.tree.winner().cloned() else {
            continue;
        };
        let Some(revisions) = replica.tree.history(&rev) else {
            continue;
        };
        let deleted = replica.tree.is_deleted(&rev);
        let body = if deleted {
            Value::Object(Default::default())
        } else {
            let Some((kind, sid)) = replica
                .id
                .split_once(':')
                .and_then(|(k, sid)| Some((Kind::from_name(k)?, sid)))
            else {
                continue;
            };
            let name = store_of(kind);
            let found: Option<JsValue> = tx
                .object_store(name)?
                .get(sid.to_string())
                .primitive()?
                .await?;
            match found.and_then(|v| record_in(name, v)) {
                Some(record) => record.body(),
                None => continue,
            }
        };
        out.push(Outgoing {
            id: replica.id,
            rev,
            revisions,
            deleted,
            body,
        });
    }
    Ok(out)
}

/// Records that the server has these revisions: an entry whose winner is still the one sent has
/// nothing left to push; one changed meanwhile keeps its newer revision to send.
pub async fn confirm_pushed(db: &Db, sent: &[(String, Rev)]) -> Result<(), StoreError> {
    let tx = db.tx(&[REPLICA], true)?;
    let replicas = tx.object_store(REPLICA)?;
    for (id, rev) in sent {
        let stored: Option<JsValue> = replicas.get(id.clone()).primitive()?.await?;
        let Some(value) = stored else { continue };
        let mut replica: Replica = from_js(value).map_err(StoreError::Codec)?;
        if replica.unpushed && replica.tree.winner() == Some(rev) {
            replica.unpushed = false;
            // Written without the unpushed field: the entry leaves the `by_unpushed` index.
            replicas.put(replica_js(&replica)?).primitive()?;
        }
    }
    tx.commit().await?;
    Ok(())
}
