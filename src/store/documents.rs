//! Identity documents with their scans: each action is one transaction over the documents, the
//! scan blobs, the queue and the activity log.

use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

use super::activity::append;
use super::codec::{from_js, to_js};
use super::db::{Db, get_record};
use super::error::StoreError;
use super::numbers::{mapped_to_document, move_numbers, rewrite_compliance};
use super::quarantine::list_decodable;
use super::queue::QueueEntry;
use super::replica::record_deletion;
use super::schema::{
    ACTIVITY, ADDRESSES, BY_FILE, DOCUMENTS, ENTITIES, FILES, NUMBERS, QUEUE, REPLICA, document_js,
    entity_js,
};
use crate::domain::records::activity::Event;
use crate::domain::records::document::{IdentityDocument, Status, checked_name};
use crate::domain::records::entity::Entity;
use crate::domain::records::sid::{EventSid, IdentitySid};
use crate::domain::replication::doc::{Kind, doc_id};
use crate::domain::rules::lifecycle::may_delete_document;
use crate::domain::rules::problem::Problem;
use crate::domain::rules::regulation::Catalog;
use crate::domain::time::Timestamp;

/// A scan's bytes, as the Blob the browser gave, with the SHA-256 the metadata names it by.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Lowercase hex SHA-256 of the bytes.
    pub sha256: String,
    /// The bytes.
    pub blob: web_sys::Blob,
}

/// Every document. Records that do not decode are moved to quarantine, not dropped.
pub async fn list(db: &Db) -> Result<Vec<IdentityDocument>, StoreError> {
    list_decodable(db, DOCUMENTS).await
}

/// The documents with one status, through the status index.
pub async fn with_status(db: &Db, status: Status) -> Result<Vec<IdentityDocument>, StoreError> {
    let tx = db.tx(&[DOCUMENTS], false)?;
    let store = tx.object_store(DOCUMENTS)?;
    let values = store
        .index("by_status")?
        .get_all::<JsValue>()
        .with_query(status.slug())
        .primitive()?
        .await?;
    let mut out = Vec::new();
    for v in values {
        if let Ok(doc) = from_js::<IdentityDocument>(v?) {
            out.push(doc);
        }
    }
    Ok(out)
}

/// One document.
pub async fn get(db: &Db, sid: IdentitySid) -> Result<Option<IdentityDocument>, StoreError> {
    get_record(db, DOCUMENTS, sid.to_string()).await
}

/// The documents with these SIDs that exist, read in one transaction with every request issued
/// at once (a cold start names the documents of its first rows this way; one transaction per
/// document took tens of milliseconds).
pub async fn get_many(db: &Db, sids: &[IdentitySid]) -> Result<Vec<IdentityDocument>, StoreError> {
    let tx = db.tx(&[DOCUMENTS], false)?;
    let store = tx.object_store(DOCUMENTS)?;
    let requests = sids
        .iter()
        .map(|sid| store.get::<JsValue, _, _>(sid.to_string()).primitive())
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for request in requests {
        if let Some(value) = request.await? {
            out.push(from_js(value).map_err(StoreError::Codec)?);
        }
    }
    Ok(out)
}

