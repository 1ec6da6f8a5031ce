//! The whole workspace at once: backup (export) and restore (import), CSV import of numbers and
//! bulk mapping. Each write is one readwrite transaction; the rules (format, checksum, references,
//! collisions, eligibility) are the domain's, in `domain::exchange::portable`, `domain::exchange::csv_import`
//! and `domain::rules::bulk` (with the undo of a bulk mapping).

use std::collections::{HashMap, HashSet};

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use super::activity::append;
use super::codec::{blob_bytes, bytes_blob, from_js, read_all, to_js};
use super::db::Db;
use super::error::StoreError;
use super::numbers::number_js;
use super::schema::{
    ACTIVITY, ADDRESSES, ALL_STORES, DOCUMENTS, ENTITIES, FILES, NUMBERS, QUEUE, address_js,
    document_js, entity_js, event_js,
};
use crate::domain::exchange::csv_import::{Existing, import_event};
use crate::domain::exchange::portable::{
    Collision, Counts, ExportRecord, ExportWriter, ImportMode, QueueRecord, ScanBytes, Validated,
    Workspace, plan_merge,
};
use crate::domain::ordering::sort_by;
use crate::domain::records::activity::Event;
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::entity::Entity;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid};
use crate::domain::rules::bulk::{Refusal, Side, bulk_event, plan_bulk_map, plan_undo, undo_event};
use crate::domain::rules::compliance::Lookup;
use crate::domain::rules::regulation::Catalog;
use crate::domain::time::Timestamp;

/// How many numbers a CSV import writes between two progress reports.
const BATCH: usize = 500;

/// Every record of the workspace, within an open transaction over its stores. Records that do
/// not decode are left where they are (the lists move them to quarantine).
async fn read_workspace(tx: &Transaction<'_>) -> Result<Workspace, StoreError> {
    let mut workspace = Workspace {
        entities: read_all::<Entity>(&tx.object_store(ENTITIES)?).await?.0,
        addresses: read_all::<Address>(&tx.object_store(ADDRESSES)?).await?.0,
        documents: read_all::<IdentityDocument>(&tx.object_store(DOCUMENTS)?)
            .await?
            .0,
        numbers: read_all::<PhoneNumber>(&tx.object_store(NUMBERS)?).await?.0,
        queue: read_all::<QueueRecord>(&tx.object_store(QUEUE)?).await?.0,
        activity: read_all(&tx.object_store(ACTIVITY)?).await?.0,
    };
    workspace.sort();
    Ok(workspace)
}

/// Every record of the workspace, each kind sorted by SID: what an export contains, and what the
/// tests compare before and after an import.
pub async fn snapshot(db: &Db) -> Result<Workspace, StoreError> {
    let tx = db.tx(
        &[ENTITIES, ADDRESSES, DOCUMENTS, NUMBERS, QUEUE, ACTIVITY],
        false,
    )?;
    read_workspace(&tx).await
}

/// What the workspace already has, and the time, for the CSV preview's duplicate, SID and date
/// checks.
pub async fn existing(db: &Db) -> Result<Existing, StoreError> {
    let ws = snapshot(db).await?;
    Ok(Existing {
        numbers: ws.numbers.into_iter().map(|n| n.e164).collect(),
        addresses: ws.addresses.into_iter().map(|a| a.sid).collect(),
        documents: ws.documents.into_iter().map(|d| d.sid).collect(),
        now: Some(super::platform::now()),
    })
}

/// A finished export, ready to offer as a download.
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// The file, `application/json`, built from chunks (no single string holds it all).
    pub blob: web_sys::Blob,
    /// A name for the download: `regdesk-workspace-<date>.json`.
    pub file_name: String,
    /// What it holds.
    pub counts: Counts,
    /// Scans a document lists whose bytes were not in the database: `(document, sha256)`.
    pub missing_scans: Vec<(IdentitySid, String)>,
}

