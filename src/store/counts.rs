//! How many records are in each state, counted by IndexedDB on the indexes, without reading or
//! decoding a record: what the overview and the navigation show. The landing page needs nothing
//! else, so a first visit does not load the record codecs or the compliance rules before it can
//! paint (see "Split build" in ARCHITECTURE.md).
//!
//! The numbers' counts read the compliance slug each record stores; a time-driven change (a
//! document expiring) is written by the refresh shortly after start (`numbers::refresh_compliance`),
//! and the counts follow it then.

use indexed_db_futures::KeyRange;
use indexed_db_futures::prelude::*;

use super::db::Db;
use super::error::StoreError;
use super::schema::{ADDRESSES, BY_LAST_DAY, DOCUMENTS, NUMBERS};
use crate::domain::records::document::{EXPIRY_WARNINGS, Status};
use crate::domain::rules::compliance::Compliance;
use crate::domain::time::calendar::Date;

/// The workspace's counts, read in one transaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Documents waiting for review.
    pub pending: u32,
    /// Passed documents that still count today.
    pub passed: u32,
    /// Passed documents whose last day is behind them.
    pub expired: u32,
    /// Passed documents that stop counting within each of [`EXPIRY_WARNINGS`] days (each count
    /// includes the shorter ones).
    pub expiring: [u32; 3],
    /// Documents that failed.
    pub failed: u32,
    /// Every owned number.
    pub numbers: u32,
    /// Numbers whose stored compliance is non-compliant.
    pub noncompliant: u32,
    /// Every address.
    pub addresses: u32,
}

/// Counts every state as of `today`, in one read-only transaction.
pub async fn read(db: &Db, today: Date) -> Result<Counts, StoreError> {
    let tx = db.tx(&[DOCUMENTS, NUMBERS, ADDRESSES], false)?;
    let store = tx.object_store(DOCUMENTS)?;
    let documents = store.index("by_status")?;
    let by_last_day = store.index(BY_LAST_DAY)?;
    // Passed documents by their last day (keys are `YYYY-MM-DD` text).
    let by_last_day = |range: KeyRange<String>| {
        by_last_day
            .count()
            .with_query::<String, _>(range)
            .primitive()
    };
    let day = |d: Date| d.to_string();
    let mut expiring = [0; 3];
    for (slot, days) in expiring.iter_mut().zip(EXPIRY_WARNINGS) {
        let within = KeyRange::Bound(day(today), false, day(today.add_days(days + 1)), true);
        *slot = by_last_day(within)?.await?;
    }
    let numbers = tx.object_store(NUMBERS)?;
    let addresses = tx.object_store(ADDRESSES)?;
    let by_status = |status: Status| documents.count().with_query(status.slug()).primitive();
    Ok(Counts {
        pending: by_status(Status::Pending)?.await?,
        passed: by_last_day(KeyRange::LowerBound(day(today), false))?.await?,
        expired: by_last_day(KeyRange::UpperBound(day(today), true))?.await?,
        expiring,
        failed: by_status(Status::Failed)?.await?,
        numbers: numbers.count().primitive()?.await?,
        noncompliant: numbers
            .index("by_compliance")?
            .count()
            .with_query(Compliance::NONCOMPLIANT)
            .primitive()?
            .await?,
        addresses: addresses.count().primitive()?.await?,
    })
}
