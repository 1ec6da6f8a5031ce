//! The benchmark data set and the evaluation kernels, shared by `examples/bench_data.rs` (native)
//! and `examples/bench_page.rs` (wasm, in the browser), so both measure the same work on the
//! same records.
//!
//! The data set is a "real company": 10,000 numbers over every catalog country and number type
//! the catalog sells, 1,000 identity documents (70% Passed, 15% Pending, 10% Failed, 5% Draft),
//! each with its own address and small real scans, 75% of the numbers that need a document
//! mapped to one of their kind, and 100,000 activity entries. One seed fixes all of it.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};

use regdesk::domain::exchange::portable::{ScanBytes, Workspace};
use regdesk::domain::phone::inventory::{self, Offer};
use regdesk::domain::phone::numbering::NumberingPlan;
use regdesk::domain::records::activity::{Event, EventKind};
use regdesk::domain::records::document::Status;
use regdesk::domain::records::files::sha256_hex;
use regdesk::domain::records::kinds::{Country, NumberType};
use regdesk::domain::records::number::PhoneNumber;
use regdesk::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid, SeededRandom};
use regdesk::domain::rules::compliance::{Lookup, MappingOptions, NumberRef, mapping_options};
use regdesk::domain::rules::mapping_index::MappingIndex;
use regdesk::domain::rules::regulation::Catalog;
use regdesk::domain::time::Timestamp;

#[path = "../tests/support/domain_fixtures.rs"]
mod fixtures;

pub use fixtures::TODAY;

/// The sizes of the data set.
pub const NUMBERS: usize = 10_000;
pub const DOCUMENTS: usize = 1_000;
pub const EVENTS: usize = 100_000;
/// Every how many numbers the mapping kernels sample (10,000 × 2,000 candidates takes tens of
/// seconds; the per-number cost is the same on a sample, and the report scales it to 10,000).
pub const MAPPING_SAMPLE_EVERY: usize = 50;

/// The numbers the mapping kernels evaluate.
pub fn mapping_sample(ws: &Workspace) -> Vec<PhoneNumber> {
    ws.numbers
        .iter()
        .step_by(MAPPING_SAMPLE_EVERY)
        .cloned()
        .collect()
}
/// Bytes of each scan (small: the benchmark is about records, not blobs).
const SCAN_BYTES: usize = 1_500;

/// "Now" of the data set and of every evaluation: 09:00 UTC on the fixtures' today.
pub fn now() -> Timestamp {
    fixtures::now()
}

/// The whole data set: records and scans.
pub struct DataSet {
    pub workspace: Workspace,
    pub scans: Vec<ScanBytes>,
}

fn scan_bytes(rng: &mut SeededRandom) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend((8..SCAN_BYTES).map(|_| (rng.next_u64() & 0xff) as u8));
    bytes
}

