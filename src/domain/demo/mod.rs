//! The demo workspace: a realistic Berlin company mid-way through compliance, so a demo (and the
//! end-to-end tests) start from something that looks like real work.
//!
//! Spree Logistik GmbH has an office in Berlin and a branch in Munich, four numbers bought in
//! 2019 before the requirements (unmapped, so non-compliant), a Passed document for its Berlin
//! local numbers, a Failed one for Munich (the scan shows another company name, 18008), and a
//! Pending one for mobile numbers that the queue decides during the demo. Every decision here is
//! what the domain's reviewer says of these very records, so the demo cannot contradict the rules.

pub mod sample_scan;

use std::collections::BTreeMap;

use crate::domain::exchange::portable::{ScanBytes, Workspace};
use crate::domain::phone::e164::E164;
use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::activity::{Event, EventKind};
use crate::domain::records::address::{Address, AddressDraft};
use crate::domain::records::document::{
    IdentityDocument, ScanAddress, ScanShows, Status, SupportingFile,
};
use crate::domain::records::entity::assign_entities;
use crate::domain::records::files::{FileFacts, FileFormat, sha256_hex};
use crate::domain::records::kinds::{Country, EndUserType, NumberType};
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid, RandomSource};
use crate::domain::rules::regulation::{Catalog, DocumentType, RegulationKey};
use crate::domain::rules::reviewer;
use crate::domain::time::Timestamp;
use crate::domain::time::calendar::{DAY_MS, MINUTE_MS};

/// The demo records, the scans' bytes, and the document left Pending for the queue.
#[derive(Debug, Clone)]
pub struct Demo {
    /// Every record (the queue entry of `pending` is the caller's: its due time depends on the
    /// demo speed).
    pub workspace: Workspace,
    /// The scans.
    pub scans: Vec<ScanBytes>,
    /// The document submitted "just now".
    pub pending: IdentitySid,
}

fn address(
    sid: AddressSid,
    street: &str,
    postal: &str,
    city: &str,
    name: &str,
    at: Timestamp,
) -> Address {
    let draft = AddressDraft {
        customer_name: "Spree Logistik GmbH".into(),
        street: street.into(),
        postal_code: postal.into(),
        city: city.into(),
        country: "DE".into(),
        friendly_name: name.into(),
        ..Default::default()
    };
    // The drafts above are valid; a failure here would be a bug caught by this module's test.
    Address::create(sid, &draft, at).unwrap_or_else(|_| Address {
        sid,
        customer_name: draft.customer_name.clone(),
        street: draft.street.clone(),
        street_secondary: String::new(),
        city: draft.city.clone(),
        region: String::new(),
        postal_code: draft.postal_code.clone(),
        country: Country::DE,
        friendly_name: draft.friendly_name.clone(),
        created: at,
    })
}