fn push_parts(parts: &Array, chunks: Vec<String>) {
    for chunk in chunks {
        parts.push(&JsValue::from_str(&chunk));
    }
}

/// Exports the whole workspace as one file. The records and the scans' Blobs are read in one
/// read-only transaction (a consistent snapshot); the scans' bytes are then read and written one
/// at a time, and each finished chunk of text moves into the Blob's parts at once.
pub async fn export(db: &Db, now: Timestamp) -> Result<ExportFile, StoreError> {
    let (workspace, blobs) = {
        let tx = db.tx(
            &[
                ENTITIES, ADDRESSES, DOCUMENTS, NUMBERS, QUEUE, ACTIVITY, FILES,
            ],
            false,
        )?;
        let workspace = read_workspace(&tx).await?;
        let files = tx.object_store(FILES)?;
        let keys_req = files.get_all_keys::<JsValue>().primitive()?;
        let values_req = files.get_all::<JsValue>().primitive()?;
        let keys: Vec<JsValue> = keys_req.await?.collect::<Result<_, _>>()?;
        let values: Vec<JsValue> = values_req.await?.collect::<Result<_, _>>()?;
        let blobs: HashMap<String, web_sys::Blob> = keys
            .into_iter()
            .zip(values)
            .filter_map(|(k, v)| Some((k.as_string()?, v.dyn_into::<web_sys::Blob>().ok()?)))
            .collect();
        (workspace, blobs)
    };
    let codec =
        |e: crate::domain::exchange::portable::ExportError| StoreError::Codec(e.to_string());
    let parts = Array::new();
    let mut writer = ExportWriter::new(now);
    writer.records(&workspace).map_err(codec)?;
    push_parts(&parts, writer.take_ready());
    let mut scans = 0;
    let mut missing_scans = Vec::new();
    for document in &workspace.documents {
        let mut files: Vec<_> = document.files.iter().collect();
        sort_by(&mut files, |f| f.sha256.clone());
        files.dedup_by(|a, b| a.sha256 == b.sha256);
        for file in files {
            let Some(blob) = blobs.get(&file.sha256) else {
                missing_scans.push((document.sid, file.sha256.clone()));
                continue;
            };
            let mime_type = match blob.type_() {
                t if t.is_empty() => file.mime_type.clone(),
                t => t,
            };
            let scan = ScanBytes {
                document_sid: document.sid,
                sha256: file.sha256.clone(),
                mime_type,
                bytes: blob_bytes(blob).await?,
            };
            writer.push(ExportRecord::Scan(&scan)).map_err(codec)?;
            push_parts(&parts, writer.take_ready());
            scans += 1;
        }
    }
    push_parts(&parts, writer.finish());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| StoreError::Database(format!("the export file could not be made: {e:?}")))?;
    Ok(ExportFile {
        blob,
        file_name: format!("regdesk-workspace-{}.json", now.date_utc()),
        counts: Counts::of(&workspace, scans),
        missing_scans,
    })
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Replace or merge.
    pub mode: ImportMode,
    /// The records written.
    pub added: Counts,
    /// In a merge, the records already in the workspace exactly as in the file.
    pub unchanged: Counts,
    /// In a merge, the file's records whose SID the workspace uses for a different record. When
    /// there are any, nothing at all was written.
    pub collisions: Vec<Collision>,
    /// Scans the file's documents list but the file does not carry.
    pub missing_scans: Vec<(IdentitySid, String)>,
}

impl ImportReport {
    /// Whether the import wrote anything (a merge with collisions writes nothing).
    pub fn written(&self) -> bool {
        self.collisions.is_empty()
    }
}

