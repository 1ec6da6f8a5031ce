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

use super::codec::{from_js, read_all, to_js};
use super::db::Db;
use super::error::StoreError;
use super::numbers::{COMPLIANCE_FIELD, number_js};
use super::quarantine::Quarantined;
use super::schema::{
    ACTIVITY, ADDRESSES, BY_DIRTY, BY_UNPUSHED, DIRTY_FIELD, DOCUMENTS, ENTITIES, NUMBERS,
    QUARANTINE, REPLICA, SHARED_STORES, address_js, document_js, entity_js, event_js, replica_js,
};
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::number::PhoneNumber;
use crate::domain::replication::doc::{Kind, Record};
use crate::domain::replication::replica::{Received, Replica};
use crate::domain::replication::rev::Rev;
use crate::domain::replication::tree::Revisions;
use crate::domain::rules::compliance::{Compliance, Lookup};
use crate::domain::time::Timestamp;

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

/// Makes the deletion of the record `id` a revision, within the deleting transaction `tx` (which
/// must include the replica store): a record ever shared leaves a deletion to push; one never
/// shared leaves nothing.
pub(crate) async fn record_deletion(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    id: String,
) -> Result<(), StoreError> {
    let replicas = tx.object_store(REPLICA)?;
    let stored: Option<JsValue> = replicas.get(id).primitive()?.await?;
    let Some(value) = stored else {
        return Ok(());
    };
    let mut replica: Replica = from_js(value).map_err(StoreError::Codec)?;
    if replica.local_edit(None).is_some() {
        replicas.put(replica_js(&replica)?).primitive()?;
    }
    Ok(())
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

/// A document's replication state here, if it was ever shared or received.
pub async fn state(db: &Db, id: &str) -> Result<Option<Replica>, StoreError> {
    super::db::get_record(db, REPLICA, id.to_string()).await
}

/// A revision received from the server (`_bulk_get` with `revs=true`).
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    /// The document id.
    pub id: String,
    /// The revision.
    pub rev: Rev,
    /// Its history, newest first (`_revisions`).
    pub revisions: Revisions,
    /// Whether it deletes the document.
    pub deleted: bool,
    /// The document's fields (CouchDB's `_` fields may be there; they are ignored).
    pub body: Value,
}

/// What applying a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Records written or deleted here (their revision won).
    pub written: usize,
    /// Revisions kept as conflicts beside the record's winner.
    pub conflicts: usize,
    /// Documents set aside in the quarantine, never applied.
    pub set_aside: usize,
}

/// A record as its store keeps it, with no change mark: it is the server's, not a change here.
/// A number's compliance is set by [`refresh_numbers`] in the same transaction.
fn stored(record: &Record) -> Result<JsValue, StoreError> {
    let value = match record {
        Record::Entity(r) => entity_js(r)?,
        Record::Document(r) => document_js(r)?,
        Record::Address(r) => address_js(r)?,
        Record::Number(r) => number_js(r, &Compliance::NotRegulated)?,
        Record::Event(r) => event_js(r)?,
    };
    js_sys::Reflect::delete_property(&value.clone().into(), &DIRTY_FIELD.into())
        .map_err(|_| StoreError::Codec("could not clear the change mark".into()))?;
    Ok(value)
}

/// Sets the compliance slug of the numbers `which` (every number with `None`) as of `now`, from
/// the documents and addresses the transaction sees. The records are otherwise untouched: no
/// change mark, since their bodies did not change.
async fn refresh_numbers(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    which: Option<&[String]>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let (documents, _) = read_all::<IdentityDocument>(&tx.object_store(DOCUMENTS)?).await?;
    let (addresses, _) = read_all::<Address>(&tx.object_store(ADDRESSES)?).await?;
    let lookup = Lookup::new(&documents, &addresses);
    let store = tx.object_store(NUMBERS)?;
    let raw: Vec<JsValue> = match which {
        None => store
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?,
        Some(sids) => {
            let mut found = Vec::with_capacity(sids.len());
            for sid in sids {
                let value: Option<JsValue> = store.get(sid.clone()).primitive()?.await?;
                found.extend(value);
            }
            found
        }
    };
    for value in raw {
        let Ok(number) = from_js::<PhoneNumber>(value.clone()) else {
            continue;
        };
        let slug = lookup.compliance(&number, now.date_utc()).slug();
        js_sys::Reflect::set(&value, &COMPLIANCE_FIELD.into(), &slug.into())
            .map_err(|_| StoreError::Codec("could not set the compliance field".into()))?;
        store.put(value).primitive()?;
    }
    Ok(())
}