fn details() -> BTreeMap<String, String> {
    [
        ("business_name", "Spree Logistik GmbH"),
        ("business_registration_number", "HRB 123456 B"),
        ("business_website", "spree-logistik.example"),
        ("first_name", "Jana"),
        ("last_name", "Neumann"),
        ("email", "jana.neumann@spree-logistik.example"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// A register excerpt scan showing `name` and the address on file, issued `issued`.
fn excerpt(
    bytes: &[u8],
    name: &str,
    issued: crate::domain::time::calendar::Date,
) -> SupportingFile {
    SupportingFile {
        document_type: DocumentType::CommercialRegistrarExcerpt,
        file_name: "handelsregisterauszug.png".into(),
        mime_type: "image/png".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        pixels: Some((640, 905)),
        shows: ScanShows {
            name: name.into(),
            address: ScanAddress::OnFile,
            document_number: "HRB 123456 B".into(),
            issue_date: Some(issued),
            expiry_date: None,
        },
    }
}

/// A national ID card scan of the representative, Jana Neumann, valid for years.
fn representative_id(bytes: &[u8], now: Timestamp) -> SupportingFile {
    let today = now.date_utc();
    SupportingFile {
        document_type: DocumentType::GovernmentIssuedDocument,
        file_name: "personalausweis.png".into(),
        mime_type: "image/png".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        pixels: Some((640, 905)),
        shows: ScanShows {
            name: "Jana Neumann".into(),
            address: ScanAddress::None,
            document_number: "L01X00T47".into(),
            issue_date: Some(today.add_years(-3)),
            expiry_date: Some(today.add_years(7)),
        },
    }
}

/// The scans of a demo document: the register excerpt, and the representative's ID once the
/// rules of `now` ask for it (the catalog's regulation change), so the demo's documents meet the
/// rules of the day it is loaded whenever that is.
fn scans_for(
    number_type: NumberType,
    now: Timestamp,
    bytes: &[u8],
    name: &str,
    issued: crate::domain::time::calendar::Date,
) -> Vec<SupportingFile> {
    let key = RegulationKey {
        country: Country::DE,
        number_type,
        end_user_type: EndUserType::Business,
    };
    let asks_for_id = Catalog::shared().get(&key).is_some_and(|r| {
        r.as_of(now.date_utc())
            .requirements
            .iter()
            .any(|q| q.accepted.contains(&DocumentType::GovernmentIssuedDocument))
    });
    let mut files = vec![excerpt(bytes, name, issued)];
    if asks_for_id {
        files.push(representative_id(bytes, now));
    }
    files
}

/// Records a document's last transition in the log, with the next event SID.
fn log_status(
    log: &mut Vec<Event>,
    sids: &mut impl Iterator<Item = EventSid>,
    doc: &IdentityDocument,
) {
    if let Some(e) = sids.next().and_then(|sid| Event::document_status(sid, doc)) {
        log.push(e);
    }
}

/// Builds the demo workspace as of `now`.
pub fn build(now: Timestamp, random: &mut impl RandomSource) -> Demo {
    let catalog = Catalog::shared();
    let plan = NumberingPlan::builtin();
    // Every SID up front, from the one generator: one seed fixes the whole demo.
    let (berlin_sid, munich_sid) = (AddressSid::generate(random), AddressSid::generate(random));
    let doc_sids = [
        IdentitySid::generate(random),
        IdentitySid::generate(random),
        IdentitySid::generate(random),
    ];
    let number_sids: Vec<NumberSid> = (0..4).map(|_| NumberSid::generate(random)).collect();
    let mut event_sids = (0..8)
        .map(|_| EventSid::generate(random))
        .collect::<Vec<_>>()
        .into_iter();

    let created = now.plus_ms(-30 * DAY_MS);
    let berlin = address(
        berlin_sid,
        "Friedrichstraße 68",
        "10117",
        "Berlin",
        "Berlin office",
        created,
    );
    let munich = address(
        munich_sid,
        "Leopoldstraße 23",
        "80802",
        "München",
        "Munich branch",
        created,
    );
    let bytes = sample_scan::png(640, 905);
    let fact = FileFacts {
        size: bytes.len() as u64,
        sniffed: Some(FileFormat::Png),
        pixels: Some((640, 905)),
    };
    let issued = now.plus_ms(-60 * DAY_MS).date_utc();
    // Each document is created the day before it is submitted, as people work: distinct times
    // also give the documents list (newest first) the same order on every load.
    let new_doc = |sid,
                   number_type,
                   area: Option<&str>,
                   address: &Address,
                   scan_name: &str,
                   submitted: Timestamp| {
        let mut doc = IdentityDocument {
            sid,
            name: String::new(),
            end_user_type: EndUserType::Business,
            entity_sid: None,
            regulation: RegulationKey {
                country: Country::DE,
                number_type,
                end_user_type: EndUserType::Business,
            },
            intended_area: area.map(str::to_string),
            area_name: None,
            details: details(),
            files: scans_for(number_type, now, &bytes, scan_name, issued),
            address_sid: Some(address.sid),
            status: Status::Draft,
            renews: None,
            replaced_by: None,
            valid_until: None,
            reasons: Vec::new(),
            history: Vec::new(),
            created: submitted.plus_ms(-DAY_MS),
        };
        doc.name_area(plan);
        doc.name = doc.propose_name(plan);
        doc
    };
    let mut activity = Vec::new();
    // The decided documents are decided by the reviewer itself, on these very records.
    let cases = [
        (
            doc_sids[0],
            "4930",
            &berlin,
            "Spree Logistik GmbH",
            now.plus_ms(-5 * DAY_MS),
        ),
        (
            doc_sids[1],
            "4989",
            &munich,
            "Spree Logistics Ltd",
            now.plus_ms(-3 * DAY_MS),
        ),
    ];
    let mut documents = Vec::new();
    for (sid, area, address, name, submitted) in cases {
        let mut doc = new_doc(sid, NumberType::Local, Some(area), address, name, submitted);
        let _ = doc.submit(submitted);
        log_status(&mut activity, &mut event_sids, &doc);
        let decided_at = submitted.plus_ms(DAY_MS);
        let reasons = reviewer::reasons(
            catalog,
            plan,
            &doc,
            Some(address),
            Some(&vec![fact; doc.files.len()]),
            decided_at.date_utc(),
        );
        let _ = doc.decide(decided_at, reasons, "reviewed");
        if let Some(regulation) = catalog.get(&doc.regulation) {
            doc.set_valid_until(regulation);
        }
        log_status(&mut activity, &mut event_sids, &doc);
        documents.push(doc);
    }
    let mut pending = new_doc(
        doc_sids[2],
        NumberType::Mobile,
        None,
        &berlin,
        "Spree Logistik GmbH",
        now.plus_ms(-MINUTE_MS),
    );
    // Submitted a minute before the demo is loaded, and the demo's own log entry a millisecond
    // after the import's: entries of one instant would list in a random order.
    let _ = pending.submit(now.plus_ms(-MINUTE_MS));
    log_status(&mut activity, &mut event_sids, &pending);
    documents.push(pending);

    let bought = Timestamp(1_556_668_800_000); // 2019-05-01, before the requirements applied
    let numbers: Vec<PhoneNumber> = [
        "+49302345678",
        "+49892345678",
        "+49402345678",
        "+4915712345678",
    ]
    .into_iter()
    .zip(number_sids)
    .filter_map(|(text, sid)| {
        let e164 = E164::parse(text).ok()?;
        let class = plan.classify(&e164).ok()?;
        let mut n = PhoneNumber::new(sid, e164, class, bought);
        n.legacy = true;
        n.friendly_name = match n.locality() {
            Some(city) => format!("{city} hotline"),
            None => "Dispatch mobile".into(),
        };
        Some(n)
    })
    .collect();
    if let Some(sid) = event_sids.next() {
        activity.push(Event {
            sid,
            at: now.plus_ms(1),
            kind: EventKind::Workspace,
            subject: "workspace".into(),
            summary: "Demo workspace loaded: Spree Logistik GmbH".into(),
            callback: None,
            bulk: None,
        });
    }
    // One company: one entity, typed once, behind all three documents.
    let entities = assign_entities(&mut documents);
    let scans = documents
        .iter()
        .map(|d| ScanBytes {
            document_sid: d.sid,
            sha256: d.files[0].sha256.clone(),
            mime_type: "image/png".into(),
            bytes: bytes.clone(),
        })
        .collect();
    Demo {
        workspace: Workspace {
            entities,
            addresses: vec![berlin, munich],
            documents,
            numbers,
            queue: Vec::new(),
            activity,
        },
        scans,
        pending: doc_sids[2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::sid::SeededRandom;
    use crate::domain::rules::problem::codes;

    #[test]
    fn the_demo_tells_the_story_it_promises() {
        let now = Timestamp(1_796_119_200_000);
        let demo = build(now, &mut SeededRandom::new(5));
        let docs = &demo.workspace.documents;
        let statuses: Vec<Status> = docs.iter().map(|d| d.status).collect();
        assert_eq!(statuses, [Status::Passed, Status::Failed, Status::Pending]);
        let entity = demo.workspace.entities[0].sid;
        assert_eq!(demo.workspace.entities.len(), 1, "one company, typed once");
        assert!(docs.iter().all(|d| d.entity_sid == Some(entity)));
        // Passed before the catalog's regulation change, without what it adds: valid until then.
        let change = &Catalog::shared().get(&docs[0].regulation).unwrap().changes[0];
        assert_eq!(
            docs[0].valid_until.map(|v| v.last_day),
            Some(change.valid_until())
        );
        let failed: Vec<u32> = docs[1].reasons.iter().map(|r| r.code).collect();
        assert_eq!(failed, [codes::NAME_MISMATCH]);
        assert_eq!(demo.pending, docs[2].sid);
        assert_eq!(demo.workspace.numbers.len(), 4);
        assert!(
            demo.workspace
                .numbers
                .iter()
                .all(|n| n.legacy && n.identity_sid.is_none())
        );
        assert_eq!(demo.scans.len(), 3);
        // The same seed gives the same demo.
        let again = build(now, &mut SeededRandom::new(5));
        assert_eq!(again.workspace, demo.workspace);
    }
}
