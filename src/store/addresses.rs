//! Addresses: created, changed and deleted under the lifecycle rules, each in one transaction
//! with the reads the rule needs.

use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

use super::activity::append;
use super::codec::from_js;
use super::db::{Db, get_record};
use super::error::StoreError;
use super::numbers::mapped_to_address;
use super::quarantine::list_decodable;
use super::replica::record_deletion;
use super::schema::{ACTIVITY, ADDRESSES, DOCUMENTS, NUMBERS, REPLICA, address_js};
use crate::domain::records::activity::Event;
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::sid::AddressSid;
use crate::domain::replication::doc::{Kind, doc_id};
use crate::domain::rules::lifecycle::{may_delete_address, may_update_address};

/// Every address.
pub async fn list(db: &Db) -> Result<Vec<Address>, StoreError> {
    list_decodable(db, ADDRESSES).await
}

/// One address.
pub async fn get(db: &Db, sid: AddressSid) -> Result<Option<Address>, StoreError> {
    get_record(db, ADDRESSES, sid.to_string()).await
}

/// The documents that name an address, within an open transaction.
async fn documents_using(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    sid: AddressSid,
) -> Result<Vec<IdentityDocument>, StoreError> {
    let values = tx
        .object_store(DOCUMENTS)?
        .index("by_address")?
        .get_all::<JsValue>()
        .with_query(sid.to_string())
        .primitive()?
        .await?;
    values
        .map(|v| from_js(v?).map_err(StoreError::Codec))
        .collect()
}

/// Stores a new address.
pub async fn create(db: &Db, address: &Address, event: &Event) -> Result<(), StoreError> {
    let tx = db.tx(&[ADDRESSES, ACTIVITY], true)?;
    tx.object_store(ADDRESSES)?
        .add(address_js(address)?)
        .primitive()?;
    append(&tx.object_store(ACTIVITY)?, event)?;
    tx.commit().await?;
    Ok(())
}

/// Stores a changed address, unless a Passed document relies on it (21630).
pub async fn update(db: &Db, address: &Address, event: &Event) -> Result<(), StoreError> {
    let tx = db.tx(&[ADDRESSES, DOCUMENTS, ACTIVITY], true)?;
    let using = documents_using(&tx, address.sid).await?;
    may_update_address(address, &using).map_err(StoreError::Refused)?;
    tx.object_store(ADDRESSES)?
        .put(address_js(address)?)
        .primitive()?;
    append(&tx.object_store(ACTIVITY)?, event)?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an address, unless a number or a document uses it; the error names them.
pub async fn delete(db: &Db, sid: AddressSid, event: &Event) -> Result<(), StoreError> {
    let tx = db.tx(&[ADDRESSES, DOCUMENTS, NUMBERS, ACTIVITY, REPLICA], true)?;
    let stored: Option<JsValue> = tx
        .object_store(ADDRESSES)?
        .get(sid.to_string())
        .primitive()?
        .await?;
    let address: Address = match stored {
        Some(v) => from_js(v).map_err(StoreError::Codec)?,
        None => return Err(StoreError::NotFound(format!("Address {sid}"))),
    };
    let numbers = mapped_to_address(&tx, sid).await?;
    let documents = documents_using(&tx, sid).await?;
    may_delete_address(&address, &numbers, &documents).map_err(StoreError::Refused)?;
    tx.object_store(ADDRESSES)?
        .delete(sid.to_string())
        .primitive()?;
    record_deletion(&tx, doc_id(Kind::Address, sid)).await?;
    append(&tx.object_store(ACTIVITY)?, event)?;
    tx.commit().await?;
    Ok(())
}
