//! How many records are in each state, counted by IndexedDB on the indexes, without reading or
//! decoding a record: what the overview and the navigation show. The landing page needs nothing
//! else, so a first visit does not load the record codecs or the compliance rules before it can
//! paint (see "Split build" in ARCHITECTURE.md).
//!
//! The numbers' counts read the compliance slug each record stores; a time-driven change (a
//! document expiring) is written by the refresh shortly after start (`numbers::refresh_compliance`),
//! and the counts follow it then.

use indexed_db_futures::prelude::*;

use super::db::Db;
use super::error::StoreError;
use super::schema::{ADDRESSES, DOCUMENTS, NUMBERS};
use crate::domain::compliance::Compliance;
use crate::domain::document::Status;

/// The workspace's counts, read in one transaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Documents waiting for review.
    pub pending: u32,
    /// Documents that passed.
    pub passed: u32,
    /// Documents that failed.
    pub failed: u32,
    /// Every owned number.
    pub numbers: u32,
    /// Numbers whose stored compliance is non-compliant.
    pub noncompliant: u32,
    /// Every address.
    pub addresses: u32,
}

/// Counts every state, in one read-only transaction.
pub async fn read(db: &Db) -> Result<Counts, StoreError> {
    let tx = db.tx(&[DOCUMENTS, NUMBERS, ADDRESSES], false)?;
    let documents = tx.object_store(DOCUMENTS)?;
    let documents = documents.index("by_status")?;
    let numbers = tx.object_store(NUMBERS)?;
    let addresses = tx.object_store(ADDRESSES)?;
    let by_status = |status: Status| documents.count().with_query(status.slug()).primitive();
    Ok(Counts {
        pending: by_status(Status::Pending)?.await?,
        passed: by_status(Status::Passed)?.await?,
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
