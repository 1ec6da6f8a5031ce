//! The database's shape (object stores, keys, indexes) and the versioned steps that build it and
//! transform its records.
//!
//! Every step runs inside the browser's `upgradeneeded` transaction, so an upgrade is atomic: it
//! commits whole, with the new version number, or the database stays as it was. That transaction
//! is only reachable through the raw `web_sys` request, which is why this one module speaks
//! `web_sys` instead of `indexed_db_futures`: the steps need the existing stores to add indexes
//! and rewrite records.
//!
//! History:
//! - 1: every store. Numbers stored their local area as a bare locality name (`locality`).
//! - 2: numbers store the area itself (`area`: country, prefix, name), which the local-address
//!   rule needs, and are unique by E.164; documents are indexed by address (the 21630 "address
//!   locked" rule).
//! - 4: entities (the individuals and businesses behind documents) have a store of their own;
//!   documents are indexed by entity, and older documents are grouped into entities by holder.
//!   A scan's bytes are stored once, keyed by their SHA-256, however many documents list them
//!   (they were keyed by document and hash); documents are indexed by the hashes they list
//!   (`file_shas`, multi-entry), so a deletion keeps bytes another document still lists.
//! - 6: replication's state: a `replica` store (each shared document's revision tree, by document
//!   id, indexed by whether a revision made here still has to reach the server), and every record
//!   store indexed by `dirty`, the mark a local write leaves until the change is a revision.
//! - 3: Passed documents carry their last day (`last_day`, [`document_js`]), indexed, so the
//!   overview counts what has expired and what expires soon without reading a document.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    IdbDatabase, IdbIndexParameters, IdbObjectStore, IdbObjectStoreParameters, IdbTransaction,
};

use super::codec::{from_js, to_js};
use super::error::StoreError;
use super::rewrite::Rewrite;
use crate::domain::phone::e164::E164;
use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::activity::Event;
use crate::domain::records::address::Address;
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::entity::Entity;
use crate::domain::records::entity::assign_entities;
use crate::domain::records::sid::NumberSid;
use crate::domain::replication::replica::Replica;

/// The schema version the code expects.
pub const VERSION: u32 = 7;

/// Identity documents, keyed by SID.
pub const DOCUMENTS: &str = "documents";
/// Entities, the individuals and businesses behind documents, keyed by SID.
pub const ENTITIES: &str = "entities";
/// Addresses, keyed by SID.
pub const ADDRESSES: &str = "addresses";
/// Owned phone numbers, keyed by SID.
pub const NUMBERS: &str = "numbers";
/// The scans themselves, as Blobs keyed by SHA-256, apart from the documents' metadata: one
/// Blob per distinct file, however many documents list it.
pub const FILES: &str = "files";
/// Review-queue entries, keyed by document SID.
pub const QUEUE: &str = "queue";
/// The activity log, keyed by event SID.
pub const ACTIVITY: &str = "activity";
/// Small facts about the workspace, keyed by name.
pub const META: &str = "meta";
/// Records that failed to decode or migrate, kept rather than dropped, keyed by `store/key`.
pub const QUARANTINE: &str = "quarantine";

/// Each shared document's replication state ([`Replica`]), keyed by document id (schema 6).
pub const REPLICA: &str = "replica";

/// Every store, for transactions that must see the whole workspace.
pub const ALL_STORES: [&str; 10] = [
    ENTITIES, DOCUMENTS, ADDRESSES, NUMBERS, FILES, QUEUE, ACTIVITY, META, QUARANTINE, REPLICA,
];

/// The stores of the records that replicate, each a CouchDB document.
pub const SHARED_STORES: [&str; 5] = [ENTITIES, ADDRESSES, DOCUMENTS, NUMBERS, ACTIVITY];

/// The mark (`1`) a local write leaves on a record until the change becomes a revision
/// (`store::replica::prepare_push`); absent otherwise, so the `by_dirty` index holds only the
/// changed records. Every record writer sets it ([`mark_dirty`]).
pub(crate) const DIRTY_FIELD: &str = "dirty";

/// The name of every shared store's index of changed records.
pub(crate) const BY_DIRTY: &str = "by_dirty";

/// The field (`1`) of a replica entry whose revision has not reached the server, indexed as
/// `by_unpushed`.
const UNPUSHED_FIELD: &str = "push";

/// The name of the replica store's index of entries with revisions to push.
pub(crate) const BY_UNPUSHED: &str = "by_unpushed";