/// A scan's bytes, by their SHA-256: stored once however many documents list the file.
pub async fn scan(db: &Db, sha256: &str) -> Result<Option<web_sys::Blob>, StoreError> {
    use wasm_bindgen::JsCast;
    let tx = db.tx(&[FILES], false)?;
    let store = tx.object_store(FILES)?;
    let value: Option<JsValue> = store.get(sha256).primitive()?.await?;
    Ok(value.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
}

/// Stores a new or corrected document with its new scans, and records `event`; with `queue`, the
/// document (already moved to Pending) is submitted in the same transaction. Its entity learns
/// the details it was saved with (or is created with them), and the bytes of scans it no longer
/// lists are deleted unless another document lists them, in the same transaction too. A document that is
/// stored as Pending or Passed is never overwritten this way: review decides those.
pub async fn save(
    db: &Db,
    document: &IdentityDocument,
    scans: &[Scan],
    queue: Option<&QueueEntry>,
    events: &[Event],
) -> Result<(), StoreError> {
    let tx = db.tx(&[DOCUMENTS, ENTITIES, FILES, QUEUE, ACTIVITY], true)?;
    let documents = tx.object_store(DOCUMENTS)?;
    let stored: Option<JsValue> = documents.get(document.sid.to_string()).primitive()?.await?;
    let previous: Option<IdentityDocument> = stored
        .map(|v| from_js(v).map_err(StoreError::Codec))
        .transpose()?;
    if let Some(stored) = &previous
        && !stored.editable()
    {
        return Err(StoreError::Refused(Problem::general(
            crate::domain::rules::problem::codes::NOT_ALLOWED,
            format!(
                "This document is {} and cannot be changed.",
                stored.status.label()
            ),
        )));
    }
    documents.put(document_js(document)?).primitive()?;
    // What was typed for the document teaches its entity, in the same transaction: the next
    // document for it starts from these details.
    if let Some(sid) = document.entity_sid {
        let entities = tx.object_store(ENTITIES)?;
        let stored: Option<JsValue> = entities.get(sid.to_string()).primitive()?.await?;
        let entity = match stored {
            Some(v) => {
                let mut entity: Entity = from_js(v).map_err(StoreError::Codec)?;
                entity.learn(&document.details).then_some(entity)
            }
            None => Some(Entity::of_document(sid, document, document.created)),
        };
        if let Some(entity) = entity {
            entities.put(entity_js(&entity)?).primitive()?;
        }
    }
    let files = tx.object_store(FILES)?;
    // The bytes of scans this save took off the document go too, unless another document
    // lists them (counted after the put above: requests run in order).
    let by_file = documents.index(BY_FILE)?;
    for gone in previous.iter().flat_map(|p| &p.files) {
        if document.files.iter().any(|f| f.sha256 == gone.sha256) {
            continue;
        }
        let listed = by_file
            .count()
            .with_query(gone.sha256.clone())
            .primitive()?
            .await?;
        if listed == 0 {
            files.delete(gone.sha256.clone()).primitive()?;
        }
    }
    for scan in scans {
        files
            .put(JsValue::from(scan.blob.clone()))
            .with_key(scan.sha256.clone())
            .primitive()?;
    }
    if let Some(entry) = queue {
        tx.object_store(QUEUE)?.put(to_js(entry)?).primitive()?;
    }
    let activity = tx.object_store(ACTIVITY)?;
    for event in events {
        append(&activity, event)?;
    }
    tx.commit().await?;
    Ok(())
}

/// What [`decide`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// The decision was recorded; the document as it now is.
    Recorded(Box<IdentityDocument>),
    /// Someone (another tab, "decide now") decided it first; nothing was written.
    AlreadyDecided,
    /// A team's document whose scans have not arrived here yet: it is decided once they have,
    /// here or by the machine that has them.
    Waiting,
}

/// Records the reviewer's decision, exactly once: inside one transaction it checks that the
/// document is still Pending and still queued (compare-and-set), then writes the decision, removes
/// the queue entry, logs the status callback and refreshes the compliance of every number mapped
/// to the document. Two tabs racing on the same document: the second finds it decided.
///
/// A renewal that passes replaces its original in the same transaction: every number mapped to
/// the original moves to the renewal, the original becomes Replaced, and one entry (`events.1`)
/// lists the numbers moved. So no moment exists where the numbers point at a document that no
/// longer counts; a renewal that fails moves nothing.
pub async fn decide(
    db: &Db,
    sid: IdentitySid,
    at: Timestamp,
    reasons: Vec<Problem>,
    cause: &str,
    events: (EventSid, EventSid),
    today: crate::domain::time::calendar::Date,
) -> Result<Decided, StoreError> {
    let tx = db.tx(&[DOCUMENTS, QUEUE, ACTIVITY, NUMBERS, ADDRESSES], true)?;
    let documents = tx.object_store(DOCUMENTS)?;
    let queue = tx.object_store(QUEUE)?;
    let stored: Option<JsValue> = documents.get(sid.to_string()).primitive()?.await?;
    let queued: Option<JsValue> = queue.get(sid.to_string()).primitive()?.await?;
    let (Some(stored), Some(_)) = (stored, queued) else {
        return Ok(Decided::AlreadyDecided);
    };
    let mut document: IdentityDocument = from_js(stored).map_err(StoreError::Codec)?;
    if document.decide(at, reasons, cause).is_err() {
        return Ok(Decided::AlreadyDecided);
    }
    // Passed under today's rules while a change to them is already known: it gets its
    // valid-until now.
    if let Some(regulation) = Catalog::shared().get(&document.regulation) {
        document.set_valid_until(regulation);
    }
    documents.put(document_js(&document)?).primitive()?;
    queue.delete(sid.to_string()).primitive()?;
    let activity = tx.object_store(ACTIVITY)?;
    if let Some(event) = Event::document_status(events.0, &document) {
        append(&activity, &event)?;
    }
    if document.status == Status::Passed
        && let Some(original) = document.renews
    {
        let value: Option<JsValue> = documents.get(original.to_string()).primitive()?.await?;
        let original: Option<IdentityDocument> = value
            .map(|v| from_js(v).map_err(StoreError::Codec))
            .transpose()?;
        // An original deleted, or already replaced, meanwhile: the renewal simply stands.
        if let Some(mut original) = original
            && original.replace(at, document.sid).is_ok()
        {
            let moved = move_numbers(&tx, original.sid, document.sid).await?;
            documents.put(document_js(&original)?).primitive()?;
            let entry = Event::document_replaced(events.1, at, &document, &original, &moved);
            append(&activity, &entry)?;
        }
    }
    rewrite_compliance(&tx, &document, today).await?;
    tx.commit().await?;
    Ok(Decided::Recorded(Box::new(document)))
}

