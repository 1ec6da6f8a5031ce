//! Owned numbers. Each record carries its compliance state as an extra `compliance` field, so the
//! "non-compliant only" view is an index lookup; every write that can change it rewrites it.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use wasm_bindgen::JsValue;

use super::activity::append;
use super::codec::{from_js, read_all, to_js};
use super::db::{Db, get_record};
use super::error::StoreError;
use super::quarantine::list_decodable;
use super::schema::{ACTIVITY, ADDRESSES, DOCUMENTS, NUMBERS, mark_dirty};
use crate::domain::records::activity::Event;
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, IdentitySid, NumberSid};
use crate::domain::rules::compliance::{Compliance, Lookup, Mapped, NumberRef, compliance};
use crate::domain::rules::regulation::Catalog;

/// The field a stored number keeps its compliance slug in (the `by_compliance` index's key path).
const COMPLIANCE_FIELD: &str = "compliance";

/// A number as stored: its fields plus its compliance slug, marked as changed here.
pub(crate) fn number_js(
    number: &PhoneNumber,
    compliance: &Compliance,
) -> Result<JsValue, StoreError> {
    let value = to_js(number)?;
    restate(&value, compliance)?;
    mark_dirty(&value)?;
    Ok(value)
}

/// Sets a stored number's compliance slug. The slug is derived from the workspace, not part of
/// the record, so changing it alone (a refresh, a replicated document's effect) marks nothing.
pub(crate) fn restate(value: &JsValue, compliance: &Compliance) -> Result<(), StoreError> {
    js_sys::Reflect::set(
        value,
        &JsValue::from_str(COMPLIANCE_FIELD),
        &JsValue::from_str(compliance.slug()),
    )
    .map(|_| ())
    .map_err(|_| StoreError::Codec("could not set the compliance field".into()))
}

/// The compliance slug a stored number carries (see [`number_js`]), if any.
pub(crate) fn stored_slug(value: &JsValue) -> Option<String> {
    js_sys::Reflect::get(value, &COMPLIANCE_FIELD.into())
        .ok()
        .and_then(|c| c.as_string())
}

/// Every number, with one `getAll`.
pub async fn list(db: &Db) -> Result<Vec<PhoneNumber>, StoreError> {
    list_decodable(db, NUMBERS).await
}

/// The first `limit` numbers in E.164 order (the order My numbers lists them in), each with its
/// stored compliance slug: what a cold start shows before the whole workspace is read. One
/// `getAll` on the E.164 index with a limit, so only these records are decoded. A record that
/// does not decode is left out here; the full listing quarantines it.
pub async fn first_page(db: &Db, limit: u32) -> Result<Vec<(PhoneNumber, String)>, StoreError> {
    let tx = db.tx(&[NUMBERS], false)?;
    let values = tx
        .object_store(NUMBERS)?
        .index("by_e164")?
        .get_all::<JsValue>()
        .with_limit(limit)
        .primitive()?
        .await?;
    let mut out = Vec::new();
    for value in values {
        let value = value?;
        let slug = stored_slug(&value).unwrap_or_default();
        if let Ok(number) = from_js::<PhoneNumber>(value) {
            out.push((number, slug));
        }
    }
    Ok(out)
}

/// One number.
pub async fn get(db: &Db, sid: NumberSid) -> Result<Option<PhoneNumber>, StoreError> {
    get_record(db, NUMBERS, sid.to_string()).await
}

async fn by_index(db: &Db, index: &str, key: &str) -> Result<Vec<PhoneNumber>, StoreError> {
    let tx = db.tx(&[NUMBERS], false)?;
    in_tx_by(&tx, index, key.to_string()).await
}

/// The numbers mapped to an identity document (the reverse lookup Twilio lacks).
pub async fn of_document(db: &Db, sid: IdentitySid) -> Result<Vec<PhoneNumber>, StoreError> {
    by_index(db, "by_identity", &sid.to_string()).await
}

