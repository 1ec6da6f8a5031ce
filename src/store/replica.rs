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

use std::collections::{HashMap, HashSet};

use indexed_db_futures::KeyRange;
use wasm_bindgen::JsCast;

use super::codec::{blob_bytes, bytes_blob, from_js, get_each, read_all, to_js};
use super::db::Db;
use super::error::StoreError;
use super::meta::{self, MetaEntry};
use super::numbers::{number_js, restate, stored_slug};
use super::quarantine::Quarantined;
use super::queue::QueueEntry;
use super::schema::{
    ACTIVITY, ADDRESSES, ALL_STORES, BY_CONFLICT, BY_DIRTY, BY_UNPUSHED, DIRTY_FIELD, DOCUMENTS,
    ENTITIES, FILES, META, NUMBERS, QUARANTINE, QUEUE, REPLICA, SHARED_STORES, address_js,
    document_js, entity_js, event_js, replica_js,
};
use crate::domain::records::address::Address;
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::number::PhoneNumber;
use crate::domain::replication::doc::{Kind, Record, parse_id};
use crate::domain::replication::file::{ScanFile, stored_type};
use crate::domain::replication::replica::{Received, Replica};
use crate::domain::replication::rev::Rev;
use crate::domain::replication::wire::{Attachment, Change, Checkpoint};
pub use crate::domain::replication::wire::{Incoming, Outgoing};
use crate::domain::rules::compliance::{Compliance, Lookup};
use crate::domain::time::Timestamp;

/// The store a kind of record lives in.
fn store_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Entity => ENTITIES,
        Kind::Document => DOCUMENTS,
        Kind::Address => ADDRESSES,
        Kind::Number => NUMBERS,
        Kind::Event => ACTIVITY,
        Kind::File => FILES,
    }
}

/// A stored record of `kind` as a [`Record`]; `None` when it does not decode (a listing sets it
/// aside in the quarantine).
fn record_in(kind: Kind, value: JsValue) -> Option<Record> {
    match kind {
        Kind::Entity => from_js(value).ok().map(Record::Entity),
        Kind::Document => from_js(value).ok().map(Record::Document),
        Kind::Address => from_js(value).ok().map(Record::Address),
        Kind::Number => from_js(value).ok().map(Record::Number),
        Kind::Event => from_js(value).ok().map(Record::Event),
        Kind::File => None,
    }
}

/// The replica entries of `ids` as they are stored (a new one where there is none), read
/// together.
async fn replicas_of(
    replicas: &indexed_db_futures::object_store::ObjectStore<'_>,
    ids: &[String],
) -> Result<Vec<Replica>, StoreError> {
    get_each(replicas, ids)
        .await?
        .into_iter()
        .zip(ids)
        .map(|(found, id)| match found {
            Some(v) => from_js::<Replica>(v).map_err(StoreError::Codec),
            None => Ok(Replica::new(id.clone())),
        })
        .collect()
}

/// Whether a stored record carries the change mark.
fn marked(value: &JsValue) -> bool {
    js_sys::Reflect::has(value, &DIRTY_FIELD.into()).unwrap_or(false)
}