/// Marks a record value as changed here ([`DIRTY_FIELD`]).
pub(crate) fn mark_dirty(value: &JsValue) -> Result<(), StoreError> {
    Reflect::set(value, &DIRTY_FIELD.into(), &1.into())
        .map(|_| ())
        .map_err(|_| StoreError::Codec("could not mark the record changed".into()))
}

/// An address as stored: its fields, marked changed. Every write of an address goes through here.
pub(crate) fn address_js(address: &Address) -> Result<JsValue, StoreError> {
    let value = to_js(address)?;
    mark_dirty(&value)?;
    Ok(value)
}

/// An entity as stored: its fields, marked changed. Every write of an entity goes through here.
pub(crate) fn entity_js(entity: &Entity) -> Result<JsValue, StoreError> {
    let value = to_js(entity)?;
    mark_dirty(&value)?;
    Ok(value)
}

/// A replica entry as stored: its fields, and [`UNPUSHED_FIELD`] while it has a revision to push.
pub(crate) fn replica_js(replica: &Replica) -> Result<JsValue, StoreError> {
    let value = to_js(replica)?;
    if replica.unpushed {
        Reflect::set(&value, &UNPUSHED_FIELD.into(), &1.into())
            .map_err(|_| StoreError::Codec("could not mark the replica unpushed".into()))?;
    }
    if !replica.others.is_empty() {
        Reflect::set(&value, &CONFLICT_FIELD.into(), &1.into())
            .map_err(|_| StoreError::Codec("could not mark the replica in conflict".into()))?;
    }
    Ok(value)
}

/// The field (`1`) of a replica entry with conflicts (versions kept to show), indexed as
/// `by_conflict` (schema 7).
const CONFLICT_FIELD: &str = "conflict";

/// The name of the replica store's index of entries with conflicts.
pub(crate) const BY_CONFLICT: &str = "by_conflict";

/// Applies every step after `old` up to `target`, inside the upgrade transaction `tx`.
/// `rewrite` is what the steps that rewrite records use ([`needs_rewrite`] says when); it is
/// loaded before the upgrade starts, since the upgrade
/// transaction cannot wait for it.
pub(crate) fn upgrade(
    db: &IdbDatabase,
    tx: &IdbTransaction,
    old: u32,
    target: u32,
    rewrite: Option<Rewrite>,
) -> Result<(), JsValue> {
    if old < 1 && target >= 1 {
        v1(db)?;
    }
    if old < 2 && target >= 2 {
        v2(tx, old, rewrite.map(|r| r.plan))?;
    }
    if old < 3 && target >= 3 {
        v3(tx)?;
    }
    if old < 4 && target >= 4 {
        v4(db, tx, old, rewrite)?;
    }
    if old < 5 && target >= 5 {
        v5(tx, old)?;
    }
    if old < 6 && target >= 6 {
        v6(db, tx)?;
    }
    if old < 7 && target >= 7 {
        v7(tx)?;
    }
    Ok(())
}

/// Version 7: the replica entries with conflicts, indexed, so the team page lists them without
/// reading every document's tree. A version-6 workspace never synced (the app's sync came with
/// this version), so it has no conflicts to index.
fn v7(tx: &IdbTransaction) -> Result<(), JsValue> {
    index(&tx.object_store(REPLICA)?, BY_CONFLICT, CONFLICT_FIELD)
}

/// The field an event's numbers are stored in, for the `by_number` index.
const NUMBERS_FIELD: &str = "numbers";

/// The name of the log's index by the numbers each entry is about (multi-entry).
pub(crate) const BY_NUMBER: &str = "by_number";

/// An event as stored: its fields plus the numbers it is about ([`Event::numbers`], for the
/// `by_number` index). Every write of an event goes through here.
pub(crate) fn event_js(event: &Event) -> Result<JsValue, StoreError> {
    let value = to_js(event)?;
    let list: Array = event
        .numbers()
        .iter()
        .map(|n| JsValue::from_str(&n.to_string()))
        .collect();
    Reflect::set(&value, &NUMBERS_FIELD.into(), &list)
        .map_err(|_| StoreError::Codec("could not set the event's numbers".into()))?;
    mark_dirty(&value)?;
    Ok(value)
}

/// Version 6: replication's state. Nothing is rewritten: records from before carry no mark, and
/// the first push of a workspace reads every record (`prepare_push` with `everything`).
fn v6(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    let replica = store(db, REPLICA, Some("id"))?;
    index(&replica, BY_UNPUSHED, UNPUSHED_FIELD)?;
    for name in SHARED_STORES {
        index(&tx.object_store(name)?, BY_DIRTY, DIRTY_FIELD)?;
    }
    Ok(())
}

