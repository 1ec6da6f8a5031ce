//! Turning records into JavaScript values and back, and setting aside the ones that do not decode.
//!
//! Records are stored as plain JS objects (maps as objects), so IndexedDB's key paths and indexes
//! see their fields. Decoding happens one record at a time: a record that fails to decode does not
//! make its neighbours unreadable, and it is moved to the quarantine store instead of being dropped.

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use super::db::Db;
use super::error::StoreError;

/// A record as a JS object.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .map_err(|e| StoreError::Codec(e.to_string()))
}

/// A record from a JS object.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// A stored value that did not decode.
#[derive(Debug, Clone)]
pub(crate) struct Undecodable {
    /// Its key in its store.
    pub key: JsValue,
    /// The value as stored.
    pub raw: JsValue,
    /// Why it did not decode.
    pub error: String,
}

/// Every record of `store` (or of the given index query), decoded, with those that failed apart.
/// One `getAll` for the values and one for the keys: no request per record.
pub(crate) async fn read_all<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
) -> Result<(Vec<T>, Vec<Undecodable>), StoreError> {
    let keys_req = store.get_all_keys::<JsValue>().primitive()?;
    let values_req = store.get_all::<JsValue>().primitive()?;
    let keys: Vec<JsValue> = keys_req.await?.collect::<Result<_, _>>()?;
    let values: Vec<JsValue> = values_req.await?.collect::<Result<_, _>>()?;
    Ok(decode_all(keys, values))
}

/// Splits raw values into decoded records and undecodable ones.
pub(crate) fn decode_all<T: DeserializeOwned>(
    keys: Vec<JsValue>,
    values: Vec<JsValue>,
) -> (Vec<T>, Vec<Undecodable>) {
    let mut good = Vec::with_capacity(values.len());
    let mut bad = Vec::new();
    for (key, raw) in keys.into_iter().zip(values) {
        match from_js::<T>(raw.clone()) {
            Ok(v) => good.push(v),
            Err(error) => bad.push(Undecodable { key, raw, error }),
        }
    }
    (good, bad)
}

/// One record of `store` by key, decoded: what every repository's `get` does.
pub(crate) async fn get_record<T: DeserializeOwned>(
    db: &Db,
    store: &str,
    key: String,
) -> Result<Option<T>, StoreError> {
    let tx = db.tx(&[store], false)?;
    let value: Option<JsValue> = tx.object_store(store)?.get(key).primitive()?.await?;
    value
        .map(|v| from_js(v).map_err(StoreError::Codec))
        .transpose()
}
