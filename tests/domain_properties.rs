#![cfg(not(target_arch = "wasm32"))]
//! Property tests: on random workspaces (documents mutated from satisfying fixtures, addresses in
//! random towns and countries, numbers from the inventory), the purchase guard, the mapping
//! drop-downs, compliance and the reviewer agree, because they share one set of rules.

#[path = "support/domain_fixtures.rs"]
mod fixtures;

use std::sync::OnceLock;

use fixtures::*;
use proptest::prelude::*;
use regdesk::domain::phone::inventory::{self, Query};
use regdesk::domain::phone::numbering::Classification;
use regdesk::domain::records::address::Address;
use regdesk::domain::records::document::{IdentityDocument, ScanAddress, Status};
use regdesk::domain::records::kinds::{Country, NumberType};
use regdesk::domain::rules::compliance::{
    Approval, Compliance, Mapped, compliance, document_fit, mapping_options, offered, purchase,
};
use regdesk::domain::rules::gap::{GapKind, decided_by, gap};
use regdesk::domain::rules::mapping_index::{Eligible, MappingIndex};
use regdesk::domain::rules::problem::codes;
use regdesk::domain::rules::regulation::{Regulation, RegulationKey};
use regdesk::domain::rules::reviewer;

/// The numbers the properties draw from: inventory numbers in the areas the fixtures have towns
/// for, every non-local type of every catalog country, and two numbers of types the catalog
/// lacks (DE toll-free, FR local).
fn pool() -> &'static [Classification] {
    static POOL: OnceLock<Vec<Classification>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut out = Vec::new();
        let areas = [
            "4930", "4989", "498131", "497156", "4312", "3906", "468", "813", "612", "613", "4420",
            "1212", "3491",
        ];
        for prefix in areas {
            let area = plan().area(prefix).expect("a fixture area");
            let query = Query {
                country: Some(area.country),
                number_type: Some(NumberType::Local),
                area: area.name.clone(),
                digits: String::new(),
            };
            let found: Vec<Classification> = inventory::search(plan(), catalog(), &query, 200)
                .into_iter()
                .filter(|o| o.class.area.as_ref().is_some_and(|a| a.prefix == prefix))
                .take(2)
                .map(|o| o.class)
                .collect();
            assert!(!found.is_empty(), "no inventory in {prefix}");
            out.extend(found);
        }
        for country in catalog().countries() {
            for number_type in [
                NumberType::Mobile,
                NumberType::National,
                NumberType::TollFree,
            ] {
                let query = Query {
                    country: Some(country),
                    number_type: Some(number_type),
                    ..Query::default()
                };
                out.extend(
                    inventory::search(plan(), catalog(), &query, 2)
                        .into_iter()
                        .map(|o| o.class),
                );
            }
        }
        out.push(classify(numbers::DE_TOLL_FREE));
        out.push(classify(numbers::FR_LOCAL));
        out
    })
}

/// Every catalog row, offered or not.
fn rows() -> Vec<&'static Regulation> {
    catalog().iter().collect()
}

/// Countries an address may be filed under: the fixture towns' and one no rule knows.
fn address_countries() -> Vec<Country> {
    let mut out: Vec<Country> = City::ALL.iter().map(|c| c.country()).collect();
    out.push(country("CH"));
    out.sort();
    out.dedup();
    out
}

/// Area prefixes a document may be intended for (besides the number's own, and none).
const AREAS: [&str; 7] = ["4930", "4989", "498131", "497156", "4312", "813", "612"];

/// One change to a satisfying document; indices are taken modulo what the document has.
#[derive(Debug, Clone)]
enum Mutation {
    BlankField(usize),
    RenameScan(usize),
    /// The scan's expiry date moves this many days from today (into the past or the future).
    ExpireScan(usize, i64),
    ScanShowsOtherAddress(usize),
    ScanShowsNoAddress(usize),
    OldIssueDate(usize),
    ChangeDocumentNumber(usize),
    DropScan(usize),
    NoAddressOnFile,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::BlankField),
        any::<usize>().prop_map(Mutation::RenameScan),
        (any::<usize>(), -30i64..600).prop_map(|(i, days)| Mutation::ExpireScan(i, days)),
        any::<usize>().prop_map(Mutation::ScanShowsOtherAddress),
        any::<usize>().prop_map(Mutation::ScanShowsNoAddress),
        any::<usize>().prop_map(Mutation::OldIssueDate),
        any::<usize>().prop_map(Mutation::ChangeDocumentNumber),
        any::<usize>().prop_map(Mutation::DropScan),
        Just(Mutation::NoAddressOnFile),
    ]
}

