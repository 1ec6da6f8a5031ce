//! Turning records into JavaScript values and back, and setting aside the ones that do not decode.
//!
//! Records are stored as plain JS objects (maps as objects), so IndexedDB's key paths and indexes
//! see their fields. Decoding happens one record at a time: a record that fails to decode does not
//! make its neighbours unreadable, and it is moved to the quarantine store instead of being dropped.
//!
//! The conversion goes through JSON text (serde_json, then the browser's `JSON.parse` and
//! `JSON.stringify`) rather than a JS-value (de)serialiser: serde_json is the one (de)serialiser
//! the domain already needs for exports, so every record type's serde code is compiled once.
//! The objects are the ones the earlier serde-wasm-bindgen codec wrote, except that a `None` is
//! now `null` where it was `undefined`; both read back as `None`, and IndexedDB leaves a record
//! out of an index for either, so old and new records read and index alike.

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use super::error::StoreError;

/// A record as a JS object.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(value).map_err(|e| StoreError::Codec(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|e| StoreError::Codec(format!("{e:?}")))
}

/// A record from a JS object.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_json::from_str(&json_text(&value)?).map_err(|e| e.to_string())
}

/// A stored value as JSON text. One JSON cannot carry (`undefined`, a BigInt, a cycle) is an
/// error like any other record that does not decode, so it is quarantined.
fn json_text(value: &JsValue) -> Result<String, String> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| "the stored value is not JSON data (undefined, a BigInt or a cycle)".into())
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

/// The records of `store` under `keys`, in their order (`None` where there is none). Every
/// request is placed before the first is awaited, so they run back to back rather than one
/// round trip each.
pub(crate) async fn get_each(
    store: &ObjectStore<'_>,
    keys: &[String],
) -> Result<Vec<Option<JsValue>>, StoreError> {
    let requests = keys
        .iter()
        .map(|key| store.get(key.clone()).primitive())
        .collect::<Result<Vec<_>, _>>()?;
    let mut found = Vec::with_capacity(keys.len());
    for request in requests {
        let value: Option<JsValue> = request.await?;
        found.push(value);
    }
    Ok(found)
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

/// A Blob's bytes (a scan's, for an export or a push).
pub(crate) async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, StoreError> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| StoreError::Database(format!("a scan could not be read: {e:?}")))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A Blob of `bytes` with MIME type `mime` (a scan from an import or from the server).
pub(crate) fn bytes_blob(bytes: &[u8], mime: &str) -> Result<web_sys::Blob, StoreError> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| StoreError::Database(format!("a scan could not be rebuilt: {e:?}")))
}
