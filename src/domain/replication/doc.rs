//! regdesk's records as CouchDB documents: one document per record, its id the record type and
//! SID (`number:PN…`), its body the record's own JSON fields with a `type`. A script reading or
//! writing a workspace through CouchDB's HTTP API sees exactly what the README documents.
//!
//! An incoming document is decoded and checked by the same rules as a record in an imported
//! workspace file ([`records::checks`](crate::domain::records::checks)); one that fails is
//! quarantined by the caller with the [`DocError`], never applied.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::domain::records::activity::Event;
use crate::domain::records::address::Address;
use crate::domain::records::checks;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::entity::Entity;
use crate::domain::records::number::PhoneNumber;

/// The record types that replicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An individual or a business.
    Entity,
    /// An identity document (its scans ride along as attachments).
    Document,
    /// An address.
    Address,
    /// A phone number.
    Number,
    /// An activity-log entry.
    Event,
    /// A scan's bytes, by their SHA-256 (`replication::file`): not a record, but shared by the
    /// documents that list it.
    File,
}

impl Kind {
    /// Every record kind, in the order a pull applies them: what others refer to first. (Scan
    /// files are not records; they go first of all, see `store::replica`.)
    pub const ALL: [Kind; 5] = [
        Kind::Entity,
        Kind::Address,
        Kind::Document,
        Kind::Number,
        Kind::Event,
    ];

    /// The id prefix and `type` value (`document`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Entity => "entity",
            Kind::Document => "document",
            Kind::Address => "address",
            Kind::Number => "number",
            Kind::Event => "event",
            Kind::File => "file",
        }
    }

    /// The kind a `type` value or id prefix names.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .chain([Kind::File])
            .find(|k| k.name() == name)
    }
}

/// The document id of a record of `kind` with `sid`.
pub fn doc_id(kind: Kind, sid: impl fmt::Display) -> String {
    format!("{}:{sid}", kind.name())
}

/// The kind and SID a document id names (`number:PN…`); `None` for an id regdesk does not write.
pub fn parse_id(id: &str) -> Option<(Kind, &str)> {
    let (prefix, sid) = id.split_once(':')?;
    Some((Kind::from_name(prefix)?, sid))
}

/// Fields a record keeps about this machine only, never shared: a number's `in_conflict` (set
/// by replication here). Left out of every body sent and ignored in every body received.
const LOCAL_FIELDS: &[&str] = &["in_conflict"];

/// One record, of any replicated kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An entity.
    Entity(Entity),
    /// An identity document.
    Document(IdentityDocument),
    /// An address.
    Address(Address),
    /// A number.
    Number(PhoneNumber),
    /// A log entry.
    Event(Event),
}

/// Why an incoming document cannot be applied: which document, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    /// The document's id as it came.
    pub id: String,
    /// The field that is wrong (`e164`, `files[0].sha256`); `.` for the document as a whole.
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, field `{}`: {}", self.id, self.field, self.message)
    }
}

impl std::error::Error for DocError {}