/// Version 5: the log by the numbers each entry is about; every stored entry is given its
/// numbers. Before this version an entry was about one record, its subject (bulk entries came
/// with it), so an entry's numbers are its subject when that is a number. Read from the raw
/// record, not decoded: the upgrade runs in the main wasm, which then need not carry the log's
/// record types.
fn v5(tx: &IdbTransaction, old: u32) -> Result<(), JsValue> {
    let activity = tx.object_store(ACTIVITY)?;
    let multi = IdbIndexParameters::new();
    multi.set_multi_entry(true);
    activity.create_index_with_str_and_optional_parameters(BY_NUMBER, NUMBERS_FIELD, &multi)?;
    if old == 0 {
        return Ok(());
    }
    let request = activity.get_all()?;
    let reader = request.clone();
    let on_success = Closure::once_into_js(move || {
        let Ok(result) = reader.result() else { return };
        for value in Array::from(&result).iter() {
            let subject = Reflect::get(&value, &"subject".into())
                .ok()
                .and_then(|s| s.as_string())
                .filter(|s| s.parse::<NumberSid>().is_ok());
            let numbers: Array = subject.into_iter().map(JsValue::from).collect();
            if Reflect::set(&value, &NUMBERS_FIELD.into(), &numbers).is_ok() {
                let _ = activity.put(&value);
            }
        }
    });
    request.set_onsuccess(Some(on_success.unchecked_ref()));
    Ok(())
}

/// The field a Passed document's last day is stored in, for the `by_last_day` index.
const LAST_DAY_FIELD: &str = "last_day";

/// The last day stored for a Passed document that nothing ends: after every real date, so a
/// range from today upwards counts it as counting.
const NO_END: &str = "9999-12-31";

/// The day a document's `last_day` field holds: for a Passed document its last day
/// ([`IdentityDocument::expiry`]) or [`NO_END`]; nothing for any other status, which keeps it out
/// of the index.
fn last_day(document: &IdentityDocument) -> Option<String> {
    (document.status == Status::Passed).then(|| match document.expiry() {
        Some(e) => e.last_day.to_string(),
        None => NO_END.to_string(),
    })
}

/// A document as stored: its fields plus its last day (see [`last_day`]) and the hashes of the
/// files it lists (`file_shas`, for the `by_file` index). Every write of a document goes through
/// here, so the indexes never disagree with the record.
pub(crate) fn document_js(document: &IdentityDocument) -> Result<JsValue, StoreError> {
    // `to_js` writes the record's own fields only, so a field left unset is simply absent.
    let value = to_js(document)?;
    if let Some(day) = last_day(document) {
        Reflect::set(&value, &LAST_DAY_FIELD.into(), &day.into())
            .map_err(|_| StoreError::Codec("could not set the last day".into()))?;
    }
    let mut shas: Vec<&str> = document.files.iter().map(|f| f.sha256.as_str()).collect();
    shas.sort_unstable();
    shas.dedup();
    let list: Array = shas.into_iter().map(JsValue::from_str).collect();
    Reflect::set(&value, &FILE_SHAS_FIELD.into(), &list)
        .map_err(|_| StoreError::Codec("could not set the file hashes".into()))?;
    mark_dirty(&value)?;
    Ok(value)
}

/// The field a document's file hashes are stored in, for the `by_file` index.
const FILE_SHAS_FIELD: &str = "file_shas";

/// The name of the documents' index by the hashes of the files they list.
pub(crate) const BY_FILE: &str = "by_file";

/// The name of the documents' last-day index; its keys are dates as `YYYY-MM-DD` text, which
/// sort as the dates do.
pub(crate) const BY_LAST_DAY: &str = "by_last_day";

/// Whether upgrading a database at version `old` to `target` rewrites records with the numbering
/// plan: a version-1 database's numbers get their local areas, and a version-1 or 2 database's
/// documents their names, which name the area.
pub(crate) fn needs_rewrite(old: u32, target: u32) -> bool {
    old >= 1 && old < target.min(4)
}

fn store(db: &IdbDatabase, name: &str, key_path: Option<&str>) -> Result<IdbObjectStore, JsValue> {
    let params = IdbObjectStoreParameters::new();
    if let Some(path) = key_path {
        params.set_key_path(&JsValue::from_str(path));
    }
    db.create_object_store_with_optional_parameters(name, &params)
}

