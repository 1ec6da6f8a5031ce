//! The individual or business behind documents (Twilio's End-User), typed once: a document picks
//! its entity and starts from its details, and a document saved for it teaches it what was typed.
//!
//! The entity's details are what the next document starts from; each document keeps the details
//! its review judged. So a change to the entity never changes a Passed document silently: the
//! document says its entity has changed since it passed ([`Entity::changed_since`]), and a renewal
//! takes the entity's details to review.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::ordering::sort_by;
use crate::domain::records::document::{IdentityDocument, holder};
use crate::domain::records::kinds::EndUserType;
use crate::domain::records::sid::{EntitySid, IdentitySid};
use crate::domain::time::Timestamp;

/// Details that belong to one document, not to who it is for.
const DOCUMENT_ONLY: &[&str] = &["comments"];

/// An individual or a business, with the details typed for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Its SID.
    pub sid: EntitySid,
    /// Individual or business.
    pub end_user_type: EndUserType,
    /// Every detail typed for it, by field name: the union over the regulations its documents
    /// were prepared for (a VAT number for one, a website for another).
    pub details: BTreeMap<String, String>,
    /// When it was created.
    pub created: Timestamp,
}

impl Entity {
    /// A new entity from the details of its first document.
    pub fn of_document(sid: EntitySid, document: &IdentityDocument, at: Timestamp) -> Entity {
        let mut entity = Entity {
            sid,
            end_user_type: document.end_user_type,
            details: BTreeMap::new(),
            created: at,
        };
        entity.learn(&document.details);
        entity
    }

    /// Who it is: the business name, or first and last name.
    pub fn name(&self) -> String {
        holder(&self.details)
    }

    /// Takes the non-empty details a document was saved with (its own comments aside); whether
    /// anything changed.
    pub fn learn(&mut self, details: &BTreeMap<String, String>) -> bool {
        let mut changed = false;
        for (field, value) in details {
            let value = value.trim();
            if value.is_empty() || DOCUMENT_ONLY.contains(&field.as_str()) {
                continue;
            }
            if self.details.get(field).map(String::as_str) != Some(value) {
                self.details.insert(field.clone(), value.to_string());
                changed = true;
            }
        }
        changed
    }

    /// The fields whose value the entity now has differently from what `document` was judged
    /// with: for a Passed document, what a renewal would take to review.
    pub fn changed_since(&self, document: &IdentityDocument) -> Vec<String> {
        document
            .details
            .iter()
            .filter(|(field, _)| !DOCUMENT_ONLY.contains(&field.as_str()))
            .filter(|(field, value)| {
                self.details
                    .get(*field)
                    .is_some_and(|now| now.trim() != value.trim())
            })
            .map(|(field, _)| field.clone())
            .collect()
    }
}

/// Who a document is for, as the upgrade tells entities apart: the end-user type, the holder's
/// name and the registration number (or the individual's name), compared without case or spacing.
fn identity_of(document: &IdentityDocument) -> (EndUserType, String, String) {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let registration = document
        .details
        .get("business_registration_number")
        .map(|r| squeeze(r))
        .unwrap_or_default();
    (
        document.end_user_type,
        squeeze(&document.holder()),
        registration,
    )
}

/// The entities behind documents that have none yet (a workspace or backup from before
/// entities): one per holder, its SID derived from its oldest document's, so every upgrade of the
/// same records gives the same entities. Returns the entities and, for each document given an
/// entity, which.
pub fn entities_of(documents: &[IdentityDocument]) -> (Vec<Entity>, Vec<(IdentitySid, EntitySid)>) {
    let mut unassigned: Vec<&IdentityDocument> = documents
        .iter()
        .filter(|d| d.entity_sid.is_none())
        .collect();
    // Oldest first: the first document of a holder names its entity, later ones teach it.
    sort_by(&mut unassigned, |d| (d.created.0, d.sid.bytes()));
    let mut entities: Vec<(Entity, (EndUserType, String, String))> = Vec::new();
    let mut links = Vec::new();
    for document in unassigned {
        let who = identity_of(document);
        match entities.iter_mut().find(|(_, key)| *key == who) {
            Some((entity, _)) => {
                entity.learn(&document.details);
                links.push((document.sid, entity.sid));
            }
            None => {
                let sid = EntitySid::derived(&document.sid.to_string());
                let entity = Entity::of_document(sid, document, document.created);
                links.push((document.sid, sid));
                entities.push((entity, who));
            }
        }
    }
    (entities.into_iter().map(|(e, _)| e).collect(), links)
}

/// Gives every document without an entity the entity of its holder ([`entities_of`]), and
/// returns the new entities: what the upgrade, a version-1 import and the demo do.
pub fn assign_entities(documents: &mut [IdentityDocument]) -> Vec<Entity> {
    let (entities, links) = entities_of(documents);
    for (document, entity) in links {
        if let Some(d) = documents.iter_mut().find(|d| d.sid == document) {
            d.entity_sid = Some(entity);
        }
    }
    entities
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::document::tests::sample;

    #[test]
    fn documents_of_one_holder_share_one_entity_and_teach_it() {
        let mut berlin = sample();
        berlin
            .details
            .insert("business_registration_number".into(), "HRB 1".into());
        berlin
            .details
            .insert("comments".into(), "for Berlin".into());
        let mut cologne = sample();
        cologne.sid = IdentitySid::from_bytes([7; 16]);
        cologne.created = Timestamp(5);
        cologne
            .details
            .insert("business_registration_number".into(), "hrb1".into());
        cologne
            .details
            .insert("business_website".into(), "acme.example".into());
        let mut other = sample();
        other.sid = IdentitySid::from_bytes([8; 16]);
        other
            .details
            .insert("business_name".into(), "Other AG".into());
        let (entities, links) = entities_of(&[cologne.clone(), berlin.clone(), other.clone()]);
        assert_eq!(entities.len(), 2);
        let acme = &entities[0];
        assert_eq!(
            acme.sid,
            EntitySid::derived(&berlin.sid.to_string()),
            "named by the oldest"
        );
        assert_eq!(acme.name(), "Acme GmbH");
        assert_eq!(
            acme.details["business_website"], "acme.example",
            "learnt from the later one"
        );
        assert!(!acme.details.contains_key("comments"), "a document's own");
        // Oldest first (then by SID): Berlin and Other at 0, Cologne at 5.
        assert_eq!(
            links,
            vec![
                (berlin.sid, acme.sid),
                (other.sid, entities[1].sid),
                (cologne.sid, acme.sid)
            ]
        );
        // Deterministic: the same records give the same entities.
        assert_eq!(entities_of(&[other, berlin.clone(), cologne]).0, entities);
        // A document that has its entity is left alone.
        let mut linked = berlin;
        linked.entity_sid = Some(acme.sid);
        assert!(entities_of(&[linked]).0.is_empty());
    }

    #[test]
    fn a_passed_document_says_what_its_entity_has_changed() {
        let doc = sample();
        let mut entity = Entity::of_document(EntitySid::from_bytes([1; 16]), &doc, Timestamp(0));
        assert!(entity.changed_since(&doc).is_empty());
        assert!(!entity.learn(&doc.details), "nothing new");
        let mut renamed = doc.details.clone();
        renamed.insert("business_name".into(), "Acme Holding GmbH".into());
        renamed.insert("business_website".into(), " ".into());
        assert!(entity.learn(&renamed));
        assert_eq!(
            entity.changed_since(&doc),
            vec!["business_name".to_string()]
        );
        assert!(
            !entity.details.contains_key("business_website"),
            "blank is not a value"
        );
    }
}
