//! The activity log: appended in the same transaction as the change it records.

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

use super::codec::from_js;
use super::db::Db;
use super::error::StoreError;
use super::schema::{ACTIVITY, BY_NUMBER, event_js};
use crate::domain::records::activity::Event;
use crate::domain::records::sid::NumberSid;

/// Adds `event` within an open transaction. `add`, not `put`: an event SID is never reused, and a
/// collision fails the whole action.
pub(crate) fn append(store: &ObjectStore<'_>, event: &Event) -> Result<(), StoreError> {
    store.add(event_js(event)?).primitive()?;
    Ok(())
}

/// Every entry about the number `sid` (its own, and every bulk entry that changed it), newest
/// first, read through the `by_number` index.
pub async fn about_number(db: &Db, sid: NumberSid) -> Result<Vec<Event>, StoreError> {
    let tx = db.tx(&[ACTIVITY], false)?;
    let store = tx.object_store(ACTIVITY)?;
    let index = store.index(BY_NUMBER)?;
    let values: Vec<JsValue> = index
        .get_all()
        .with_query(sid.to_string())
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let mut events: Vec<Event> = values.into_iter().filter_map(|v| from_js(v).ok()).collect();
    crate::domain::ordering::sort_by(&mut events, |e| -e.at.0);
    Ok(events)
}

/// The newest `limit` events, newest first, read backwards through the time index (a log of
/// 100,000 entries is never loaded whole).
pub async fn newest(db: &Db, limit: usize) -> Result<Vec<Event>, StoreError> {
    let tx = db.tx(&[ACTIVITY], false)?;
    let store = tx.object_store(ACTIVITY)?;
    let index = store.index("by_time")?;
    let mut out = Vec::new();
    let Some(mut cursor) = index
        .open_cursor()
        .with_direction(CursorDirection::Prev)
        .await?
    else {
        return Ok(out);
    };
    while out.len() < limit {
        let Some(value) = cursor.next_record::<JsValue>().await? else {
            break;
        };
        if let Ok(event) = from_js::<Event>(value) {
            out.push(event);
        }
    }
    Ok(out)
}

/// The whole log, newest first: for its export.
pub async fn all(db: &Db) -> Result<Vec<Event>, StoreError> {
    newest(db, usize::MAX).await
}

/// How many events the log holds.
pub async fn count(db: &Db) -> Result<u32, StoreError> {
    let tx = db.tx(&[ACTIVITY], false)?;
    Ok(tx.object_store(ACTIVITY)?.count().await?)
}
