//! Records that could not be read are kept here, exactly as they were stored, with the reason:
//! a bug or a bad import must never silently delete compliance data.

use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use serde::de::DeserializeOwned;

use super::codec::{Undecodable, from_js, read_all, to_js};
use super::db::Db;
use super::error::StoreError;
use super::schema::QUARANTINE;

/// A set-aside record, as the UI reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    /// `store/key`, unique.
    pub id: String,
    /// The store it came from.
    pub store: String,
    /// Its key there, as text.
    pub key: String,
    /// Why it could not be read.
    pub error: String,
    /// When it was set aside (ms since epoch).
    pub at: i64,
}

fn key_text(key: &JsValue) -> String {
    key.as_string()
        .or_else(|| key.as_f64().map(|n| n.to_string()))
        .unwrap_or_else(|| format!("{key:?}"))
}

/// Moves undecodable records of `store` into quarantine, in one transaction: each is written
/// there, with its raw value, before it is deleted from its store.
pub(crate) async fn isolate(
    db: &Db,
    store: &str,
    bad: &[Undecodable],
    now_ms: i64,
) -> Result<(), StoreError> {
    if bad.is_empty() {
        return Ok(());
    }
    let tx = db.tx(&[store, QUARANTINE], true)?;
    let source = tx.object_store(store)?;
    let quarantine = tx.object_store(QUARANTINE)?;
    for item in bad {
        let key = key_text(&item.key);
        let entry = Quarantined {
            id: format!("{store}/{key}"),
            store: store.to_string(),
            key,
            error: item.error.clone(),
            at: now_ms,
        };
        let value = to_js(&entry)?;
        js_sys::Reflect::set(&value, &JsValue::from_str("raw"), &item.raw)
            .map_err(|_| StoreError::Codec("could not attach the raw record".into()))?;
        quarantine.put(value).primitive()?;
        source.delete(item.key.clone()).primitive()?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every record of `store` that decodes, after moving the ones that do not into quarantine: what
/// every repository's `list` does.
pub(crate) async fn list_decodable<T: DeserializeOwned>(
    db: &Db,
    store: &str,
) -> Result<Vec<T>, StoreError> {
    let (good, bad) = {
        let tx = db.tx(&[store], false)?;
        read_all::<T>(&tx.object_store(store)?).await?
    };
    isolate(db, store, &bad, js_sys::Date::now() as i64).await?;
    if !bad.is_empty() {
        // Views that counted the quarantine before this read must count again.
        super::changes::publish(super::changes::Change::Quarantined);
    }
    Ok(good)
}

/// Every set-aside record (without its raw value).
pub async fn list(db: &Db) -> Result<Vec<Quarantined>, StoreError> {
    let tx = db.tx(&[QUARANTINE], false)?;
    let store = tx.object_store(QUARANTINE)?;
    let values = store.get_all::<JsValue>().primitive()?.await?;
    let mut out = Vec::new();
    for v in values {
        // The raw value rides along as an extra field. It is dropped (from this copy) before
        // decoding: it is not part of the entry, and it may hold what JSON cannot carry.
        let v = v?;
        let _ =
            js_sys::Reflect::delete_property(v.unchecked_ref::<js_sys::Object>(), &"raw".into());
        if let Ok(q) = from_js::<Quarantined>(v) {
            out.push(q);
        }
    }
    Ok(out)
}