/// Brings every Passed document's valid-until up to date with the catalog (a new version of the
/// app may know of a regulation change), and rejects those whose valid-until is behind `at`, as
/// Twilio does: Failed, with the reason and a log entry (the status callback), and the
/// compliance of their numbers rewritten. One transaction; returns the documents rejected.
pub async fn refresh_validity(
    db: &Db,
    at: Timestamp,
    mut event_sid: impl FnMut() -> EventSid,
) -> Result<Vec<IdentityDocument>, StoreError> {
    let catalog = Catalog::shared();
    let tx = db.tx(&[DOCUMENTS, ACTIVITY, NUMBERS, ADDRESSES], true)?;
    let store = tx.object_store(DOCUMENTS)?;
    let passed = store
        .index("by_status")?
        .get_all::<JsValue>()
        .with_query(Status::Passed.slug())
        .primitive()?
        .await?;
    let mut rejected = Vec::new();
    let mut changed = false;
    for value in passed {
        let Ok(mut document) = from_js::<IdentityDocument>(value?) else {
            continue;
        };
        let mut dirty = catalog
            .get(&document.regulation)
            .is_some_and(|r| document.set_valid_until(r));
        if document.reject_after_valid_until(at) {
            dirty = true;
            if let Some(event) = Event::document_status(event_sid(), &document) {
                append(&tx.object_store(ACTIVITY)?, &event)?;
            }
            rewrite_compliance(&tx, &document, at.date_utc()).await?;
            rejected.push(document.clone());
        }
        if dirty {
            store.put(document_js(&document)?).primitive()?;
            changed = true;
        }
    }
    if changed {
        tx.commit().await?;
    }
    Ok(rejected)
}

/// Gives a document another name, whatever its status (a name is not something review checks),
/// with a log entry naming both, in one transaction. The same name again changes nothing.
pub async fn rename(
    db: &Db,
    sid: IdentitySid,
    typed: &str,
    event_sid: EventSid,
    at: Timestamp,
) -> Result<IdentityDocument, StoreError> {
    let name = checked_name(typed).map_err(StoreError::Refused)?;
    let tx = db.tx(&[DOCUMENTS, ACTIVITY], true)?;
    let documents = tx.object_store(DOCUMENTS)?;
    let stored: Option<JsValue> = documents.get(sid.to_string()).primitive()?.await?;
    let mut document: IdentityDocument = match stored {
        Some(v) => from_js(v).map_err(StoreError::Codec)?,
        None => return Err(StoreError::NotFound(format!("Document {sid}"))),
    };
    if document.name == name {
        return Ok(document);
    }
    let old = document.display_name();
    document.name = name;
    documents.put(document_js(&document)?).primitive()?;
    let event = Event::document_renamed(event_sid, at, &document, &old);
    append(&tx.object_store(ACTIVITY)?, &event)?;
    tx.commit().await?;
    Ok(document)
}

/// Deletes a document and the scans no other document lists, unless it is under review or
/// numbers use it.
pub async fn delete(db: &Db, sid: IdentitySid, event: &Event) -> Result<(), StoreError> {
    let tx = db.tx(&[DOCUMENTS, NUMBERS, FILES, QUEUE, ACTIVITY, REPLICA], true)?;
    let documents = tx.object_store(DOCUMENTS)?;
    let stored: Option<JsValue> = documents.get(sid.to_string()).primitive()?.await?;
    let document: IdentityDocument = match stored {
        Some(v) => from_js(v).map_err(StoreError::Codec)?,
        None => return Err(StoreError::NotFound(format!("Document {sid}"))),
    };
    let using = mapped_to_document(&tx, sid).await?;
    may_delete_document(&document, &using).map_err(StoreError::Refused)?;
    documents.delete(sid.to_string()).primitive()?;
    let files = tx.object_store(FILES)?;
    let by_file = documents.index(BY_FILE)?;
    for file in &document.files {
        // Counted after the deletion above (requests run in order): other documents only.
        let others = by_file
            .count()
            .with_query(file.sha256.clone())
            .primitive()?
            .await?;
        if others == 0 {
            files.delete(file.sha256.clone()).primitive()?;
        }
    }
    tx.object_store(QUEUE)?
        .delete(sid.to_string())
        .primitive()?;
    record_deletion(&tx, doc_id(Kind::Document, sid)).await?;
    append(&tx.object_store(ACTIVITY)?, event)?;
    tx.commit().await?;
    Ok(())
}