/// Imports a validated file in one readwrite transaction over every store. `Replace` empties
/// the workspace's records first (the meta facts and the quarantine stay); `Merge` adds the
/// file's new records, skips those already there unchanged, and writes nothing at all if any SID
/// collides (the report lists them). Numbers get their compliance computed as of `now`; the
/// import is logged as a `Workspace` event.
pub async fn import(
    db: &Db,
    validated: Validated,
    mode: ImportMode,
    event_sid: EventSid,
    now: Timestamp,
) -> Result<ImportReport, StoreError> {
    let tx = db.tx(&ALL_STORES, true)?;
    let missing_scans = validated.missing_scans.clone();
    let (add, scans, unchanged, mut documents, mut addresses) = match mode {
        ImportMode::Replace => {
            for store in [
                ENTITIES, DOCUMENTS, ADDRESSES, NUMBERS, FILES, QUEUE, ACTIVITY,
            ] {
                tx.object_store(store)?.clear()?;
            }
            (
                validated.workspace,
                validated.scans,
                Counts::default(),
                Vec::new(),
                Vec::new(),
            )
        }
        ImportMode::Merge => {
            let existing = read_workspace(&tx).await?;
            match plan_merge(validated, &existing) {
                // Dropping the transaction unused aborts it: nothing was written.
                Err(collisions) => {
                    return Ok(ImportReport {
                        mode,
                        added: Counts::default(),
                        unchanged: Counts::default(),
                        collisions,
                        missing_scans,
                    });
                }
                Ok(plan) => (
                    plan.add,
                    plan.scans,
                    plan.unchanged,
                    existing.documents,
                    existing.addresses,
                ),
            }
        }
    };
    let added = Counts::of(&add, scans.len());
    // `add`, never `put`: a key already taken (say by a record that does not decode, so the merge
    // plan could not see it) fails the whole import instead of overwriting it.
    let store = tx.object_store(ENTITIES)?;
    for e in &add.entities {
        store.add(entity_js(e)?).primitive()?;
    }
    let store = tx.object_store(ADDRESSES)?;
    for a in &add.addresses {
        store.add(address_js(a)?).primitive()?;
    }
    let store = tx.object_store(DOCUMENTS)?;
    for d in &add.documents {
        store.add(document_js(d)?).primitive()?;
    }
    // `put`: a file is stored once by its hash, so a file two documents list (or one the
    // workspace holds already) is the same key with the same bytes.
    let store = tx.object_store(FILES)?;
    for scan in &scans {
        store
            .put(JsValue::from(bytes_blob(&scan.bytes, &scan.mime_type)?))
            .with_key(scan.sha256.clone())
            .primitive()?;
    }
    let store = tx.object_store(QUEUE)?;
    for q in &add.queue {
        store.add(to_js(q)?).primitive()?;
    }
    documents.extend(add.documents.iter().cloned());
    addresses.extend(add.addresses.iter().cloned());
    let lookup = Lookup::new(&documents, &addresses);
    let today = now.date_utc();
    let store = tx.object_store(NUMBERS)?;
    for n in &add.numbers {
        store
            .add(number_js(n, &lookup.compliance(n, today))?)
            .primitive()?;
    }
    let activity = tx.object_store(ACTIVITY)?;
    for e in &add.activity {
        append(&activity, e)?;
    }
    append(
        &activity,
        &crate::domain::exchange::portable::import_event(event_sid, now, mode, &added),
    )?;
    tx.commit().await.map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(why) => StoreError::Conflict(format!(
            "A record of the file is already in the workspace; nothing was imported ({why})"
        )),
        other => other,
    })?;
    Ok(ImportReport {
        mode,
        added,
        unchanged,
        collisions: Vec::new(),
        missing_scans,
    })
}

