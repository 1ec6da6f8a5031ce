//! Property tests of the two importers: random bytes and mutated exports never panic, a body
//! changed after export is never accepted, and a CSV preview's drafts are always importable.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, HashSet};

use proptest::prelude::*;
use regdesk::domain::exchange::csv_import::{Existing, parse_numbers};
use regdesk::domain::exchange::portable::{
    ImportError, QueueRecord, ScanBytes, Workspace, export_chunks, validate,
};
use regdesk::domain::phone::e164::E164;
use regdesk::domain::phone::numbering::NumberingPlan;
use regdesk::domain::records::activity::{Event, EventKind};
use regdesk::domain::records::address::{Address, AddressDraft};
use regdesk::domain::records::document::{IdentityDocument, ScanShows, Status, SupportingFile};
use regdesk::domain::records::entity::Entity;
use regdesk::domain::records::files::sha256_hex;
use regdesk::domain::records::kinds::{Country, EndUserType, NumberType};
use regdesk::domain::records::number::PhoneNumber;
use regdesk::domain::records::sid::{
    AddressSid, EntitySid, EventSid, IdentitySid, NumberSid, SeededRandom,
};
use regdesk::domain::rules::regulation::{DocumentType, RegulationKey};
use regdesk::domain::time::Timestamp;

const NOW: Timestamp = Timestamp(1_796_119_200_000);

