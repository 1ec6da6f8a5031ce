//! The burndown's series ([`Burndown`]), kept in the meta store: each change to the workspace
//! records the day's count of non-compliant numbers, counted on the compliance index.

use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

use super::codec::{from_js, to_js};
use super::db::Db;
use super::error::StoreError;
use super::meta::{MetaEntry, get};
use super::schema::{META, NUMBERS};
use crate::domain::rules::burndown::{Burndown, DayCount};
use crate::domain::rules::compliance::Compliance;
use crate::domain::time::calendar::Date;

/// The meta entry holding the series, as JSON.
const KEY: &str = "burndown";

fn decode(text: &str) -> Result<Burndown, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Codec(format!("the burndown's days cannot be read: {e}")))
}

/// The recorded series; empty before the first record.
pub async fn read(db: &Db) -> Result<Burndown, StoreError> {
    get(db, KEY)
        .await?
        .map_or_else(|| Ok(Burndown::default()), |text| decode(&text))
}

/// Records today's counts in one transaction with the series they update; whether the series
/// changed. A series that cannot be read is left as it is (and the error returned): it is never
/// replaced by a fresh one.
pub async fn record(db: &Db, today: Date) -> Result<bool, StoreError> {
    let tx = db.tx(&[NUMBERS, META], true)?;
    let numbers = tx.object_store(NUMBERS)?;
    let by_compliance = numbers.index("by_compliance")?;
    let count = |slug: &str| by_compliance.count().with_query(slug).primitive();
    let left = count(Compliance::NONCOMPLIANT)?.await?;
    let compliant = count(Compliance::Compliant.slug())?.await?;
    let meta = tx.object_store(META)?;
    let stored: Option<JsValue> = meta.get(KEY.to_string()).primitive()?.await?;
    let mut series = match stored {
        None => Burndown::default(),
        Some(value) => {
            let entry: MetaEntry = from_js(value).map_err(StoreError::Codec)?;
            decode(&entry.value)?
        }
    };
    let changed = series.record(DayCount {
        day: today,
        left,
        regulated: left + compliant,
    });
    if changed {
        let value = serde_json::to_string(&series).map_err(|e| StoreError::Codec(e.to_string()))?;
        meta.put(to_js(&MetaEntry {
            key: KEY.to_string(),
            value,
        })?)
        .primitive()?;
    }
    tx.commit().await?;
    Ok(changed)
}