fn apply(doc: &mut IdentityDocument, m: &Mutation) {
    let n = doc.files.len();
    let file = |i: usize| i % n.max(1);
    match *m {
        Mutation::BlankField(i) => {
            if let Some(name) = doc
                .details
                .keys()
                .nth(i % doc.details.len().max(1))
                .cloned()
            {
                doc.details.insert(name, String::new());
            }
        }
        _ if n == 0 && !matches!(m, Mutation::NoAddressOnFile) => {}
        Mutation::RenameScan(i) => doc.files[file(i)].shows.name = "Somebody Else".into(),
        Mutation::ExpireScan(i, days) => {
            doc.files[file(i)].shows.expiry_date = Some(TODAY.add_days(days));
        }
        Mutation::ScanShowsOtherAddress(i) => {
            doc.files[file(i)].shows.address = ScanAddress::Other;
        }
        Mutation::ScanShowsNoAddress(i) => doc.files[file(i)].shows.address = ScanAddress::None,
        Mutation::OldIssueDate(i) => {
            doc.files[file(i)].shows.issue_date = Some(TODAY.add_months(-14));
        }
        Mutation::ChangeDocumentNumber(i) => {
            doc.files[file(i)].shows.document_number = "ZZ000000".into();
        }
        Mutation::DropScan(i) => {
            doc.files.remove(file(i));
        }
        Mutation::NoAddressOnFile => doc.address_sid = None,
    }
}

/// How to build one random document.
#[derive(Debug, Clone)]
struct DocPlan {
    /// Prepared for the number's own country and type (when the catalog has such a row).
    same_kind: bool,
    row: usize,
    /// 0: Passed, 1: Passed, 2: Pending, 3: Failed, 4: Draft, 5: Replaced.
    status: u8,
    /// 0: the number's area, 1: none, otherwise one of [`AREAS`].
    area: usize,
    /// Index into the addresses, or none.
    address: Option<usize>,
    mutations: Vec<Mutation>,
}

fn doc_plan() -> impl Strategy<Value = DocPlan> {
    (
        any::<bool>(),
        any::<usize>(),
        0u8..6,
        0usize..(2 + AREAS.len()),
        proptest::option::weighted(0.9, any::<usize>()),
        proptest::collection::vec(mutation(), 0..3),
    )
        .prop_map(
            |(same_kind, row, status, area, address, mutations)| DocPlan {
                same_kind,
                row,
                status,
                area,
                address,
                mutations,
            },
        )
}

/// A random workspace and number.
#[derive(Debug, Clone)]
struct Plan {
    number: usize,
    /// (town, filed under the town's own country, or under this other country, a PO box there).
    addresses: Vec<(usize, Option<usize>, bool)>,
    documents: Vec<DocPlan>,
}

fn workspace() -> impl Strategy<Value = Plan> {
    (
        any::<usize>(),
        proptest::collection::vec(
            (
                any::<usize>(),
                proptest::option::weighted(0.2, any::<usize>()),
                proptest::bool::weighted(0.2),
            ),
            0..4,
        ),
        proptest::collection::vec(doc_plan(), 0..4),
    )
        .prop_map(|(number, addresses, documents)| Plan {
            number,
            addresses,
            documents,
        })
}

/// A workspace built from a plan.
struct World {
    number: Classification,
    documents: Vec<IdentityDocument>,
    addresses: Vec<Address>,
}

impl World {
    fn build(plan: &Plan) -> World {
        let pool = pool();
        let number = pool[plan.number % pool.len()].clone();
        let mut ids = Ids::new(plan.number as u64 ^ 0x5eed);
        let countries = address_countries();
        let addresses: Vec<Address> = plan
            .addresses
            .iter()
            .map(|&(town, other, po_box)| {
                let city = City::ALL[town % City::ALL.len()];
                let country = other.map_or(city.country(), |i| countries[i % countries.len()]);
                let mut address = address_in(ids.address(), city, country);
                if po_box {
                    address.street = "P.O. Box 1234".into();
                }
                address
            })
            .collect();
        let all = rows();
        let documents = plan
            .documents
            .iter()
            .map(|p| {
                let own: Vec<&Regulation> = all
                    .iter()
                    .copied()
                    .filter(|r| {
                        r.key.country == number.country && r.key.number_type == number.number_type
                    })
                    .collect();
                let choices = if p.same_kind && !own.is_empty() {
                    own
                } else {
                    all.clone()
                };
                let reg = choices[p.row % choices.len()];
                let area = match p.area {
                    0 => number.area.as_ref().map(|a| a.prefix.clone()),
                    1 => None,
                    i => Some(AREAS[i - 2].to_string()),
                };
                let address = p
                    .address
                    .filter(|_| !addresses.is_empty())
                    .map(|i| &addresses[i % addresses.len()]);
                let mut doc = draft(reg, ids.identity(), address, area.as_deref());
                for m in &p.mutations {
                    apply(&mut doc, m);
                }
                let status = match p.status {
                    0 | 1 => Status::Passed,
                    2 => Status::Pending,
                    3 => Status::Failed,
                    4 => Status::Draft,
                    _ => Status::Replaced,
                };
                with_status(doc, status)
            })
            .collect();
        World {
            number,
            documents,
            addresses,
        }
    }