/// The numbers mapped to an address.
pub async fn of_address(db: &Db, sid: AddressSid) -> Result<Vec<PhoneNumber>, StoreError> {
    by_index(db, "by_address", &sid.to_string()).await
}

/// The numbers in one compliance state (`compliant`, `noncompliant`, `not-regulated`).
pub async fn with_compliance(db: &Db, slug: &str) -> Result<Vec<PhoneNumber>, StoreError> {
    by_index(db, "by_compliance", slug).await
}

/// Writes numbers with their compliance and the event in one transaction; `add` refuses a number
/// (SID or E.164) that is already stored, `put` replaces it.
async fn write(
    db: &Db,
    numbers: &[(PhoneNumber, Compliance)],
    event: &Event,
    add: bool,
) -> Result<(), StoreError> {
    let tx = db.tx(&[NUMBERS, ACTIVITY], true)?;
    let store = tx.object_store(NUMBERS)?;
    for (number, state) in numbers {
        let value = number_js(number, state)?;
        if add {
            store.add(value).primitive()?;
        } else {
            store.put(value).primitive()?;
        }
    }
    append(&tx.object_store(ACTIVITY)?, event)?;
    tx.commit().await.map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) if add => {
            StoreError::Conflict("One of these numbers is already in the workspace.".into())
        }
        other => other,
    })
}

/// Stores new numbers (a purchase, an import) with their compliance, and the event, in one
/// transaction. Owning a number twice is a conflict, and then nothing is written.
pub async fn add(
    db: &Db,
    numbers: &[(PhoneNumber, Compliance)],
    event: &Event,
) -> Result<(), StoreError> {
    write(db, numbers, event, true).await
}

/// Rewrites numbers (a new mapping) with their compliance, and the event, in one transaction.
pub async fn update(
    db: &Db,
    numbers: &[(PhoneNumber, Compliance)],
    event: &Event,
) -> Result<(), StoreError> {
    write(db, numbers, event, false).await
}

/// The numbers whose `index` field equals `key`, within an open transaction over numbers.
async fn in_tx_by(
    tx: &Transaction<'_>,
    index: &str,
    key: String,
) -> Result<Vec<PhoneNumber>, StoreError> {
    let values = tx
        .object_store(NUMBERS)?
        .index(index)?
        .get_all::<JsValue>()
        .with_query(key)
        .primitive()?
        .await?;
    values
        .map(|v| from_js(v?).map_err(StoreError::Codec))
        .collect()
}

/// The numbers mapped to a document, within an open transaction over the numbers store.
pub(crate) async fn mapped_to_document(
    tx: &Transaction<'_>,
    sid: IdentitySid,
) -> Result<Vec<PhoneNumber>, StoreError> {
    in_tx_by(tx, "by_identity", sid.to_string()).await
}

/// The numbers mapped to an address, within an open transaction over the numbers store.
pub(crate) async fn mapped_to_address(
    tx: &Transaction<'_>,
    sid: AddressSid,
) -> Result<Vec<PhoneNumber>, StoreError> {
    in_tx_by(tx, "by_address", sid.to_string()).await
}

/// Within an open transaction over numbers: maps every number mapped to `from` to `to` instead,
/// and returns them as they were. Their stored compliance is left for [`rewrite_compliance`] on
/// `to`, which the caller runs in the same transaction.
pub(crate) async fn move_numbers(
    tx: &Transaction<'_>,
    from: IdentitySid,
    to: IdentitySid,
) -> Result<Vec<PhoneNumber>, StoreError> {
    let store = tx.object_store(NUMBERS)?;
    let values = store
        .index("by_identity")?
        .get_all::<JsValue>()
        .with_query(from.to_string())
        .primitive()?
        .await?;
    let mut moved = Vec::new();
    for value in values {
        let value = value?;
        let mut number: PhoneNumber = from_js(value.clone()).map_err(StoreError::Codec)?;
        let slug = stored_slug(&value).unwrap_or_default();
        let state = Compliance::from_slug(&slug).unwrap_or(Compliance::NotRegulated);
        moved.push(number.clone());
        number.identity_sid = Some(to);
        store.put(number_js(&number, &state)?).primitive()?;
    }
    Ok(moved)
}