/// Stores imported numbers (from [`CsvPreview::numbers`]) in one transaction, with their
/// compliance and one `NumbersImported` event. It re-checks inside the transaction that no
/// number is owned already and every mapped record exists, so a preview gone stale writes
/// nothing.
///
/// Progress: the adds are issued in batches of 500, and the transaction waits for the last
/// request of each batch before reporting `progress(done, total)` and issuing the next. Waiting on
/// a request (never on a timer, which would let the transaction commit) hands the event loop back
/// to the page between batches, so a 10,000-row import repaints its progress bar while staying
/// one transaction.
///
/// [`CsvPreview::numbers`]: crate::domain::exchange::csv_import::CsvPreview::numbers
pub async fn import_numbers(
    db: &Db,
    numbers: &[PhoneNumber],
    event_sid: EventSid,
    now: Timestamp,
    mut progress: impl FnMut(usize, usize),
) -> Result<usize, StoreError> {
    let tx = db.tx(&[NUMBERS, DOCUMENTS, ADDRESSES, ACTIVITY], true)?;
    let (owned, _) = read_all::<PhoneNumber>(&tx.object_store(NUMBERS)?).await?;
    let (documents, _) = read_all::<IdentityDocument>(&tx.object_store(DOCUMENTS)?).await?;
    let (addresses, _) = read_all::<Address>(&tx.object_store(ADDRESSES)?).await?;
    let owned: HashSet<_> = owned.into_iter().map(|n| n.e164).collect();
    let lookup = Lookup::new(&documents, &addresses);
    for n in numbers {
        if owned.contains(&n.e164) {
            return Err(StoreError::Conflict(format!(
                "{} is already in the workspace; nothing was imported. Preview the file again.",
                n.e164
            )));
        }
        if let Some(sid) = n.address_sid.filter(|s| lookup.address(Some(*s)).is_none()) {
            return Err(StoreError::NotFound(format!(
                "Address {sid} (for {})",
                n.e164
            )));
        }
        if let Some(sid) = n
            .identity_sid
            .filter(|s| lookup.document(Some(*s)).is_none())
        {
            return Err(StoreError::NotFound(format!(
                "Identity document {sid} (for {})",
                n.e164
            )));
        }
    }
    let total = numbers.len();
    let today = now.date_utc();
    let store = tx.object_store(NUMBERS)?;
    progress(0, total);
    let mut done = 0;
    for batch in numbers.chunks(BATCH) {
        let mut last = None;
        for n in batch {
            let state = lookup.compliance(n, today);
            last = Some(store.add(number_js(n, &state)?).primitive()?);
        }
        if let Some(request) = last {
            request.await?;
        }
        done += batch.len();
        progress(done, total);
    }
    append(
        &tx.object_store(ACTIVITY)?,
        &import_event(event_sid, now, total),
    )?;
    tx.commit().await.map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict(
            "Two of these numbers are the same, or one is already in the workspace; nothing was imported."
                .into(),
        ),
        other => other,
    })?;
    Ok(total)
}

/// What a bulk mapping did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkReport {
    /// The numbers now mapped as asked.
    pub mapped: Vec<NumberSid>,
    /// The numbers left untouched, with the reasons the mapping does not fit them.
    pub refused: Vec<Refusal>,
    /// The log entry that records it, which an undo names; `None` when nothing changed.
    pub entry: Option<EventSid>,
    /// What the log entry says.
    pub summary: String,
}