    fn address(&self, sid: Option<regdesk::domain::records::sid::AddressSid>) -> Option<&Address> {
        sid.and_then(|s| self.addresses.iter().find(|a| a.sid == s))
    }

    fn document(&self, sid: regdesk::domain::records::sid::IdentitySid) -> &IdentityDocument {
        self.documents
            .iter()
            .find(|d| d.sid == sid)
            .expect("an approved document is in the workspace")
    }

    /// What a mapping of this document and address looks like to `compliance`.
    fn mapped<'a>(
        &'a self,
        document: Option<&'a IdentityDocument>,
        address: Option<&'a Address>,
    ) -> Mapped<'a> {
        Mapped {
            document,
            document_address: document.and_then(|d| self.address(d.address_sid)),
            address,
        }
    }
}

/// Whether any offered regulation of the number asks for anything.
fn regulated(number: &Classification) -> bool {
    offered(catalog(), nref(number))
        .iter()
        .any(|r| r.is_regulated())
}

/// The documented refusal codes.
const REFUSALS: [u32; 5] = [
    codes::IDENTITY_REQUIRED,
    codes::DOCUMENT_UNSUITABLE,
    codes::ADDRESS_REQUIRED,
    codes::LOCAL_ADDRESS_REQUIRED,
    codes::NOT_OFFERED,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// (a) An approved purchase is a compliant mapping of what it chose, and both choices are
    /// offered in the mapping drop-downs. (b) A refused purchase has no compliant mapping among
    /// the eligible documents (or none) and the addresses eligible for each (or none).
    #[test]
    fn purchase_agrees_with_mapping_and_compliance(ws in workspace()) {
        let w = World::build(&ws);
        let n = nref(&w.number);
        match purchase(catalog(), n, &w.documents, &w.addresses, TODAY) {
            Ok(Approval { identity, address }) => {
                let doc = identity.map(|sid| w.document(sid));
                let addr = address.map(|sid| w.address(Some(sid)).expect("a workspace address"));
                let got = compliance(catalog(), n, w.mapped(doc, addr), TODAY);
                let expected = if regulated(&w.number) {
                    Compliance::Compliant
                } else {
                    Compliance::NotRegulated
                };
                prop_assert_eq!(got, expected);
                let options =
                    mapping_options(catalog(), n, &w.documents, &w.addresses, identity, TODAY);
                if let Some(sid) = identity {
                    let c = options.documents.iter().find(|c| c.sid == sid).expect("listed");
                    prop_assert!(c.eligible(), "approved document not eligible: {:?}", c.reasons);
                }
                if let Some(sid) = address {
                    let c = options.addresses.iter().find(|c| c.sid == sid).expect("listed");
                    prop_assert!(c.eligible(), "approved address not eligible: {:?}", c.reasons);
                    prop_assert!(options.address_needed);
                }
            }
            Err(refusal) => {
                prop_assert!(regulated(&w.number) || offered(catalog(), n).is_empty());
                prop_assert!(REFUSALS.contains(&refusal.problem.code), "{:?}", refusal.problem);
                let base = mapping_options(catalog(), n, &w.documents, &w.addresses, None, TODAY);
                let eligible_docs = base
                    .documents
                    .iter()
                    .filter(|c| c.eligible())
                    .map(|c| Some(w.document(c.sid)));
                for doc in std::iter::once(None).chain(eligible_docs) {
                    let options = mapping_options(
                        catalog(), n, &w.documents, &w.addresses, doc.map(|d| d.sid), TODAY,
                    );
                    let eligible_addresses = options
                        .addresses
                        .iter()
                        .filter(|c| c.eligible())
                        .map(|c| w.address(Some(c.sid)));
                    for addr in std::iter::once(None).chain(eligible_addresses) {
                        let got = compliance(catalog(), n, w.mapped(doc, addr), TODAY);
                        prop_assert_ne!(
                            got,
                            Compliance::Compliant,
                            "refused ({:?}) but {:?} + {:?} is compliant",
                            refusal.problem,
                            doc.map(|d| d.sid),
                            addr.map(|a| a.sid)
                        );
                    }
                }
            }
        }
    }

    /// (c) A document is offered in the mapping drop-down exactly when `document_fit` accepts
    /// it, and only Passed documents ever are.
    #[test]
    fn eligible_documents_are_exactly_the_fitting_ones(ws in workspace()) {
        let w = World::build(&ws);
        let n = nref(&w.number);
        let options = mapping_options(catalog(), n, &w.documents, &w.addresses, None, TODAY);
        prop_assert_eq!(options.documents.len(), w.documents.len());
        for (doc, candidate) in w.documents.iter().zip(&options.documents) {
            prop_assert_eq!(candidate.sid, doc.sid);
            let fit = document_fit(catalog(), doc, w.address(doc.address_sid), n, TODAY);
            prop_assert_eq!(candidate.eligible(), fit.is_ok(), "{:?}", candidate.reasons);
            if candidate.eligible() {
                prop_assert_eq!(doc.status, Status::Passed);
                let key: RegulationKey = fit.expect("fits").key;
                prop_assert_eq!(key, doc.regulation);
            }
        }
    }

    /// (e) The bulk index offers exactly what `mapping_options` offers, with no document chosen
    /// and with each document chosen in turn: it is an optimisation, never a second rule.
    #[test]
    fn the_mapping_index_agrees_with_mapping_options(ws in workspace()) {
        let w = World::build(&ws);
        let n = nref(&w.number);
        let index = MappingIndex::new(catalog(), &w.documents, &w.addresses, TODAY);
        let choices = std::iter::once(None).chain(w.documents.iter().map(|d| Some(d.sid)));
        for chosen in choices {
            let options = mapping_options(catalog(), n, &w.documents, &w.addresses, chosen, TODAY);
            let expected = Eligible {
                documents: options.documents.iter().filter(|c| c.eligible()).map(|c| c.sid).collect(),
                addresses: options.addresses.iter().filter(|c| c.eligible()).map(|c| c.sid).collect(),
            };
            prop_assert_eq!(index.eligible(n, chosen), expected, "chosen {:?}", chosen);
        }
    }

    /// (f) A number lacks something exactly when it is non-compliant, and the gap names the side
    /// that fails: a document gap when the mapped document does not fit, an address gap when it
    /// does (or none is needed) and the address fails, with the codes compliance gives.
    #[test]
    fn a_gap_is_what_compliance_refuses(ws in workspace()) {
        let w = World::build(&ws);
        let n = nref(&w.number);
        let docs = std::iter::once(None).chain(w.documents.iter().map(Some));
        for doc in docs {
            let addresses = std::iter::once(None).chain(w.addresses.iter().map(Some));
            for addr in addresses {
                let mapped = w.mapped(doc, addr);
                let state = compliance(catalog(), n, mapped, TODAY);
                let Compliance::NonCompliant(problems) = state else { continue };
                let lacks = gap(catalog(), n, mapped, None, TODAY, &decided_by);
                let has = |code| problems.iter().any(|p| p.code == code);
                let fits = doc.map(|d| document_fit(catalog(), d, w.address(d.address_sid), n, TODAY).is_ok());
                match lacks.kind() {
                    GapKind::Document => prop_assert!(doc.is_none() && has(codes::IDENTITY_REQUIRED)),
                    GapKind::Pending => prop_assert_eq!(doc.map(|d| d.status), Some(Status::Pending)),
                    GapKind::Expired => prop_assert!(has(codes::EXPIRED) && fits == Some(false)),
                    GapKind::Unsuitable => prop_assert_eq!(fits, Some(false)),
                    GapKind::Address => prop_assert!(addr.is_none() && has(codes::ADDRESS_REQUIRED) && fits != Some(false)),
                    GapKind::AddressUnfit => prop_assert!(addr.is_some() && fits != Some(false), "{:?}", problems),
                    // Only a number's own conflict flag says so (`Lookup::assess`), never its mapping.
                    GapKind::Conflict => prop_assert!(false, "a mapping alone is never a conflict"),
                }
                prop_assert!(!lacks.why(&n, TODAY).is_empty());
            }
        }
    }

    /// (d) Review judges a document's details and scans once: a Passed document's fit depends on
    /// its regulation, its address and its explicit last day, never on judging its details again
    /// (a proof of address ages past its limit, a field the catalog tightens). So its fit a year
    /// and a half later is today's unless its last day has passed by then, and it is the same
    /// with every detail erased.
    #[test]
    fn a_passed_decision_ends_only_on_a_date(ws in workspace()) {
        let w = World::build(&ws);
        let n = nref(&w.number);
        let later = TODAY.add_days(540);
        for doc in w.documents.iter().filter(|d| d.status == Status::Passed) {
            let own = w.address(doc.address_sid);
            let now = document_fit(catalog(), doc, own, n, TODAY);
            let mut erased = doc.clone();
            erased.details.clear();
            prop_assert_eq!(&document_fit(catalog(), &erased, own, n, TODAY), &now);
            let then = document_fit(catalog(), doc, own, n, later);
            match doc.expiry() {
                Some(e) if e.ended(later) && !e.ended(TODAY) => {
                    prop_assert!(then.is_err(), "counts after its last day");
                }
                _ => prop_assert_eq!(&then, &now),
            }
        }
    }

    /// Unmutated Passed documents of the number's own regulation, with their address in the
    /// number's area, always let the number be bought: the fixtures keep the properties above
    /// from holding vacuously.
    #[test]
    fn satisfying_documents_buy_their_number(index in any::<usize>()) {
        let pool = pool();
        let number = &pool[index % pool.len()];
        let n = nref(number);
        let regs = offered(catalog(), n);
        let mut ids = Ids::new(index as u64);
        for reg in regs {
            let (city, _) = home(reg.key);
            let area = number.area.as_ref().map(|a| a.prefix.as_str());
            // Only the fixture town's own area is known to contain it.
            if area.is_some() && home(reg.key).1 != area {
                continue;
            }
            let addr = address(ids.address(), city);
            let docs: Vec<IdentityDocument> = if reg.identity_required {
                vec![passed(reg, ids.identity(), Some(&addr), area)]
            } else {
                vec![]
            };
            let bought = purchase(catalog(), n, &docs, std::slice::from_ref(&addr), TODAY);
            prop_assert!(bought.is_ok(), "{}: {:?}", reg.key.stable_name(), bought);
        }
    }
}

