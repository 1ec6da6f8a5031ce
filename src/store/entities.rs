//! Entities, the individuals and businesses behind documents. They are written by the document
//! saves that teach them (`documents::save`), by imports and by the schema upgrade; this module
//! reads them.

use super::db::Db;
use super::error::StoreError;
use super::quarantine::list_decodable;
use super::schema::ENTITIES;
use crate::domain::records::entity::Entity;

/// Every entity. Records that do not decode are moved to quarantine, not dropped.
pub async fn list(db: &Db) -> Result<Vec<Entity>, StoreError> {
    list_decodable(db, ENTITIES).await
}