/// Makes every changed record a revision and clears its mark, in one transaction; how many
/// revisions were made. With `everything`, every record is read, marked or not: the first push
/// of a workspace, whose records may predate the marks (schema 6).
pub async fn prepare_push(db: &Db, everything: bool) -> Result<usize, StoreError> {
    let mut stores = SHARED_STORES.to_vec();
    stores.extend([REPLICA, FILES]);
    let tx = db.tx(&stores, true)?;
    let replicas = tx.object_store(REPLICA)?;
    let mut made = new_files(&tx).await?;
    for kind in Kind::ALL {
        let store = tx.object_store(store_of(kind))?;
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
        let records: Vec<(JsValue, Record)> = raw
            .into_iter()
            .filter_map(|value| Some((value.clone(), record_in(kind, value)?)))
            .collect();
        let ids: Vec<String> = records.iter().map(|(_, r)| r.id()).collect();
        let found = replicas_of(&replicas, &ids).await?;
        for ((value, record), mut replica) in records.into_iter().zip(found) {
            if replica.local_edit(Some(&record.body())).is_some() {
                replicas.put(replica_js(&replica)?).primitive()?;
                made += 1;
            }
            if marked(&value)
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

/// Gives every stored scan file not yet shared its one revision (`ScanFile`: the same on every
/// machine), within `tx`: the files are found by comparing the file store's keys with the replica
/// entries named `file:…`, so nothing marks them and no bytes are read. How many were new.
async fn new_files(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
) -> Result<usize, StoreError> {
    let files = tx.object_store(FILES)?;
    let replicas = tx.object_store(REPLICA)?;
    let prefix = format!("{}:", Kind::File.name());
    let range = KeyRange::Bound(
        prefix.clone(),
        false,
        format!("{};", Kind::File.name()),
        true,
    );
    let known_req = replicas
        .get_all_keys::<JsValue>()
        .with_query::<String, _>(range)
        .primitive()?;
    let stored_req = files.get_all_keys::<JsValue>().primitive()?;
    let known: HashSet<String> = known_req
        .await?
        .filter_map(|k| k.ok()?.as_string())
        .collect();
    let fresh: Vec<String> = stored_req
        .await?
        .filter_map(|k| k.ok()?.as_string())
        .filter(|sha| !known.contains(&format!("{prefix}{sha}")))
        .collect();
    let blobs = get_each(&files, &fresh).await?;
    let mut made = 0;
    for (sha256, blob) in fresh.into_iter().zip(blobs) {
        let Some(blob) = blob.and_then(|b| b.dyn_into::<web_sys::Blob>().ok()) else {
            continue;
        };
        let file = ScanFile {
            sha256,
            length: blob.size() as u64,
        };
        let mut replica = Replica::new(file.id());
        if replica.local_edit(Some(&file.body())).is_some() {
            replicas.put(replica_js(&replica)?).primitive()?;
            made += 1;
        }
    }
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

/// The scan bytes one page of [`outgoing`] carries at most (a single larger scan goes alone).
const PAGE_SCAN_BYTES: u64 = 4 * 1024 * 1024;

/// Revisions made here that the server has not confirmed, at most `limit` documents' worth: each
/// document's winner with its record's body as it is now (a scan file's with its bytes), and the
/// deletions of its other branches. A push takes them a page at a time, so a workspace's scans
/// are never all in memory at once.
pub async fn outgoing(db: &Db, limit: u32) -> Result<Vec<Outgoing>, StoreError> {
    let mut stores = SHARED_STORES.to_vec();
    stores.extend([REPLICA, FILES]);
    let tx = db.tx(&stores, false)?;
    let pending: Vec<JsValue> = tx
        .object_store(REPLICA)?
        .index(BY_UNPUSHED)?
        .get_all::<JsValue>()
        .with_limit(limit)
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let pending: Vec<Replica> = pending
        .into_iter()
        .map(|v| from_js(v).map_err(StoreError::Codec))
        .collect::<Result<_, _>>()?;
    // Each live winner's record (or file), every request placed before the first is awaited.
    let mut requests = Vec::with_capacity(pending.len());
    for replica in &pending {
        let live = replica
            .tree
            .winner()
            .filter(|w| !replica.tree.is_deleted(w));
        requests.push(match live.and_then(|_| parse_id(&replica.id)) {
            Some((kind, sid)) => Some((
                kind,
                tx.object_store(store_of(kind))?
                    .get(sid.to_string())
                    .primitive()?,
            )),
            None => None,
        });
    }
    let mut found: Vec<Option<(Kind, Option<JsValue>)>> = Vec::with_capacity(pending.len());
    for request in requests {
        found.push(match request {
            Some((kind, request)) => Some((kind, request.await?)),
            None => None,
        });
    }
    drop(tx);
    let mut out = Vec::with_capacity(pending.len());
    let mut scan_bytes = 0;
    for (replica, request) in pending.into_iter().zip(found) {
        // The deletions that ended conflicting branches (`Replica::resolve`) go too; the
        // server's `_revs_diff` drops the ones it has.
        let winner = replica.tree.winner().cloned();
        for leaf in replica.tree.leaves() {
            if Some(leaf) != winner.as_ref()
                && replica.tree.is_deleted(leaf)
                && let Some(revisions) = replica.tree.history(leaf)
            {
                out.push(Outgoing {
                    id: replica.id.clone(),
                    rev: leaf.clone(),
                    revisions,
                    deleted: true,
                    body: Value::Object(Default::default()),
                    attachment: None,
                });
            }
        }
        let Some(rev) = winner else {
            continue;
        };
        let Some(revisions) = replica.tree.history(&rev) else {
            continue;
        };
        let deleted = replica.tree.is_deleted(&rev);
        let (body, attachment) = match request {
            None if deleted => (Value::Object(Default::default()), None),
            None => continue,
            Some((Kind::File, found)) => {
                let Some(blob) = found.and_then(|b| b.dyn_into::<web_sys::Blob>().ok()) else {
                    continue;
                };
                // A page carries a few MiB of scans at most (at least one scan): the rest waits
                // for the next page, still unconfirmed.
                let size = blob.size() as u64;
                if scan_bytes > 0 && scan_bytes + size > PAGE_SCAN_BYTES {
                    continue;
                }
                scan_bytes += size;
                let data = blob_bytes(&blob).await?;
                let file = ScanFile {
                    sha256: replica.id[Kind::File.name().len() + 1..].to_string(),
                    length: data.len() as u64,
                };
                let attachment = Attachment {
                    content_type: blob.type_(),
                    data,
                };
                (file.body(), Some(attachment))
            }
            Some((kind, found)) => match found.and_then(|v| record_in(kind, v)) {
                Some(record) => (record.body(), None),
                None => continue,
            },
        };
        out.push(Outgoing {
            id: replica.id,
            rev,
            revisions,
            deleted,
            body,
            attachment,
        });
    }
    Ok(out)
}

/// Records that the server has these revisions: an entry whose winner is still the one sent has
/// nothing left to push; one changed meanwhile keeps its newer revision to send.
pub async fn confirm_pushed(db: &Db, sent: &[(String, Rev)]) -> Result<(), StoreError> {
    let tx = db.tx(&[REPLICA], true)?;
    let replicas = tx.object_store(REPLICA)?;
    let ids: Vec<String> = sent.iter().map(|(id, _)| id.clone()).collect();
    let found = replicas_of(&replicas, &ids).await?;
    for ((_, rev), mut replica) in sent.iter().zip(found) {
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

/// What applying a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Records written or deleted here (their revision won).
    pub written: usize,
    /// Revisions kept as conflicts beside the record's winner.
    pub conflicts: usize,
    /// Documents set aside in the quarantine, never applied.
    pub set_aside: usize,
    /// Documents whose state here changed in any way (a conflict ended by another machine's
    /// deletion of its branch included): what the views must show anew.
    pub changed: usize,
}

/// A record as its store keeps it, marked as a change here (every record writer marks it). A
/// number gets its compliance from [`restate_numbers`] in the same transaction.
fn record_js(record: &Record) -> Result<JsValue, StoreError> {
    match record {
        Record::Entity(r) => entity_js(r),
        Record::Document(r) => document_js(r),
        Record::Address(r) => address_js(r),
        Record::Number(r) => number_js(r, &Compliance::NotRegulated),
        Record::Event(r) => event_js(r),
    }
}

/// A stored value without its change mark: what came from the server is not a change here.
fn unmarked(value: JsValue) -> Result<JsValue, StoreError> {
    js_sys::Reflect::delete_property(&value.clone().into(), &DIRTY_FIELD.into())
        .map_err(|_| StoreError::Codec("could not clear the change mark".into()))?;
    Ok(value)
}

/// A record from the server as its store keeps it (see [`record_js`]), unmarked.
fn stored(record: &Record) -> Result<JsValue, StoreError> {
    unmarked(record_js(record)?)
}

/// Writes the numbers a batch brought (with `mark`, as a local change), and with `every`,
/// restates every stored number first (a document or an address changed): each with its
/// compliance as of `now`, from the documents and addresses the transaction sees, read once.
async fn restate_numbers(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    brought: &[PhoneNumber],
    every: bool,
    now: Timestamp,
    mark: bool,
) -> Result<(), StoreError> {
    let (documents, _) = read_all::<IdentityDocument>(&tx.object_store(DOCUMENTS)?).await?;
    let (addresses, _) = read_all::<Address>(&tx.object_store(ADDRESSES)?).await?;
    let lookup = Lookup::new(&documents, &addresses);
    let today = now.date_utc();
    let store = tx.object_store(NUMBERS)?;
    if every {
        let raw: Vec<JsValue> = store
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        // Only the numbers whose slug changes are written: one address or document changed
        // rarely changes more than a few of them.
        for value in raw {
            let Ok(number) = from_js::<PhoneNumber>(value.clone()) else {
                continue;
            };
            let state = lookup.compliance(&number, today);
            if stored_slug(&value).as_deref() != Some(state.slug()) {
                restate(&value, &state)?;
                store.put(value).primitive()?;
            }
        }
    }
    for number in brought {
        let value = number_js(number, &Compliance::NotRegulated)?;
        let value = if mark { value } else { unmarked(value)? };
        restate(&value, &lookup.compliance(number, today))?;
        store.put(value).primitive()?;
    }
    Ok(())
}

/// Keeps this machine's review queue in step with a document from the team: a Pending one whose
/// submission says when its review is due is queued for then (so any machine of the team decides
/// it, the same way); any other leaves the queue.
fn queue_for(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    document: &IdentityDocument,
) -> Result<(), StoreError> {
    let queue = tx.object_store(QUEUE)?;
    match (document.review_due(), document.submitted_at()) {
        (Some(due), Some(submitted)) => {
            let entry = QueueEntry {
                document_sid: document.sid,
                submitted,
                delay_minutes: document.review_delay_minutes(),
                due,
            };
            queue.put(to_js(&entry)?).primitive()?;
        }
        _ if document.status != Status::Pending => {
            queue.delete(document.sid.to_string()).primitive()?;
        }
        _ => {}
    }
    Ok(())
}

/// Applies a batch of revisions from the server, in one transaction with everything that depends
/// on them: each document's revision tree, the records whose revision won (a number's compliance
/// with them; every number's when a document or an address changed), the bodies of conflicts.
/// A local change not yet a revision becomes one first, so it stands as a branch of its own. A
/// document that does not decode, breaks a record rule or brings a history that does not fit is
/// set aside in the quarantine with the reason, and nothing of it is applied.
///
/// With `checkpoint` (a replication id and the server sequence the batch ends at), the pull's
/// checkpoint is written in the same transaction: a pull stopped at any point resumes after the
/// last batch that was fully applied, never after one that was not.
pub async fn apply_incoming(
    db: &Db,
    batch: &[Incoming],
    checkpoint: Option<(&str, &Checkpoint)>,
    now: Timestamp,
) -> Result<Applied, StoreError> {
    let mut stores = SHARED_STORES.to_vec();
    stores.extend([REPLICA, QUARANTINE, META, FILES, QUEUE]);
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
    // What others refer to first: entities, addresses, documents, numbers, the log. An id
    // regdesk does not write is set aside.
    let mut order: Vec<(Kind, &str, &Incoming)> = Vec::with_capacity(batch.len());
    let mut applied = Applied::default();
    for incoming in batch {
        match parse_id(&incoming.id) {
            Some((kind, sid)) => order.push((kind, sid, incoming)),
            None => {
                set_aside(
                    incoming,
                    "the id is not `type:SID` of a record type regdesk keeps".into(),
                )?;
                applied.set_aside += 1;
            }
        }
    }
    order.sort_by_key(|(kind, _, _)| Kind::ALL.iter().position(|k| k == kind));
    // Each document's record and replica entry, read together once; a batch may bring several
    // revisions of one document (its conflicts), so later ones see what earlier ones did here.
    let mut ids: Vec<String> = order.iter().map(|(_, _, i)| i.id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut states: HashMap<String, (Option<JsValue>, Replica)> = HashMap::new();
    for kind in Kind::ALL.into_iter().chain([Kind::File]) {
        let of_kind: Vec<String> = ids
            .iter()
            .filter(|id| parse_id(id).is_some_and(|(k, _)| k == kind))
            .cloned()
            .collect();
        let sids: Vec<String> = of_kind
            .iter()
            .filter_map(|id| parse_id(id).map(|(_, sid)| sid.to_string()))
            .collect();
        let records = get_each(&tx.object_store(store_of(kind))?, &sids).await?;
        let entries = replicas_of(&replicas, &of_kind).await?;
        for ((id, record), replica) in of_kind.into_iter().zip(records).zip(entries) {
            states.insert(id, (record, replica));
        }
    }
    let mut rules_changed = false;
    let mut brought: HashMap<String, PhoneNumber> = HashMap::new();
    let mut changed: Vec<String> = Vec::new();
    for (kind, sid, incoming) in order {
        if kind == Kind::File {
            // A scan file never changes and is never deleted: its bytes are checked against its
            // name and stored once.
            let checked =
                ScanFile::from_doc(&incoming.id, &incoming.body, incoming.attachment.as_ref());
            let (Ok(_), Some(attachment), false) =
                (checked.as_ref(), &incoming.attachment, incoming.deleted)
            else {
                let why = match checked {
                    Err(e) => e.to_string(),
                    Ok(_) => format!("{}: a scan file is never deleted", incoming.id),
                };
                set_aside(incoming, why)?;
                applied.set_aside += 1;
                continue;
            };
            let Some((_, replica)) = states.get_mut(&incoming.id) else {
                continue;
            };
            match replica.receive(
                &incoming.rev,
                &incoming.revisions,
                false,
                &incoming.body,
                None,
            ) {
                Err(e) => {
                    set_aside(incoming, e.to_string())?;
                    applied.set_aside += 1;
                }
                Ok(Received::Known) => {}
                Ok(_) => {
                    let mime = stored_type(&attachment.data, &attachment.content_type);
                    tx.object_store(FILES)?
                        .put(JsValue::from(bytes_blob(&attachment.data, mime)?))
                        .with_key(sid.to_string())
                        .primitive()?;
                    applied.written += 1;
                    changed.push(incoming.id.clone());
                }
            }
            continue;
        }
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
        let Some((current, replica)) = states.get_mut(&incoming.id) else {
            continue;
        };
        let here = current
            .clone()
            .and_then(|v| record_in(kind, v))
            .map(|r| r.body());
        if current.as_ref().is_some_and(marked) {
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
                let store = tx.object_store(store_of(kind))?;
                match &record {
                    None => {
                        store.delete(sid.to_string()).primitive()?;
                        *current = None;
                        brought.remove(sid);
                        if kind == Kind::Document {
                            tx.object_store(QUEUE)?
                                .delete(sid.to_string())
                                .primitive()?;
                        }
                    }
                    Some(Record::Number(n)) => {
                        brought.insert(sid.to_string(), n.clone());
                        *current = Some(stored(&Record::Number(n.clone()))?);
                    }
                    Some(r) => {
                        let value = stored(r)?;
                        store.put(value.clone()).primitive()?;
                        *current = Some(value);
                        if let Record::Document(d) = r {
                            queue_for(&tx, d)?;
                        }
                    }
                }
                applied.written += 1;
                rules_changed |= matches!(kind, Kind::Document | Kind::Address);
            }
            Received::Loses => applied.conflicts += usize::from(!incoming.deleted),
        }
        changed.push(incoming.id.clone());
    }
    changed.sort();
    changed.dedup();
    applied.changed = changed.len();
    for id in &changed {
        if let Some((_, replica)) = states.get(id) {
            replicas.put(replica_js(replica)?).primitive()?;
        }
    }
    // A number whose versions now conflict (or no longer do) says so; it counts as compliant
    // only once someone has chosen.
    for id in &changed {
        let (Some((Kind::Number, sid)), Some((current, replica))) = (parse_id(id), states.get(id))
        else {
            continue;
        };
        let conflict = !replica.others.is_empty();
        let number = match brought.get(sid) {
            Some(n) => Some(n.clone()),
            None => current.clone().and_then(|v| from_js::<PhoneNumber>(v).ok()),
        };
        if let Some(mut number) = number
            && (number.in_conflict != conflict || brought.contains_key(sid))
        {
            number.in_conflict = conflict;
            brought.insert(sid.to_string(), number);
        }
    }
    if rules_changed || !brought.is_empty() {
        let brought: Vec<PhoneNumber> = brought.into_values().collect();
        restate_numbers(&tx, &brought, rules_changed, now, false).await?;
    }
    if let Some((replication, at)) = checkpoint {
        tx.object_store(META)?
            .put(to_js(&MetaEntry {
                key: checkpoint_key(replication),
                value: at.seq.to_string(),
            })?)
            .primitive()?;
    }
    tx.commit().await?;
    Ok(applied)
}

/// The meta entry that holds a pull's checkpoint here.
fn checkpoint_key(replication: &str) -> String {
    format!("sync-pull/{replication}")
}

/// The pull checkpoint this workspace keeps for `replication`, if a batch was ever applied.
pub async fn checkpoint(db: &Db, replication: &str) -> Result<Option<Checkpoint>, StoreError> {
    Ok(meta::get(db, &checkpoint_key(replication))
        .await?
        .and_then(|text| serde_json::from_str(&text).ok())
        .map(|seq| Checkpoint { seq }))
}

/// Of the server's leaves in `changes`, the revisions this workspace does not have: what a pull
/// asks `_bulk_get` for.
pub async fn unknown(db: &Db, changes: &[Change]) -> Result<Vec<(String, Rev)>, StoreError> {
    let tx = db.tx(&[REPLICA], false)?;
    let replicas = tx.object_store(REPLICA)?;
    let ids: Vec<String> = changes.iter().map(|c| c.id.clone()).collect();
    let found = replicas_of(&replicas, &ids).await?;
    Ok(changes
        .iter()
        .zip(found)
        .flat_map(|(change, replica)| {
            replica
                .tree
                .missing(&change.revs)
                .into_iter()
                .map(|rev| (change.id.clone(), rev.clone()))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// A record two machines changed apart: the version that won here and each other one.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The document id.
    pub id: String,
    /// The winning revision and the record's body as it is here (`None`: deleted here).
    pub winner: (Rev, Option<Value>),
    /// Each losing live revision and its body.
    pub others: Vec<(Rev, Value)>,
}

/// Every record with a conflict, each with its versions, in id order.
pub async fn conflicts(db: &Db) -> Result<Vec<Conflict>, StoreError> {
    let mut stores = SHARED_STORES.to_vec();
    stores.push(REPLICA);
    let tx = db.tx(&stores, false)?;
    let entries: Vec<Replica> = tx
        .object_store(REPLICA)?
        .index(BY_CONFLICT)?
        .get_all::<JsValue>()
        .primitive()?
        .await?
        .filter_map(|v| from_js(v.ok()?).ok())
        .collect();
    let mut out = Vec::new();
    for replica in entries.into_iter().filter(|r| !r.others.is_empty()) {
        let (Some(winner), Some((kind, sid))) = (replica.tree.winner(), parse_id(&replica.id))
        else {
            continue;
        };
        let here: Option<JsValue> = tx
            .object_store(store_of(kind))?
            .get(sid.to_string())
            .primitive()?
            .await?;
        let others = replica
            .others
            .iter()
            .filter_map(|(rev, body)| Some((rev.parse().ok()?, body.clone())))
            .collect();
        out.push(Conflict {
            id: replica.id.clone(),
            winner: (
                winner.clone(),
                here.and_then(|v| record_in(kind, v)).map(|r| r.body()),
            ),
            others,
        });
    }
    Ok(out)
}

/// Ends the conflict of document `id` with `body`, the version the user chose or put together:
/// checked as an incoming document is, written as a local change (its next push makes it a
/// revision), every losing branch deleted, and the numbers' compliance restated, in one
/// transaction. A body that breaks a record rule changes nothing.
pub async fn resolve(db: &Db, id: &str, body: &Value, now: Timestamp) -> Result<(), StoreError> {
    let record = Record::from_doc(id, body).map_err(|e| StoreError::Conflict(e.to_string()))?;
    let kind = record.kind();
    let mut stores = SHARED_STORES.to_vec();
    stores.push(REPLICA);
    let tx = db.tx(&stores, true)?;
    let replicas = tx.object_store(REPLICA)?;
    let mut replica = replicas_of(&replicas, &[id.to_string()])
        .await?
        .pop()
        .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    if replica.others.is_empty() {
        return Err(StoreError::Conflict(format!(
            "{id} has no conflict to resolve (another tab or machine may have resolved it)."
        )));
    }
    replica.resolve();
    replicas.put(replica_js(&replica)?).primitive()?;
    // A number is written by its restatement (with its compliance); any other record here,
    // and a document's or an address's numbers restated after it.
    match &record {
        Record::Number(n) => {
            restate_numbers(&tx, std::slice::from_ref(n), false, now, true).await?
        }
        other => {
            tx.object_store(store_of(kind))?
                .put(record_js(other)?)
                .primitive()?;
            if matches!(other, Record::Document(_) | Record::Address(_)) {
                restate_numbers(&tx, &[], true, now, false).await?
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Empties this browser's copy of the workspace (signing out of a team workspace and choosing
/// not to keep it): every record, scan, queue entry, log entry, replication state and checkpoint,
/// in one transaction. The server's copy is untouched.
pub async fn clear_local_copy(db: &Db) -> Result<(), StoreError> {
    let tx = db.tx(&ALL_STORES, true)?;
    for store in ALL_STORES {
        tx.object_store(store)?.clear()?;
    }
    tx.commit().await?;
    Ok(())
}