/// The generators reach every outcome the properties speak about (approved with and without a
/// document, each refusal code, eligible and ineligible documents, a fitting document whose
/// review would differ only by its address, a document refused for its PO box), so none of them
/// holds vacuously.
#[test]
fn generators_reach_every_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeMap;
    let mut runner = TestRunner::deterministic();
    let strategy = workspace();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..4000 {
        let ws = strategy.new_tree(&mut runner).expect("a value").current();
        let w = World::build(&ws);
        let n = nref(&w.number);
        let outcome = match purchase(catalog(), n, &w.documents, &w.addresses, TODAY) {
            Ok(Approval {
                identity: Some(_), ..
            }) => "ok with document",
            Ok(Approval {
                identity: None,
                address: Some(_),
            }) => "ok with address only",
            Ok(_) => "ok with nothing",
            Err(r) => match r.problem.code {
                codes::IDENTITY_REQUIRED => "21650",
                codes::DOCUMENT_UNSUITABLE => "21651",
                codes::ADDRESS_REQUIRED => "21631",
                codes::LOCAL_ADDRESS_REQUIRED => "21615",
                codes::NOT_OFFERED => "22201",
                _ => "other refusal",
            },
        };
        *seen.entry(outcome).or_default() += 1;
        for doc in &w.documents {
            let own = w.address(doc.address_sid);
            let fit = document_fit(catalog(), doc, own, n, TODAY);
            if fit
                .as_ref()
                .is_err_and(|p| p.iter().any(|p| p.message.contains("PO box")))
            {
                *seen.entry("unfit for a PO box").or_default() += 1;
            }
            if fit.is_ok() {
                *seen.entry("fitting document").or_default() += 1;
                if !reviewer::reasons(catalog(), plan(), doc, own, None, TODAY).is_empty() {
                    *seen.entry("fits, review differs by address").or_default() += 1;
                }
            } else if doc.status == Status::Passed {
                *seen.entry("passed but unfit").or_default() += 1;
            }
        }
    }
    for outcome in [
        "ok with document",
        "ok with address only",
        "ok with nothing",
        "21650",
        "21651",
        "21631",
        "21615",
        "22201",
        "fitting document",
        "fits, review differs by address",
        "passed but unfit",
        "unfit for a PO box",
    ] {
        assert!(
            seen.get(outcome).copied().unwrap_or(0) >= 5,
            "{outcome} reached too rarely: {seen:?}"
        );
    }
    assert!(!seen.contains_key("other refusal"), "{seen:?}");
}