/// A valid export with one record of every kind and two scans.
fn sample_export() -> Vec<u8> {
    let mut rng = SeededRandom::new(3);
    let address = Address::create(
        AddressSid::generate(&mut rng),
        &AddressDraft {
            customer_name: "Acme GmbH".into(),
            street: "Hauptstraße 1".into(),
            city: "Berlin".into(),
            postal_code: "10117".into(),
            country: "DE".into(),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    let scans: Vec<Vec<u8>> = vec![(0..700u32).map(|i| (i * 7) as u8).collect(), vec![1, 2, 3]];
    let sid = IdentitySid::generate(&mut rng);
    let files = scans
        .iter()
        .map(|bytes| SupportingFile {
            document_type: DocumentType::CommercialRegistrarExcerpt,
            file_name: "scan.png".into(),
            mime_type: "image/png".into(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            pixels: None,
            shows: ScanShows::default(),
        })
        .collect();
    let mut doc = IdentityDocument {
        sid,
        name: "Acme in Berlin".into(),
        end_user_type: EndUserType::Business,
        entity_sid: None,
        regulation: RegulationKey {
            country: Country::DE,
            number_type: NumberType::Local,
            end_user_type: EndUserType::Business,
        },
        intended_area: Some("4930".into()),
        area_name: None,
        details: BTreeMap::from([("business_name".into(), "Acme GmbH".into())]),
        files,
        address_sid: Some(address.sid),
        status: Status::Draft,
        renews: None,
        replaced_by: None,
        valid_until: None,
        reasons: vec![],
        history: vec![],
        created: NOW,
    };
    doc.submit(NOW).unwrap();
    let entity = Entity::of_document(EntitySid::generate(&mut rng), &doc, NOW);
    doc.entity_sid = Some(entity.sid);
    let e164 = E164::parse("+49301234567").unwrap();
    let class = NumberingPlan::builtin().classify(&e164).unwrap();
    let mut number = PhoneNumber::new(NumberSid::generate(&mut rng), e164, class, NOW);
    number.address_sid = Some(address.sid);
    number.identity_sid = Some(sid);
    let workspace = Workspace {
        entities: vec![entity],
        addresses: vec![address],
        documents: vec![doc],
        numbers: vec![number],
        queue: vec![QueueRecord {
            document_sid: sid,
            submitted: NOW,
            delay_minutes: 30,
            due: NOW.plus_ms(1_800_000),
        }],
        activity: vec![Event {
            sid: EventSid::generate(&mut rng),
            at: NOW,
            kind: EventKind::DocumentCreated,
            subject: sid.to_string(),
            summary: "created".into(),
            callback: None,
            bulk: None,
        }],
    };
    let scans: Vec<ScanBytes> = scans
        .into_iter()
        .map(|bytes| ScanBytes {
            document_sid: sid,
            sha256: sha256_hex(&bytes),
            mime_type: "image/png".into(),
            bytes,
        })
        .collect();
    export_chunks(NOW, &workspace, &scans)
        .unwrap()
        .concat()
        .into_bytes()
}

/// Where the body's bytes are in an export: from `{` after `"body":` to before `,"checksum"`.
fn body_span(file: &[u8]) -> (usize, usize) {
    let text = std::str::from_utf8(file).unwrap();
    let start = text.find("\"body\":").unwrap() + "\"body\":".len();
    let end = text.rfind(",\"checksum\"").unwrap();
    (start, end)
}

/// The body edited as JSON and the checksum recomputed, so only the record checks stand guard.
fn resealed(file: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let mut value: serde_json::Value = serde_json::from_slice(file).unwrap();
    edit(&mut value["body"]);
    let body = serde_json::to_string(&value["body"]).unwrap();
    value["checksum"] = sha256_hex(body.as_bytes()).into();
    serde_json::to_vec(&value).unwrap()
}

/// Every string and number leaf of a JSON value, by path, so a mutation can pick one.
fn leaves(value: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                path.push(k.clone());
                leaves(v, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                leaves(v, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn leaf_mut<'a>(value: &'a mut serde_json::Value, path: &[String]) -> &'a mut serde_json::Value {
    path.iter().fold(value, |v, key| match v {
        serde_json::Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
        other => &mut other[key.as_str()],
    })
}

fn export() -> &'static [u8] {
    static FILE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    FILE.get_or_init(sample_export)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic_either_importer(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = validate(&bytes);
        let _ = parse_numbers(&bytes, &Existing::default());
    }

    #[test]
    fn random_json_objects_are_rejected(text in "\\{\"format\":\"regdesk-workspace\",\"version\":1,[ -~]{0,200}") {
        prop_assert!(validate(text.as_bytes()).is_err());
    }

    #[test]
    fn a_changed_body_byte_is_never_accepted(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut file = export().to_vec();
        let (start, end) = body_span(&file);
        let i = start + at.index(end - start);
        prop_assume!(file[i] != byte);
        file[i] = byte;
        prop_assert!(validate(&file).is_err());
    }

    #[test]
    fn a_truncated_export_is_never_accepted(at in any::<prop::sample::Index>()) {
        let file = export();
        // The last byte is the newline after the closing brace; cutting only it is still whole.
        let cut = at.index(file.len() - 1);
        let err = validate(&file[..cut]).unwrap_err();
        prop_assert!(matches!(err, ImportError::Truncated { .. } | ImportError::Empty), "{err:?}");
    }

    #[test]
    fn resealed_mutations_never_panic_and_broken_references_fail(
        pick in any::<prop::sample::Index>(),
        replacement in prop_oneof![
            any::<i64>().prop_map(serde_json::Value::from),
            "[ -~]{0,40}".prop_map(serde_json::Value::from),
            Just(serde_json::Value::Null),
            Just(serde_json::json!({})),
        ],
    ) {
        let file = export();
        let body: serde_json::Value = serde_json::from_slice::<serde_json::Value>(file).unwrap()["body"].clone();
        let mut paths = Vec::new();
        leaves(&body, &mut Vec::new(), &mut paths);
        let path = pick.get(&paths).clone();
        let mutated = resealed(file, |b| *leaf_mut(b, &path) = replacement.clone());
        let result = validate(&mutated);
        let references = ["address_sid", "identity_sid", "document_sid", "sha256", "base64"];
        // Null is a legitimate "not mapped"; any other new value breaks the reference.
        if path.last().is_some_and(|k| references.contains(&k.as_str()))
            && !replacement.is_null()
            && leaf_mut(&mut body.clone(), &path) != &replacement
        {
            prop_assert!(result.is_err(), "{path:?} = {replacement:?} was accepted");
        }
    }

    #[test]
    fn csv_drafts_are_unique_new_and_classified(
        rows in prop::collection::vec(
            (prop_oneof![
                (0u32..400).prop_map(|n| format!("+49 30 {:07}", 1_000_000 + n)),
                "[0-9+ ]{0,16}",
                Just("+8610123456789".to_string()),
            ],
            prop_oneof![Just("2024-01-02".to_string()), "[a-z0-9-]{0,10}"]),
            0..60,
        ),
        owned in prop::collection::hash_set((0u32..400).prop_map(|n| format!("+4930{:07}", 1_000_000 + n)), 0..20),
    ) {
        let mut csv = String::from("Phone Number,Date Bought\n");
        for (number, date) in &rows {
            csv.push_str(&format!("{number},{date}\n"));
        }
        let existing = Existing {
            numbers: owned.iter().map(|s| E164::parse(s).unwrap()).collect(),
            ..Default::default()
        };
        let preview = parse_numbers(csv.as_bytes(), &existing).unwrap();
        let mut seen = HashSet::new();
        for draft in preview.valid() {
            prop_assert!(seen.insert(draft.e164.clone()), "duplicate draft {}", draft.e164);
            prop_assert!(!existing.numbers.contains(&draft.e164));
            prop_assert_eq!(
                NumberingPlan::builtin().classify(&draft.e164).unwrap(),
                draft.class.clone()
            );
        }
        for error in preview.errors() {
            prop_assert!(!error.problems.is_empty());
            prop_assert!(error.row >= 2);
        }
    }
}