impl Record {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Record::Entity(_) => Kind::Entity,
            Record::Document(_) => Kind::Document,
            Record::Address(_) => Kind::Address,
            Record::Number(_) => Kind::Number,
            Record::Event(_) => Kind::Event,
        }
    }

    /// Its document id.
    pub fn id(&self) -> String {
        match self {
            Record::Entity(r) => doc_id(Kind::Entity, r.sid),
            Record::Document(r) => doc_id(Kind::Document, r.sid),
            Record::Address(r) => doc_id(Kind::Address, r.sid),
            Record::Number(r) => doc_id(Kind::Number, r.sid),
            Record::Event(r) => doc_id(Kind::Event, r.sid),
        }
    }

    /// Its document body: the record's fields and `type`, no `_` fields (those are the
    /// replication's: `_id`, `_rev`, `_revisions`, `_attachments`).
    pub fn body(&self) -> Value {
        fn fields(record: &impl Serialize) -> Map<String, Value> {
            match serde_json::to_value(record) {
                Ok(Value::Object(map)) => map,
                // Every record serialises as an object; a record that could not would be a bug
                // in its type, caught by the round-trip tests.
                _ => Map::new(),
            }
        }
        let mut map = match self {
            Record::Entity(r) => fields(r),
            Record::Document(r) => fields(r),
            Record::Address(r) => fields(r),
            Record::Number(r) => fields(r),
            Record::Event(r) => fields(r),
        };
        for local in LOCAL_FIELDS {
            map.remove(*local);
        }
        map.insert("type".into(), Value::from(self.kind().name()));
        Value::Object(map)
    }

    /// The record an incoming document holds, checked; or why it cannot be applied.
    pub fn from_doc(id: &str, body: &Value) -> Result<Record, DocError> {
        let error = |field: &str, message: String| DocError {
            id: id.to_string(),
            field: field.to_string(),
            message,
        };
        let (prefix, sid) = id
            .split_once(':')
            .ok_or_else(|| error(".", "the id is not `type:SID`".into()))?;
        let kind = Kind::from_name(prefix).ok_or_else(|| {
            error(
                ".",
                format!("`{prefix}` is not a record type regdesk keeps"),
            )
        })?;
        let Value::Object(map) = body else {
            return Err(error(".", "the document is not a JSON object".into()));
        };
        match map.get("type").and_then(Value::as_str) {
            Some(t) if t == kind.name() => {}
            other => {
                return Err(error(
                    "type",
                    format!(
                        "the id says {}, the type says {}",
                        kind.name(),
                        other.unwrap_or("nothing")
                    ),
                ));
            }
        }
        let fields: Map<String, Value> = map
            .iter()
            .filter(|(k, _)| {
                !k.starts_with('_') && *k != "type" && !LOCAL_FIELDS.contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        fn decode<T: DeserializeOwned>(
            fields: Map<String, Value>,
            error: &dyn Fn(&str, String) -> DocError,
        ) -> Result<T, DocError> {
            serde_json::from_value(Value::Object(fields)).map_err(|e| error(".", e.to_string()))
        }
        let record = match kind {
            Kind::Entity => Record::Entity(decode(fields, &error)?),
            Kind::Document => Record::Document(decode(fields, &error)?),
            Kind::Address => Record::Address(decode(fields, &error)?),
            Kind::Number => Record::Number(decode(fields, &error)?),
            Kind::Event => Record::Event(decode(fields, &error)?),
            Kind::File => {
                return Err(error(".", "a scan file is not a record".into()));
            }
        };
        let own = record.id();
        if own != id {
            return Err(error(
                "sid",
                format!(
                    "the id names {sid}, the record's SID is {}",
                    &own[prefix.len() + 1..]
                ),
            ));
        }
        let checked = match &record {
            Record::Entity(_) | Record::Event(_) => Ok(()),
            Record::Document(d) => checks::document(d),
            Record::Address(a) => checks::address(a),
            Record::Number(n) => checks::number(n),
        };
        checked.map_err(|(field, message)| error(&field, message))?;
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo;
    use crate::domain::records::sid::SeededRandom;
    use crate::domain::time::Timestamp;

    fn records() -> Vec<Record> {
        let demo = demo::build(Timestamp(1_796_000_000_000), &mut SeededRandom::new(3));
        let ws = demo.workspace;
        let mut all: Vec<Record> = Vec::new();
        all.extend(ws.entities.into_iter().map(Record::Entity));
        all.extend(ws.documents.into_iter().map(Record::Document));
        all.extend(ws.addresses.into_iter().map(Record::Address));
        all.extend(ws.numbers.into_iter().map(Record::Number));
        all.extend(ws.activity.into_iter().map(Record::Event));
        all
    }

    #[test]
    fn a_numbers_conflict_flag_is_this_machines_and_never_shared() {
        let Some(Record::Number(mut n)) = records().into_iter().find(|r| r.kind() == Kind::Number)
        else {
            panic!("the demo has numbers");
        };
        let shared = Record::Number(n.clone()).body();
        n.in_conflict = true;
        let body = Record::Number(n.clone()).body();
        assert_eq!(body, shared, "the flag changes nothing that is sent");
        let mut claimed = body.clone();
        claimed["in_conflict"] = Value::Bool(true);
        let Ok(Record::Number(back)) = Record::from_doc(&Record::Number(n).id(), &claimed) else {
            panic!("decodes");
        };
        assert!(!back.in_conflict, "a document cannot set it");
    }

    #[test]
    fn every_record_round_trips_through_its_document() {
        let all = records();
        for kind in Kind::ALL {
            assert!(
                all.iter().any(|r| r.kind() == kind),
                "the demo has a {kind:?}"
            );
        }
        for record in all {
            let id = record.id();
            assert!(
                id.starts_with(&format!("{}:", record.kind().name())),
                "{id}"
            );
            let mut body = record.body();
            assert_eq!(body["type"], record.kind().name());
            assert!(
                body.as_object()
                    .unwrap()
                    .keys()
                    .all(|k| !k.starts_with('_')),
                "{id}: no `_` fields of its own"
            );
            // What a replication adds is ignored.
            body["_id"] = Value::from(id.clone());
            body["_rev"] = Value::from("1-abc");
            assert_eq!(Record::from_doc(&id, &body), Ok(record), "{id}");
        }
    }

    fn refused(id: &str, body: Value) -> DocError {
        Record::from_doc(id, &body).expect_err("refused")
    }

    #[test]
    fn a_document_that_does_not_hold_its_record_is_refused_with_its_field() {
        let all = records();
        let number = all
            .iter()
            .find(|r| r.kind() == Kind::Number)
            .unwrap()
            .clone();
        let id = number.id();
        let body = number.body();

        assert_eq!(refused("nonsense", body.clone()).field, ".");
        assert!(
            refused("invoice:IN1", body.clone())
                .message
                .contains("invoice")
        );
        assert_eq!(refused(&id, Value::from("text")).field, ".");

        let mut wrong_type = body.clone();
        wrong_type["type"] = Value::from("address");
        assert_eq!(refused(&id, wrong_type).field, "type");

        let other = all
            .iter()
            .filter(|r| r.kind() == Kind::Number)
            .nth(1)
            .unwrap()
            .id();
        assert_eq!(
            refused(&other, body.clone()).field,
            "sid",
            "the id names another number"
        );

        let mut undecodable = body.clone();
        undecodable["e164"] = Value::from("not a number");
        assert_eq!(refused(&id, undecodable).field, ".");

        // Decodes, but the number is not what it says: the import's own check refuses it.
        let mut wrong_country = body.clone();
        wrong_country["country"] = Value::from("FR");
        let e = refused(&id, wrong_country);
        assert_eq!(e.field, "country");
        assert!(e.to_string().starts_with(&id), "{e}");
    }

    /// Every example in docs/couchdb-records.md decodes, passes the checks, and is what regdesk
    /// itself would write for that record (its fields, in any order).
    #[test]
    fn the_documented_shapes_are_the_records() {
        let page = include_str!("../../../docs/couchdb-records.md");
        let examples: Vec<&str> = page
            .split("```json")
            .skip(1)
            .map(|rest| rest.split("```").next().unwrap_or_default())
            .collect();
        let mut kinds = Vec::new();
        for text in examples {
            let doc: Value = serde_json::from_str(text).expect("an example is JSON");
            let id = doc["_id"].as_str().expect("an example has its id");
            let record = Record::from_doc(id, &doc).unwrap_or_else(|e| panic!("{e}"));
            let mut written = record.body();
            written["_id"] = Value::from(id);
            assert_eq!(written, doc, "{id}: what regdesk writes for it");
            kinds.push(record.kind());
        }
        kinds.sort();
        let mut all = Kind::ALL.to_vec();
        all.sort();
        assert_eq!(kinds, all, "one example of each kind");
    }
}