fn index(store: &IdbObjectStore, name: &str, key_path: &str) -> Result<(), JsValue> {
    store.create_index_with_str_and_optional_parameters(
        name,
        key_path,
        &IdbIndexParameters::new(),
    )?;
    Ok(())
}

/// Version 1: every store and the indexes the pages query.
fn v1(db: &IdbDatabase) -> Result<(), JsValue> {
    let documents = store(db, DOCUMENTS, Some("sid"))?;
    index(&documents, "by_status", "status")?;
    store(db, ADDRESSES, Some("sid"))?;
    let numbers = store(db, NUMBERS, Some("sid"))?;
    index(&numbers, "by_identity", "identity_sid")?;
    index(&numbers, "by_address", "address_sid")?;
    index(&numbers, "by_compliance", "compliance")?;
    store(db, FILES, None)?;
    let queue = store(db, QUEUE, Some("document_sid"))?;
    index(&queue, "by_due", "due")?;
    let activity = store(db, ACTIVITY, Some("sid"))?;
    index(&activity, "by_time", "at")?;
    store(db, META, Some("key"))?;
    store(db, QUARANTINE, Some("id"))?;
    Ok(())
}

/// Version 2: documents by address; numbers carry their area instead of a locality name.
fn v2(tx: &IdbTransaction, old: u32, plan: Option<&'static NumberingPlan>) -> Result<(), JsValue> {
    let documents = tx.object_store(DOCUMENTS)?;
    index(&documents, "by_address", "address_sid")?;
    // A number is owned once: buying or importing it again is a constraint error.
    let unique = IdbIndexParameters::new();
    unique.set_unique(true);
    tx.object_store(NUMBERS)?
        .create_index_with_str_and_optional_parameters("by_e164", "e164", &unique)?;
    if old == 0 {
        return Ok(());
    }
    let plan = plan.ok_or("the numbering plan was not loaded for the version 2 upgrade")?;
    // Rewrite every version-1 number. The requests run inside the upgrade transaction, which
    // stays open until they finish, so the new version commits only with the rewritten records.
    let numbers = tx.object_store(NUMBERS)?;
    let quarantine = tx.object_store(QUARANTINE)?;
    let request = numbers.get_all()?;
    let reader = request.clone();
    let on_success = Closure::once_into_js(move || {
        let Ok(result) = reader.result() else { return };
        for value in Array::from(&result).iter() {
            match number_v1_to_v2(&value, plan) {
                Ok(()) => {
                    let _ = numbers.put(&value);
                }
                Err(why) => {
                    let key = Reflect::get(&value, &"sid".into())
                        .ok()
                        .and_then(|k| k.as_string())
                        .unwrap_or_default();
                    let entry = Object::new();
                    let set = |k: &str, v: &JsValue| Reflect::set(&entry, &k.into(), v);
                    let _ = set("id", &format!("{NUMBERS}/{key}").into());
                    let _ = set("store", &NUMBERS.into());
                    let _ = set("key", &key.clone().into());
                    let _ = set(
                        "error",
                        &format!("could not migrate to version 2: {why}").into(),
                    );
                    let _ = set("at", &js_sys::Date::now().into());
                    let _ = set("raw", &value);
                    let _ = quarantine.put(&entry);
                    let _ = numbers.delete(&key.into());
                }
            }
        }
    });
    request.set_onsuccess(Some(on_success.unchecked_ref()));
    Ok(())
}

/// Version 3: Passed documents by their last day. The records themselves are rewritten by the
/// version-4 step, which rewrites every document once for all the steps before it (see `v4`).
fn v3(tx: &IdbTransaction) -> Result<(), JsValue> {
    index(&tx.object_store(DOCUMENTS)?, BY_LAST_DAY, LAST_DAY_FIELD)
}

