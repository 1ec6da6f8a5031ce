//! The review queue's persisted entries: one per document under review, with its absolute due
//! time, so a closed tab loses no deadline.

use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

use super::codec::{decode_all, read_all};
use super::db::{Db, get_record};
use super::error::StoreError;
use super::schema::QUEUE;
use crate::domain::ordering::sort_by;
use crate::domain::records::sid::IdentitySid;
use crate::domain::time::Timestamp;

/// A document waiting for the reviewer: its due time is absolute, so a closed tab loses no
/// deadline. The domain defines the record (the export carries it too); the store keys it by
/// document SID and indexes it by due time.
pub use crate::domain::exchange::portable::QueueRecord as QueueEntry;

/// Every entry, soonest due first.
pub async fn all(db: &Db) -> Result<Vec<QueueEntry>, StoreError> {
    let tx = db.tx(&[QUEUE], false)?;
    let store = tx.object_store(QUEUE)?;
    let (mut entries, _bad): (Vec<QueueEntry>, _) = read_all(&store).await?;
    sort_by(&mut entries, |e| e.due.0);
    Ok(entries)
}

/// The entries due at or before `now`, soonest first, read through the due-time index.
pub async fn due(db: &Db, now: Timestamp) -> Result<Vec<QueueEntry>, StoreError> {
    let tx = db.tx(&[QUEUE], false)?;
    let store = tx.object_store(QUEUE)?;
    let index = store.index("by_due")?;
    // An explicit closed bound, not `..=now`: indexed_db_futures 0.6.4 maps `RangeToInclusive` to an
    // *open* upper bound (and `RangeTo` to a closed one), which would skip an entry due exactly now.
    // `index_queries_return_the_right_records` pins this.
    let range: indexed_db_futures::KeyRange<f64> =
        indexed_db_futures::KeyRange::UpperBound(now.0 as f64, false);
    let keys_req = index
        .get_all_keys::<JsValue>()
        .with_query::<f64, _>(range.clone())
        .primitive()?;
    let values_req = index
        .get_all::<JsValue>()
        .with_query::<f64, _>(range)
        .primitive()?;
    let keys: Vec<JsValue> = keys_req.await?.collect::<Result<_, _>>()?;
    let values: Vec<JsValue> = values_req.await?.collect::<Result<_, _>>()?;
    Ok(decode_all(keys, values).0)
}

/// The entry of one document, if it is queued.
pub async fn get(db: &Db, sid: IdentitySid) -> Result<Option<QueueEntry>, StoreError> {
    get_record(db, QUEUE, sid.to_string()).await
}