/// Applies a batch of revisions from the server, in one transaction with everything that depends
/// on them: each document's revision tree, the records whose revision won (a number's compliance
/// with them; every number's when a document or an address changed), the bodies of conflicts.
/// A local change not yet a revision becomes one first, so it stands as a branch of its own. A
/// document that does not decode, breaks a record rule or brings a history that does not fit is
/// set aside in the quarantine with the reason, and nothing of it is applied.
pub async fn apply_incoming(
    db: &Db,
    batch: &[Incoming],
    now: Timestamp,
) -> Result<Applied, StoreError> {
    let mut stores = SHARED_STORES.to_vec();
    stores.extend([REPLICA, QUARANTINE]);
    let tx = db.tx(&stores, true)?;
    let replicas = tx.object_store(REPLICA)?;
    let quarantine = tx.object_store(QUARANTINE)?;
    let set_aside = |incoming: &Incoming, why: String| -> Result<(), StoreError> {
        let entry = Quarantined {
            id: format!("{REPLICA}/{}@{}", incoming.id, incoming.rev),
            store: REPLICA.to_string(),
            key: format!("{} {}", incoming.id, incoming.rev),
            error: why,
            at: now.0,
        };
        let value = to_js(&entry)?;
        let raw = js_sys::JSON::parse(&incoming.body.to_string())
            .map_err(|_| StoreError::Codec("could not keep the document's body".into()))?;
        js_sys::Reflect::set(&value, &"raw".into(), &raw)
            .map_err(|_| StoreError::Codec("could not attach the raw document".into()))?;
        quarantine.put(value).primitive()?;
        Ok(())
    };
    // What others refer to first: entities, addresses, documents, numbers, the log.
    let mut order: Vec<&Incoming> = batch.iter().collect();
    let rank = |i: &Incoming| {
        i.id.split_once(':')
            .and_then(|(k, _)| Kind::from_name(k))
            .and_then(|k| Kind::ALL.iter().position(|x| *x == k))
            .unwrap_or(usize::MAX)
    };
    order.sort_by_key(|i| rank(i));
    let mut applied = Applied::default();
    let mut rules_changed = false;
    let mut numbers_written: Vec<String> = Vec::new();
    for incoming in order {
        let record = if incoming.deleted {
            None
        } else {
            match Record::from_doc(&incoming.id, &incoming.body) {
                Ok(r) => Some(r),
                Err(e) => {
                    set_aside(incoming, e.to_string())?;
                    applied.set_aside += 1;
                    continue;
                }
            }
        };
        let Some((kind, sid)) = incoming
            .id
            .split_once(':')
            .and_then(|(k, sid)| Some((Kind::from_name(k)?, sid.to_string())))
        else {
            set_aside(
                incoming,
                "the id is not `type:SID` of a record type regdesk keeps".into(),
            )?;
            applied.set_aside += 1;
            continue;
        };
        let name = store_of(kind);
        let store = tx.object_store(name)?;
        let current: Option<JsValue> = store.get(sid.clone()).primitive()?.await?;
        let here = current
            .clone()
            .and_then(|v| record_in(name, v))
            .map(|r| r.body());
        let found: Option<JsValue> = replicas.get(incoming.id.clone()).primitive()?.await?;
        let mut replica = match found {
            Some(v) => from_js::<Replica>(v).map_err(StoreError::Codec)?,
            None => Replica::new(incoming.id.clone()),
        };
        if current
            .as_ref()
            .is_some_and(|v| js_sys::Reflect::has(v, &DIRTY_FIELD.into()).unwrap_or(false))
        {
            replica.local_edit(here.as_ref());
        }
        let received = match replica.receive(
            &incoming.rev,
            &incoming.revisions,
            incoming.deleted,
            &incoming.body,
            here.as_ref(),
        ) {
            Ok(r) => r,
            Err(e) => {
                set_aside(incoming, e.to_string())?;
                applied.set_aside += 1;
                continue;
            }
        };
        match received {
            Received::Known => continue,
            Received::Wins => {
                match &record {
                    None => {
                        store.delete(sid.clone()).primitive()?;
                    }
                    Some(r) => {
                        store.put(stored(r)?).primitive()?;
                    }
                }
                applied.written += 1;
                match kind {
                    Kind::Document | Kind::Address => rules_changed = true,
                    Kind::Number if record.is_some() => numbers_written.push(sid),
                    _ => {}
                }
            }
            Received::Loses => applied.conflicts += usize::from(!incoming.deleted),
        }
        replicas.put(replica_js(&replica)?).primitive()?;
    }
    if rules_changed {
        refresh_numbers(&tx, None, now).await?;
    } else if !numbers_written.is_empty() {
        refresh_numbers(&tx, Some(&numbers_written), now).await?;
    }
    tx.commit().await?;
    Ok(applied)
}