/// Version 4: the entities store and documents by entity; then every stored document is
/// rewritten once, for this step and the ones before it: named as a new one would be (3), with
/// its last day (3), and grouped with the other documents of its holder into an entity (4). One
/// pass, because requests issued in one upgrade transaction run in order: a second pass issued
/// beside the first would read the records before the first had written them. A record that does
/// not decode is left as it is (the next listing quarantines it with its reason).
fn v4(
    db: &IdbDatabase,
    tx: &IdbTransaction,
    old: u32,
    rewrite: Option<Rewrite>,
) -> Result<(), JsValue> {
    let entities = store(db, ENTITIES, Some("sid"))?;
    let documents = tx.object_store(DOCUMENTS)?;
    index(&documents, "by_entity", "entity_sid")?;
    let multi = IdbIndexParameters::new();
    multi.set_multi_entry(true);
    documents.create_index_with_str_and_optional_parameters(BY_FILE, FILE_SHAS_FIELD, &multi)?;
    if old == 0 {
        return Ok(());
    }
    files_by_hash(tx)?;
    let rewrite = rewrite.ok_or("the record rewrite was not loaded for the version 4 upgrade")?;
    let request = documents.get_all()?;
    let reader = request.clone();
    let on_success = Closure::once_into_js(move || {
        let Ok(result) = reader.result() else { return };
        let (records, new_entities) =
            (rewrite.documents)(Array::from(&result).iter().collect(), rewrite.plan);
        for value in records {
            let _ = documents.put(&value);
        }
        for value in new_entities {
            let _ = entities.put(&value);
        }
    });
    request.set_onsuccess(Some(on_success.unchecked_ref()));
    Ok(())
}

/// Re-keys every stored scan from `document/sha256` to `sha256`: one Blob per distinct file.
/// Two documents' copies of one file have the same bytes (the key is their hash), so either
/// serves both.
fn files_by_hash(tx: &IdbTransaction) -> Result<(), JsValue> {
    let files = tx.object_store(FILES)?;
    let keys = files.get_all_keys()?;
    let values = files.get_all()?;
    let (keys_reader, values_reader) = (keys.clone(), values.clone());
    let on_success = Closure::once_into_js(move || {
        let (Ok(keys), Ok(values)) = (keys_reader.result(), values_reader.result()) else {
            return;
        };
        for (key, value) in Array::from(&keys).iter().zip(Array::from(&values).iter()) {
            let Some((_, sha)) = key.as_string().and_then(|k| {
                k.split_once('/')
                    .map(|(d, s)| (d.to_string(), s.to_string()))
            }) else {
                continue;
            };
            let _ = files.put_with_key(&value, &JsValue::from_str(&sha));
            let _ = files.delete(&key);
        }
    });
    // Requests run in order: when the values have arrived, so have the keys.
    values.set_onsuccess(Some(on_success.unchecked_ref()));
    Ok(())
}

/// Stored document records as version 4 has them: every one named if it had no name, its area
/// named, with its last day, and grouped into entities; returns the records to write back and the new entities,
/// as JS values. Records that do not decode are left out (and so left as they are).
pub(crate) fn documents_to_v4(
    values: Vec<JsValue>,
    plan: &NumberingPlan,
) -> (Vec<JsValue>, Vec<JsValue>) {
    let mut documents: Vec<IdentityDocument> = values
        .into_iter()
        .filter_map(|v| from_js::<IdentityDocument>(v).ok())
        .collect();
    let entities = assign_entities(&mut documents);
    for d in &mut documents {
        if d.name.trim().is_empty() {
            d.name = d.propose_name(plan);
        }
        if d.area_name.is_none() {
            d.name_area(plan);
        }
    }
    let records = documents
        .iter()
        .filter_map(|d| document_js(d).ok())
        .collect();
    let entities = entities.iter().filter_map(|e| to_js(e).ok()).collect();
    (records, entities)
}

/// Turns a version-1 number record into version 2, in place: the locality name becomes the area
/// the numbering plan gives for the number itself (the name alone could not tell Frankfurt am Main
/// from Frankfurt (Oder)).
pub(crate) fn number_v1_to_v2(record: &JsValue, plan: &NumberingPlan) -> Result<(), String> {
    let e164 = Reflect::get(record, &"e164".into())
        .ok()
        .and_then(|v| v.as_string())
        .ok_or("it has no phone number")?;
    let number = E164::parse(&e164).map_err(|e| e.to_string())?;
    let area = plan.local_area(&number).cloned();
    let kind = Reflect::get(record, &"number_type".into())
        .ok()
        .and_then(|v| v.as_string());
    let area_value = match (kind.as_deref(), area) {
        (Some("local"), Some(area)) => to_js(&area).map_err(|e| e.to_string())?,
        (Some("local"), None) => return Err(format!("{e164} is in no known local area")),
        _ => JsValue::NULL,
    };
    Reflect::set(record, &"area".into(), &area_value).map_err(|_| "could not set the area")?;
    Reflect::delete_property(record.unchecked_ref::<Object>(), &"locality".into())
        .map_err(|_| "could not drop the locality")?;
    Ok(())
}
