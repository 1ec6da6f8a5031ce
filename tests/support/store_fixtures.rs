//! Small records and helpers for the browser tests of the store and the review queue.
#![allow(dead_code)]

use std::collections::BTreeMap;

use regdesk::domain::phone::e164::E164;
use regdesk::domain::phone::numbering::NumberingPlan;
use regdesk::domain::records::activity::{Event, EventKind};
use regdesk::domain::records::address::{Address, AddressDraft};
use regdesk::domain::records::document::{
    IdentityDocument, ScanAddress, ScanShows, Status, SupportingFile,
};
use regdesk::domain::records::kinds::{Country, EndUserType, NumberType};
use regdesk::domain::records::number::PhoneNumber;
use regdesk::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid, SeededRandom};
use regdesk::domain::rules::regulation::{DocumentType, RegulationKey};
use regdesk::domain::time::Timestamp;
use regdesk::store::Db;
use regdesk::store::documents::{self, Scan};
use regdesk::store::queue::QueueEntry;

/// A database name no other test uses: all tests of a binary share one page and one origin.
pub fn unique_name(test: &str) -> String {
    format!("test-{test}-{}", js_sys::Math::random())
}

/// A fixed "now": Tuesday 2026-12-01 10:00 UTC.
pub const NOW: Timestamp = Timestamp(1_796_119_200_000);

/// Fresh SIDs from a seed.
pub struct Sids(pub SeededRandom);

impl Sids {
    pub fn new(seed: u64) -> Sids {
        Sids(SeededRandom::new(seed))
    }
    pub fn identity(&mut self) -> IdentitySid {
        IdentitySid::generate(&mut self.0)
    }
    pub fn address(&mut self) -> AddressSid {
        AddressSid::generate(&mut self.0)
    }
    pub fn number(&mut self) -> NumberSid {
        NumberSid::generate(&mut self.0)
    }
    pub fn event(&mut self) -> EventSid {
        EventSid::generate(&mut self.0)
    }
}

pub fn address(sid: AddressSid, city: &str, postal: &str) -> Address {
    let draft = AddressDraft {
        customer_name: "Acme GmbH".into(),
        street: "Hauptstraße 1".into(),
        city: city.into(),
        postal_code: postal.into(),
        country: "DE".into(),
        ..Default::default()
    };
    Address::create(sid, &draft, NOW).unwrap()
}

/// A PNG's first bytes followed by filler: enough for magic-number sniffing.
pub fn png_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend((0..len.saturating_sub(8)).map(|i| (i % 251) as u8));
    bytes
}

pub fn blob_of(bytes: &[u8], mime: &str) -> web_sys::Blob {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
}

/// A Draft DE local business document for Acme GmbH in Berlin, with one scan.
pub fn document(
    sid: IdentitySid,
    address: Option<AddressSid>,
    bytes: &[u8],
) -> (IdentityDocument, Scan) {
    let sha = regdesk::domain::records::files::sha256_hex(bytes);
    let details = BTreeMap::from([
        ("business_name".to_string(), "Acme GmbH".to_string()),
        (
            "business_registration_number".to_string(),
            "HRB 12345".to_string(),
        ),
        ("business_website".to_string(), "acme.example".to_string()),
        ("first_name".to_string(), "Anna".to_string()),
        ("last_name".to_string(), "Schmidt".to_string()),
        ("email".to_string(), "anna@acme.example".to_string()),
    ]);
    let file = SupportingFile {
        document_type: DocumentType::CommercialRegistrarExcerpt,
        file_name: "excerpt.png".into(),
        mime_type: "image/png".into(),
        size: bytes.len() as u64,
        sha256: sha.clone(),
        pixels: Some((1200, 900)),
        shows: ScanShows {
            name: "Acme GmbH".into(),
            address: ScanAddress::OnFile,
            document_number: "HRB 12345".into(),
            issue_date: Some(regdesk::domain::time::calendar::date(2026, 10, 1)),
            expiry_date: None,
        },
    };
    let doc = IdentityDocument {
        sid,
        name: "Acme GmbH — DE local, Berlin".into(),
        end_user_type: EndUserType::Business,
        entity_sid: None,
        regulation: RegulationKey {
            country: Country::DE,
            number_type: NumberType::Local,
            end_user_type: EndUserType::Business,
        },
        intended_area: Some("4930".into()),
        area_name: None,
        details,
        files: vec![file],
        address_sid: address,
        status: Status::Draft,
        renews: None,
        replaced_by: None,
        valid_until: None,
        reasons: vec![],
        history: vec![],
        created: NOW,
    };
    (
        doc,
        Scan {
            sha256: sha,
            blob: blob_of(bytes, "image/png"),
        },
    )
}

pub fn number(sid: NumberSid, e164: &str) -> PhoneNumber {
    let e164 = E164::parse(e164).unwrap();
    let class = NumberingPlan::builtin().classify(&e164).unwrap();
    PhoneNumber::new(sid, e164, class, NOW)
}

pub fn event(sid: EventSid, subject: &str) -> Event {
    Event {
        sid,
        at: NOW,
        kind: EventKind::Workspace,
        subject: subject.into(),
        summary: "test".into(),
        callback: None,
        bulk: None,
    }
}

/// Reads a Blob's bytes.
pub async fn bytes_of(blob: &web_sys::Blob) -> Vec<u8> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .unwrap();
    js_sys::Uint8Array::new(&buffer).to_vec()
}

/// Stores `doc` submitted at `submitted`, with its scan and a queue entry of `delay_minutes`
/// business minutes due at `due`: a Pending document as the queue holds it. The entry comes back.
pub async fn save_pending(
    db: &Db,
    sids: &mut Sids,
    mut doc: IdentityDocument,
    scan: Scan,
    submitted: Timestamp,
    delay_minutes: i64,
    due: Timestamp,
) -> (IdentityDocument, QueueEntry) {
    doc.submit(submitted).unwrap();
    let entry = QueueEntry {
        document_sid: doc.sid,
        submitted,
        delay_minutes,
        due,
    };
    documents::save(db, &doc, &[scan], Some(&entry), &[event(sids.event(), "d")])
        .await
        .unwrap();
    (doc, entry)
}

/// What `db` has to send, as a push would: its local changes made revisions, then every revision
/// the server has not confirmed (what the server hands another machine as it is).
pub async fn to_send(db: &Db) -> Vec<regdesk::store::replica::Outgoing> {
    use regdesk::store::replica;
    replica::prepare_push(db, false).await.unwrap();
    replica::outgoing(db, 10_000).await.unwrap()
}