/// `count` distinct numbers, round-robin over every range the catalog sells, digits seeded.
pub fn numbers(count: usize, rng: &mut SeededRandom) -> Vec<PhoneNumber> {
    let plan = NumberingPlan::builtin();
    let catalog = Catalog::shared();
    let mut ranges = Vec::new();
    for country in catalog.countries() {
        for range in plan.ranges(country) {
            if !catalog.for_number(country, range.number_type).is_empty() {
                ranges.push(range);
            }
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    let mut i = 0usize;
    let bought = Timestamp(1_556_668_800_000);
    while out.len() < count {
        let range = ranges[i % ranges.len()];
        i += 1;
        let Some(Offer { e164, class }) = inventory::draw(plan, range, rng) else {
            continue;
        };
        if !seen.insert(e164.digits().to_string()) {
            continue;
        }
        let sid = NumberSid::generate(rng);
        let mut n = PhoneNumber::new(sid, e164, class, bought.plus_ms(out.len() as i64 * 1000));
        n.legacy = rng.next_u64() % 10 < 3;
        n.friendly_name = format!("Line {}", out.len() + 1);
        out.push(n);
    }
    out
}

/// The full data set, from `seed`.
pub fn build(seed: u64) -> DataSet {
    let mut rng = SeededRandom::new(seed);
    let rows = fixtures::identity_rows();
    let mut addresses = Vec::with_capacity(DOCUMENTS);
    let mut documents = Vec::with_capacity(DOCUMENTS);
    let mut scans = Vec::new();
    for i in 0..DOCUMENTS {
        let regulation = rows[i % rows.len()];
        let (city, area) = fixtures::home(regulation.key);
        let address = fixtures::address(AddressSid::generate(&mut rng), city);
        let sid = IdentitySid::generate(&mut rng);
        let mut doc = fixtures::draft(regulation, sid, Some(&address), area);
        for file in &mut doc.files {
            let bytes = scan_bytes(&mut rng);
            file.sha256 = sha256_hex(&bytes);
            file.size = bytes.len() as u64;
            scans.push(ScanBytes {
                document_sid: sid,
                sha256: file.sha256.clone(),
                mime_type: file.mime_type.clone(),
                bytes,
            });
        }
        let status = match rng.next_u64() % 100 {
            0..70 => Status::Passed,
            70..85 => Status::Pending,
            85..95 => Status::Failed,
            _ => Status::Draft,
        };
        documents.push(fixtures::with_status(doc, status));
        addresses.push(address);
    }
    let mut numbers = numbers(NUMBERS, &mut rng);
    let mut by_kind: HashMap<(Country, NumberType), Vec<usize>> = HashMap::new();
    for (i, d) in documents.iter().enumerate() {
        by_kind
            .entry((d.regulation.country, d.regulation.number_type))
            .or_default()
            .push(i);
    }
    for n in &mut numbers {
        let Some(docs) = by_kind.get(&(n.country, n.number_type)) else {
            continue;
        };
        if rng.next_u64().is_multiple_of(4) {
            continue;
        }
        let doc = &documents[docs[(rng.next_u64() as usize) % docs.len()]];
        n.identity_sid = Some(doc.sid);
        n.address_sid = doc.address_sid;
    }
    let kinds = [
        EventKind::NumberBought,
        EventKind::NumberMapped,
        EventKind::DocumentStatus,
        EventKind::AddressUpdated,
    ];
    let start = now().plus_ms(-(EVENTS as i64) * 60_000);
    let activity = (0..EVENTS)
        .map(|i| {
            let n = &numbers[i % numbers.len()];
            Event {
                sid: EventSid::generate(&mut rng),
                at: start.plus_ms(i as i64 * 60_000),
                kind: kinds[i % kinds.len()],
                subject: n.sid.to_string(),
                summary: format!("{} {}", n.e164, kinds[i % kinds.len()].label()),
                callback: None,
                bulk: None,
            }
        })
        .collect();
    // The entities behind the documents, as an upgraded workspace has them.
    let entities = regdesk::domain::records::entity::assign_entities(&mut documents);
    let mut workspace = Workspace {
        entities,
        addresses,
        documents,
        numbers,
        queue: Vec::new(),
        activity,
    };
    workspace.sort();
    DataSet { workspace, scans }
}

fn nref(n: &PhoneNumber) -> NumberRef<'_> {
    NumberRef::of(n)
}

/// What a figure-3 kernel returns, to compare kernels and keep the optimiser honest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Numbers evaluated.
    pub numbers: usize,
    /// Eligible (or compliant) pairs found.
    pub hits: usize,
}

/// The dashboard's work: every number's compliance with what it is mapped to (SID lookups
/// through a map), as the store's import and the numbers list compute it.
pub fn dashboard(ws: &Workspace) -> Tally {
    let lookup = Lookup::new(&ws.documents, &ws.addresses);
    let hits = ws
        .numbers
        .iter()
        .filter(|n| {
            matches!(
                lookup.compliance(n, TODAY),
                regdesk::domain::rules::compliance::Compliance::Compliant
            )
        })
        .count();
    Tally {
        numbers: ws.numbers.len(),
        hits,
    }
}

fn eligible(options: &MappingOptions) -> usize {
    options.documents.iter().filter(|c| c.eligible()).count()
        + options.addresses.iter().filter(|c| c.eligible()).count()
}

/// The mapping page's work for every number, as it is written today: `mapping_options` against
/// every document and every address, for each number in turn.
pub fn mapping_naive(ws: &Workspace, numbers: &[PhoneNumber]) -> Tally {
    let catalog = Catalog::shared();
    let hits = numbers
        .iter()
        .map(|n| {
            eligible(&mapping_options(
                catalog,
                nref(n),
                &ws.documents,
                &ws.addresses,
                n.identity_sid,
                TODAY,
            ))
        })
        .sum();
    Tally {
        numbers: numbers.len(),
        hits,
    }
}

/// The same answers (which documents and addresses each number may be mapped to) through the
/// domain's `MappingIndex`: document standing checked once, documents grouped by kind, addresses
/// indexed by country and city name. A property test in `tests/domain_properties.rs` checks it
/// agrees with `mapping_options`.
pub fn mapping_indexed(ws: &Workspace, numbers: &[PhoneNumber]) -> Tally {
    let index = MappingIndex::new(Catalog::shared(), &ws.documents, &ws.addresses, TODAY);
    let hits = numbers
        .iter()
        .map(|n| {
            let e = index.eligible(nref(n), n.identity_sid);
            e.documents.len() + e.addresses.len()
        })
        .sum();
    Tally {
        numbers: numbers.len(),
        hits,
    }
}

/// Median of a list of milliseconds.
pub fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    let n = times.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2.0
    }
}
