//! The workspace as the pages read it: one snapshot of entities, documents, addresses and
//! numbers, with the lookups the pages need. Loading is four `getAll`s; pages refetch it when the
//! revision moves.

use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::entity::Entity;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EntitySid, IdentitySid};
use crate::domain::rules::compliance::{Compliance, Lookup, Mapped, NumberRef};
use crate::store::{Db, StoreError, addresses, documents, entities, numbers};

/// Everything the pages show, read at one moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Every entity.
    pub entities: Vec<Entity>,
    /// Every identity document.
    pub documents: Vec<IdentityDocument>,
    /// Every address.
    pub addresses: Vec<Address>,
    /// Every owned number.
    pub numbers: Vec<PhoneNumber>,
}

/// The snapshot as a resource that reloads whenever the workspace changes, in this tab or another.
pub fn use_snapshot() -> leptos::prelude::LocalResource<Result<Snapshot, StoreError>> {
    use leptos::prelude::*;
    let state = crate::ui::state::use_app();
    LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { Snapshot::load(&db).await }
    })
}

impl Snapshot {
    /// Reads the workspace.
    pub async fn load(db: &Db) -> Result<Snapshot, StoreError> {
        Ok(Snapshot {
            entities: entities::list(db).await?,
            documents: documents::list(db).await?,
            addresses: addresses::list(db).await?,
            numbers: numbers::list(db).await?,
        })
    }

    /// The document with this SID.
    pub fn document(&self, sid: Option<IdentitySid>) -> Option<&IdentityDocument> {
        sid.and_then(|s| self.documents.iter().find(|d| d.sid == s))
    }

    /// The entity with this SID.
    pub fn entity(&self, sid: Option<EntitySid>) -> Option<&Entity> {
        sid.and_then(|s| self.entities.iter().find(|e| e.sid == s))
    }

    /// The address with this SID.
    pub fn address(&self, sid: Option<AddressSid>) -> Option<&Address> {
        sid.and_then(|s| self.addresses.iter().find(|a| a.sid == s))
    }

    /// An index of the documents and addresses by SID: build it once to look up many numbers
    /// (a linear search per number would make 10,000 numbers × 1,000 documents).
    pub fn lookup(&self) -> Lookup<'_> {
        Lookup::new(&self.documents, &self.addresses)
    }

    /// What a number is mapped to.
    pub fn mapped(&self, number: &PhoneNumber) -> Mapped<'_> {
        self.lookup().mapped(number)
    }

    /// One number's compliance today (for many numbers, use [`Snapshot::lookup`] once).
    pub fn compliance(
        &self,
        number: &PhoneNumber,
        today: crate::domain::time::calendar::Date,
    ) -> Compliance {
        self.lookup().compliance(number, today)
    }

    /// The numbers mapped to a document.
    pub fn numbers_of_document(&self, sid: IdentitySid) -> Vec<&PhoneNumber> {
        self.numbers
            .iter()
            .filter(|n| n.identity_sid == Some(sid))
            .collect()
    }
}

/// The domain's view of a number for compliance questions.
pub fn number_ref(number: &PhoneNumber) -> NumberRef<'_> {
    NumberRef::of(number)
}