async fn address_in(
    tx: &Transaction<'_>,
    sid: Option<AddressSid>,
) -> Result<Option<Address>, StoreError> {
    let Some(sid) = sid else { return Ok(None) };
    let value: Option<JsValue> = tx
        .object_store(ADDRESSES)?
        .get(sid.to_string())
        .primitive()?
        .await?;
    value
        .map(|v| from_js(v).map_err(StoreError::Codec))
        .transpose()
}

/// Within an open transaction over numbers and addresses: recomputes and rewrites the compliance
/// of every number mapped to `document`, which just changed status.
pub(crate) async fn rewrite_compliance(
    tx: &Transaction<'_>,
    document: &IdentityDocument,
    today: crate::domain::time::calendar::Date,
) -> Result<(), StoreError> {
    let numbers = mapped_to_document(tx, document.sid).await?;
    if numbers.is_empty() {
        return Ok(());
    }
    let document_address = address_in(tx, document.address_sid).await?;
    let store = tx.object_store(NUMBERS)?;
    for number in &numbers {
        let address = address_in(tx, number.address_sid).await?;
        let mapped = Mapped {
            document: Some(document),
            document_address: document_address.as_ref(),
            address: address.as_ref(),
        };
        let state = compliance(
            Catalog::shared(),
            NumberRef {
                target: number.target(),
                number_type: number.number_type,
            },
            mapped,
            today,
        );
        store.put(number_js(number, &state)?).primitive()?;
    }
    Ok(())
}

/// Recomputes every number's stored compliance from the workspace as it is today (documents
/// expire with time); returns how many changed.
///
/// Nearly always nothing has changed, so a read-only pass finds that out first: it takes no write
/// lock, so the pages' own reads at start-up do not queue behind it. Only when some slug is stale
/// does a second pass rewrite them, in one readwrite transaction that reads everything again (a
/// tab may have changed records in between).
pub async fn refresh_compliance(
    db: &Db,
    today: crate::domain::time::calendar::Date,
) -> Result<usize, StoreError> {
    if compliance_pass(db, today, false).await? == 0 {
        return Ok(0);
    }
    compliance_pass(db, today, true).await
}

/// Counts the numbers whose stored compliance is not today's; with `write`, also rewrites them
/// (and commits). Numbers are read once, raw, so the stored slug is compared without a second
/// read.
async fn compliance_pass(
    db: &Db,
    today: crate::domain::time::calendar::Date,
    write: bool,
) -> Result<usize, StoreError> {
    let tx = db.tx(&[NUMBERS, DOCUMENTS, ADDRESSES], write)?;
    let (documents, _) = read_all::<IdentityDocument>(&tx.object_store(DOCUMENTS)?).await?;
    let (addresses, _) = read_all::<Address>(&tx.object_store(ADDRESSES)?).await?;
    let lookup = Lookup::new(&documents, &addresses);
    let store = tx.object_store(NUMBERS)?;
    let raw: Vec<JsValue> = store
        .get_all::<JsValue>()
        .primitive()?
        .await?
        .collect::<Result<_, _>>()?;
    let mut changed = 0;
    for value in raw {
        let stored = stored_slug(&value);
        // Undecodable numbers are left for the quarantine pass of the next listing.
        let Ok(number) = from_js::<PhoneNumber>(value.clone()) else {
            continue;
        };
        let state = lookup.compliance(&number, today);
        if stored.as_deref() != Some(state.slug()) {
            if write {
                restate(&value, &state)?;
                store.put(value).primitive()?;
            }
            changed += 1;
        }
    }
    if write {
        tx.commit().await?;
    }
    Ok(changed)
}