/// Maps the selected numbers' identity document and/or address (a record, or none) in one
/// transaction that also reads the numbers, documents and addresses it judges by: the numbers
/// the mapping fits are rewritten with their new compliance, and one `NumberMapped` event records
/// each one's mapping before and after (what [`undo_bulk`] restores); the others are reported and
/// left as they were. A document or address that does not exist is an error, and nothing is
/// written.
pub async fn bulk_map(
    db: &Db,
    sids: &[NumberSid],
    identity: Side<IdentitySid>,
    address: Side<AddressSid>,
    event_sid: EventSid,
    now: Timestamp,
) -> Result<BulkReport, StoreError> {
    let tx = db.tx(&[NUMBERS, DOCUMENTS, ADDRESSES, ACTIVITY], true)?;
    // One `getAll`, but only the chosen numbers decoded (their SID read off the raw record):
    // 20,000 requests by key were slower than one for all 50,000, and decoding them all is work
    // for numbers the action does not touch (BENCHMARKS.md, figure 8). One that does not decode
    // is left out, as a listing leaves it for the quarantine.
    let chosen: HashSet<String> = sids.iter().map(|s| s.to_string()).collect();
    let raw: Vec<JsValue> = tx
        .object_store(NUMBERS)?
        .get_all::<JsValue>()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let numbers: Vec<PhoneNumber> = raw
        .into_iter()
        .filter(|v| {
            js_sys::Reflect::get(v, &"sid".into())
                .ok()
                .and_then(|s| s.as_string())
                .is_some_and(|s| chosen.contains(&s))
        })
        .filter_map(|v| from_js(v).ok())
        .collect();
    let (documents, _) = read_all::<IdentityDocument>(&tx.object_store(DOCUMENTS)?).await?;
    let (addresses, _) = read_all::<Address>(&tx.object_store(ADDRESSES)?).await?;
    let document = identity.try_map(|sid| {
        documents
            .iter()
            .find(|d| d.sid == sid)
            .ok_or_else(|| StoreError::NotFound(format!("Identity document {sid}")))
    })?;
    let chosen_address = address.try_map(|sid| {
        addresses
            .iter()
            .find(|a| a.sid == sid)
            .ok_or_else(|| StoreError::NotFound(format!("Address {sid}")))
    })?;
    let plan = plan_bulk_map(
        Catalog::shared(),
        sids,
        &numbers,
        &documents,
        &addresses,
        identity,
        address,
        now.date_utc(),
    );
    let mut report = BulkReport {
        mapped: plan.mapped.iter().map(|(n, _)| n.sid).collect(),
        refused: plan.refused.clone(),
        entry: None,
        summary: String::new(),
    };
    if plan.mapped.is_empty() {
        return Ok(report);
    }
    let store = tx.object_store(NUMBERS)?;
    for (number, state) in &plan.mapped {
        store.put(number_js(number, state)?).primitive()?;
    }
    let event = bulk_event(event_sid, now, document, chosen_address, &plan);
    append(&tx.object_store(ACTIVITY)?, &event)?;
    tx.commit().await?;
    report.entry = Some(event_sid);
    report.summary = event.summary;
    Ok(report)
}

/// Undoes the bulk entry `entry`: every number it changed gets its mapping from before, with its
/// compliance recomputed, the entry is marked undone and an undo entry is logged, all in one
/// transaction. Refused, with nothing written, when any of those numbers changed since
/// ([`plan_undo`] names them) or the entry was undone already.
pub async fn undo_bulk(
    db: &Db,
    entry: EventSid,
    undo_sid: EventSid,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let tx = db.tx(&[NUMBERS, DOCUMENTS, ADDRESSES, ACTIVITY], true)?;
    let log = tx.object_store(ACTIVITY)?;
    let found: Option<JsValue> = log.get(entry.to_string()).primitive()?.await?;
    let mut event: Event = found
        .map(|v| from_js(v).map_err(StoreError::Codec))
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("Log entry {entry}")))?;
    let (numbers, _) = read_all::<PhoneNumber>(&tx.object_store(NUMBERS)?).await?;
    let restored = plan_undo(&event, &numbers).map_err(|e| StoreError::Conflict(e.to_string()))?;
    let (documents, _) = read_all::<IdentityDocument>(&tx.object_store(DOCUMENTS)?).await?;
    let (addresses, _) = read_all::<Address>(&tx.object_store(ADDRESSES)?).await?;
    let lookup = Lookup::new(&documents, &addresses);
    let today = now.date_utc();
    let store = tx.object_store(NUMBERS)?;
    for number in &restored {
        store
            .put(number_js(number, &lookup.compliance(number, today))?)
            .primitive()?;
    }
    let undo = undo_event(undo_sid, now, &event);
    if let Some(bulk) = event.bulk.as_mut() {
        bulk.undone_by = Some(undo_sid);
    }
    log.put(event_js(&event)?).primitive()?;
    append(&log, &undo)?;
    tx.commit().await?;
    Ok(restored.len())
}
