//! A number's compliance, the mapping choices offered for it, and the purchase guard.
//!
//! All three ask the same two questions, answered once here on top of [`evaluation`]: does this
//! document fit this number ([`document_fit`]), and does this address fit it under this regulation
//! ([`address_fit`])? That shared core is why the drop-downs, the compliant notice and the purchase
//! error can never disagree.
//!
//! [`evaluation`]: crate::domain::rules::evaluation

use crate::domain::time::calendar::Date;
use crate::domain::time::clock::BusinessClock;
use serde::{Deserialize, Serialize};

use crate::domain::records::address::Address;
use crate::domain::records::document::{IdentityDocument, Standing, Status};
use crate::domain::records::kinds::{Country, NumberType};
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, IdentitySid};
use crate::domain::rules::evaluation::{Target, address_miss};
use crate::domain::rules::gap::{Gap, decided_by, gap};
use crate::domain::rules::problem::{Problem, codes};
use crate::domain::rules::regulation::{Catalog, MatchRule, Regulation};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// The number a question is about: where it is and what kind it is.
#[derive(Debug, Clone, Copy)]
pub struct NumberRef<'a> {
    /// Where it is.
    pub target: Target<'a>,
    /// Its kind.
    pub number_type: NumberType,
}

impl NumberRef<'_> {
    /// An owned number, as the rules see it.
    pub fn of(number: &PhoneNumber) -> NumberRef<'_> {
        NumberRef {
            target: number.target(),
            number_type: number.number_type,
        }
    }

    fn country(&self) -> Country {
        self.target.country
    }
}

/// The offered regulations for a number, one per end-user type that may buy it.
pub fn offered<'c>(catalog: &'c Catalog, number: NumberRef<'_>) -> Vec<&'c Regulation> {
    catalog
        .for_number(number.country(), number.number_type)
        .into_iter()
        .filter(|r| r.offered)
        .collect()
}

/// What a document is worth before any particular number: its regulation if it is Passed, not
/// expired and still offered. None of this depends on the number, which is what lets
/// [`MappingIndex`] check it once per document.
///
/// A Passed document's details and scans are not judged again: review judged them, with the
/// rules of that day (an age limit included), and only an explicit date ends a decision
/// ([`IdentityDocument::expiry`]). A rule that changes afterwards reaches it through a date too.
pub(crate) fn document_standing<'c>(
    catalog: &'c Catalog,
    document: &IdentityDocument,
    today: Date,
) -> Result<&'c Regulation, Vec<Problem>> {
    let why = match document.standing(today) {
        Standing::Status(Status::Passed) => None,
        Standing::Expired(e) => {
            return Err(vec![Problem::general(
                codes::EXPIRED,
                format!("It expired after {} ({}); renew it.", e.last_day, e.why()),
            )]);
        }
        Standing::Status(Status::Pending) => {
            let by = usually_decided(document)
                .map(|t| format!("; {t}"))
                .unwrap_or_default();
            return Err(vec![Problem::general(
                codes::IDENTITY_REQUIRED,
                format!("It is still Pending review{by}."),
            )]);
        }
        Standing::Status(Status::Failed) => {
            Some("It failed verification; correct and resubmit it.")
        }
        Standing::Status(Status::Draft) => Some("It has not been submitted for review."),
        Standing::Status(Status::Replaced) => {
            Some("It was replaced by its renewal; map the renewal.")
        }
    };
    if let Some(why) = why {
        return Err(vec![Problem::general(codes::IDENTITY_REQUIRED, why)]);
    }
    offered_regulation(catalog, document)
}

/// The document's regulation, if it is still offered.
fn offered_regulation<'c>(
    catalog: &'c Catalog,
    document: &IdentityDocument,
) -> Result<&'c Regulation, Vec<Problem>> {
    catalog
        .get(&document.regulation)
        .filter(|r| r.offered)
        .ok_or_else(|| {
            vec![Problem::general(
                codes::DOCUMENT_UNSUITABLE,
                "Its regulation is no longer offered.",
            )]
        })
}

/// Whether `document`, with its own address, fits `number`: the regulation it satisfies, or every
/// reason it does not (not passed yet, failed, another number type, a missing field, expired, an
/// address outside the area).
pub fn document_fit<'c>(
    catalog: &'c Catalog,
    document: &IdentityDocument,
    document_address: Option<&Address>,
    number: NumberRef<'_>,
    today: Date,
) -> Result<&'c Regulation, Vec<Problem>> {
    fit_once_standing(document, document_address, number, || {
        document_standing(catalog, document, today)
    })
}

/// The fit of a document whose standing `standing` gives: first whether it was prepared for
/// this kind of number, then its standing, then its address. [`document_fit`] asks the document's
/// real standing; [`on_its_way`] asks whether a Pending one would fit once it passed.
fn fit_once_standing<'c>(
    document: &IdentityDocument,
    document_address: Option<&Address>,
    number: NumberRef<'_>,
    standing: impl FnOnce() -> Result<&'c Regulation, Vec<Problem>>,
) -> Result<&'c Regulation, Vec<Problem>> {
    let key = document.regulation;
    if key.country != number.country() || key.number_type != number.number_type {
        return Err(vec![Problem::general(
            codes::DOCUMENT_UNSUITABLE,
            format!(
                "Prepared for {} {} numbers, not {} {}.",
                key.country.name(),
                key.number_type.label(),
                number.country().name(),
                number.number_type.label()
            ),
        )]);
    }
    let regulation = standing()?;
    match address_miss(regulation, document_address, number.target) {
        Some(miss) => Err(vec![
            miss.purchase_problem(regulation.address, number.target),
        ]),
        None => Ok(regulation),
    }
}

/// Whether a regulation ties the number's address to the document's own address (its proof of
/// address must show the address on file), so the two must be the same.
pub(crate) fn binds_address(regulation: &Regulation) -> bool {
    regulation
        .requirements
        .iter()
        .any(|r| r.must_match.contains(&MatchRule::Address))
}

/// Whether `address` fits `number` under `regulation`, given the document mapped with it.
pub fn address_fit(
    regulation: &Regulation,
    address: &Address,
    document: Option<&IdentityDocument>,
    number: NumberRef<'_>,
) -> Result<(), Vec<Problem>> {
    if let Some(miss) = address_miss(regulation, Some(address), number.target) {
        return Err(vec![
            miss.purchase_problem(regulation.address, number.target),
        ]);
    }
    if let Some(doc) = document
        && binds_address(regulation)
        && doc.address_sid.is_some_and(|sid| sid != address.sid)
    {
        return Err(vec![Problem::at(
            codes::DOCUMENT_UNSUITABLE,
            "address",
            "The identity document proves a different address; map that one.",
        )]);
    }
    Ok(())
}

/// A number's standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "missing")]
pub enum Compliance {
    /// The catalog has a regulation for this kind of number, and it requires nothing.
    NotRegulated,
    /// The numbering plan knows the number's type, but the catalog has no regulation for it (an
    /// Austrian mobile): nothing says what it needs, which is not the same as needing nothing.
    NotInCatalog,
    /// The country's numbering plan does not know the number, so no regulation can be found.
    UnknownType,
    /// It has everything its regulation asks for.
    Compliant,
    /// Something is missing, said here.
    NonCompliant(Vec<Problem>),
}

impl Compliance {
    /// The slug of every non-compliant number: what the store's index is asked for to count or
    /// list them without reading the numbers.
    pub const NONCOMPLIANT: &'static str = "noncompliant";

    /// The machine name, for the store's index and CSS classes.
    pub fn slug(&self) -> &'static str {
        match self {
            Compliance::NotRegulated => "not-regulated",
            Compliance::NotInCatalog => "not-in-catalog",
            Compliance::UnknownType => "unknown-type",
            Compliance::Compliant => "compliant",
            Compliance::NonCompliant(_) => Compliance::NONCOMPLIANT,
        }
    }

    /// The state a stored slug names, for a badge shown before the number is evaluated (a cold
    /// start's first rows): a non-compliant one carries no problems, since only evaluating the
    /// number says what it lacks.
    pub fn from_slug(slug: &str) -> Option<Compliance> {
        [
            Compliance::NotRegulated,
            Compliance::NotInCatalog,
            Compliance::UnknownType,
            Compliance::Compliant,
            Compliance::NonCompliant(Vec::new()),
        ]
        .into_iter()
        .find(|c| c.slug() == slug)
    }

    /// The word people read: on badges and in the activity log.
    pub fn label(&self) -> &'static str {
        match self {
            Compliance::NotRegulated => "Not regulated",
            Compliance::NotInCatalog => "Not in the catalog",
            Compliance::UnknownType => "Unknown type",
            Compliance::Compliant => "Compliant",
            Compliance::NonCompliant(_) => "Non-compliant",
        }
    }
}

/// What a number is mapped to, looked up from the workspace.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mapped<'a> {
    /// The mapped identity document, if any.
    pub document: Option<&'a IdentityDocument>,
    /// The document's own address, if it has one.
    pub document_address: Option<&'a Address>,
    /// The mapped address, if any.
    pub address: Option<&'a Address>,
}

/// What a number that needs an address and has none mapped lacks (21631).
fn map_address(regulation: &Regulation) -> Problem {
    Problem::at(
        codes::ADDRESS_REQUIRED,
        "address",
        format!("Map {}.", regulation.describe_address()),
    )
}

/// The compliance of a number with what it is mapped to.
pub fn compliance(
    catalog: &Catalog,
    number: NumberRef<'_>,
    mapped: Mapped<'_>,
    today: Date,
) -> Compliance {
    if number.number_type == NumberType::Unknown {
        return Compliance::UnknownType;
    }
    let regulations = offered(catalog, number);
    if regulations.is_empty() {
        return Compliance::NotInCatalog;
    }
    if !regulations.iter().any(|r| r.is_regulated()) {
        return Compliance::NotRegulated;
    }
    // Everything missing is said at once: a person fixing the document should not learn only
    // afterwards that the address was missing too.
    let address_missing = |regulation: &Regulation| {
        (mapped.address.is_none() && regulation.address.requires_address())
            .then(|| map_address(regulation))
    };
    if let Some(doc) = mapped.document {
        let regulation = match document_fit(catalog, doc, mapped.document_address, number, today) {
            Ok(r) => r,
            Err(mut problems) => {
                if let Some(p) = catalog.get(&doc.regulation).and_then(address_missing)
                    && !problems.contains(&p)
                {
                    problems.push(p);
                }
                return Compliance::NonCompliant(problems);
            }
        };
        return match (regulation.address.requires_address(), mapped.address) {
            (false, _) => Compliance::Compliant,
            (true, None) => Compliance::NonCompliant(vec![map_address(regulation)]),
            (true, Some(address)) => match address_fit(regulation, address, Some(doc), number) {
                Ok(()) => Compliance::Compliant,
                Err(problems) => Compliance::NonCompliant(problems),
            },
        };
    }
    // No document: only a regulation that needs none can be met, by the address alone.
    let mut missing = Vec::new();
    for regulation in regulations.iter().filter(|r| !r.identity_required) {
        match (regulation.address.requires_address(), mapped.address) {
            (false, _) => return Compliance::Compliant,
            (true, Some(address)) => match address_fit(regulation, address, None, number) {
                Ok(()) => return Compliance::Compliant,
                Err(problems) => missing.extend(problems),
            },
            (true, None) => missing.push(map_address(regulation)),
        }
    }
    if missing.is_empty() {
        missing.push(Problem::at(
            codes::IDENTITY_REQUIRED,
            "identity",
            "Map a Passed identity document for this number type.",
        ));
        missing.extend(regulations.iter().find_map(|r| address_missing(r)));
    }
    missing.dedup();
    Compliance::NonCompliant(missing)
}

/// What a Pending document's fit to a number depends on: the day, the number's country, type and
/// area prefix (as a number, so a key costs no allocation).
type Shape = (Date, Country, NumberType, u64);

/// Finds a workspace's documents and addresses by SID, to compute many numbers' compliance.
pub struct Lookup<'a> {
    documents: BTreeMap<IdentitySid, &'a IdentityDocument>,
    addresses: BTreeMap<AddressSid, &'a Address>,
    /// The Pending documents, which a non-compliant number is told about when one would
    /// satisfy it ([`on_its_way`]).
    pending: Vec<&'a IdentityDocument>,
    /// For each Pending document, what a number it would satisfy is told and the day it is
    /// usually decided by: worked out once, not once per number (the business-hours clock walks
    /// days and holidays).
    notes: BTreeMap<IdentitySid, (String, Option<Date>)>,
    /// Which Pending document would satisfy a number, by what that depends on ([`Shape`]):
    /// asked of every Pending document of the number's country and type, it was most of a
    /// non-compliant number's assessment (BENCHMARKS.md, figure 8), and numbers share areas.
    coming: RefCell<HashMap<Shape, Option<IdentitySid>>>,
}

impl<'a> Lookup<'a> {
    /// A lookup over these records.
    pub fn new(documents: &'a [IdentityDocument], addresses: &'a [Address]) -> Lookup<'a> {
        Lookup {
            documents: documents.iter().map(|d| (d.sid, d)).collect(),
            addresses: addresses.iter().map(|a| (a.sid, a)).collect(),
            pending: documents
                .iter()
                .filter(|d| d.status == Status::Pending)
                .collect(),
            notes: documents
                .iter()
                .filter(|d| d.status == Status::Pending)
                .map(|d| {
                    let note = format!("{} Map it once it has passed.", pending_note(d, "it"));
                    (d.sid, (note, decided_by(d)))
                })
                .collect(),
            coming: RefCell::default(),
        }
    }

    /// The Pending document that would satisfy `number` once passed ([`on_its_way`]), worked
    /// out once per [`Shape`].
    fn coming(&self, number: &PhoneNumber, today: Date) -> Option<&'a IdentityDocument> {
        let find = || {
            on_its_way(
                Catalog::shared(),
                NumberRef::of(number),
                self.pending.iter().copied(),
                |sid| self.address(sid),
                today,
            )
        };
        // An area prefix is E.164 digits; one that is not (never written by regdesk) is simply
        // not remembered.
        let area = match &number.area {
            None => Some(0),
            Some(a) => a.prefix.parse::<u64>().ok(),
        };
        let Some(area) = area else {
            return find();
        };
        let shape = (today, number.country, number.number_type, area);
        if let Some(known) = self.coming.borrow().get(&shape) {
            return self.document(*known);
        }
        let found = find();
        self.coming.borrow_mut().insert(shape, found.map(|d| d.sid));
        found
    }

    /// A document by SID.
    pub fn document(&self, sid: Option<IdentitySid>) -> Option<&'a IdentityDocument> {
        sid.and_then(|s| self.documents.get(&s).copied())
    }

    /// An address by SID.
    pub fn address(&self, sid: Option<AddressSid>) -> Option<&'a Address> {
        sid.and_then(|s| self.addresses.get(&s).copied())
    }

    /// What a number is mapped to.
    pub fn mapped(&self, number: &PhoneNumber) -> Mapped<'a> {
        let document = self.document(number.identity_sid);
        Mapped {
            document,
            document_address: document.and_then(|d| self.address(d.address_sid)),
            address: self.address(number.address_sid),
        }
    }

    /// The number's compliance with what it is mapped to, as the store records it; a
    /// non-compliant one also says which Pending document would satisfy it, and when that is
    /// usually decided.
    pub fn compliance(&self, number: &PhoneNumber, today: Date) -> Compliance {
        self.assess(number, today).0
    }

    /// The number's compliance and, when it is non-compliant, what it lacks ([`Gap`]): one
    /// evaluation for a row's badge, its reason and the plan's group.
    pub fn assess(&self, number: &PhoneNumber, today: Date) -> (Compliance, Option<Gap>) {
        // Which version of the mapping holds is not settled: it counts for nothing until a
        // person chooses (the team page), whatever either version is mapped to.
        if number.in_conflict {
            let problem = Problem::at(
                codes::MAPPING_CONFLICT,
                "mapping",
                "Two versions of this number were made on two machines apart. Choose one on the Team page; until then it does not count as compliant.",
            );
            return (Compliance::NonCompliant(vec![problem]), Some(Gap::Conflict));
        }
        let catalog = Catalog::shared();
        let mapped = self.mapped(number);
        let state = compliance(catalog, NumberRef::of(number), mapped, today);
        match state {
            Compliance::NonCompliant(mut problems) => {
                let coming = self.coming(number, today);
                problems.extend(
                    coming
                        .and_then(|d| self.notes.get(&d.sid))
                        .map(|(note, _)| Problem::general(codes::IDENTITY_REQUIRED, note.clone())),
                );
                let decided = |d: &IdentityDocument| match self.notes.get(&d.sid) {
                    Some((_, day)) => *day,
                    None => decided_by(d),
                };
                let lacks = gap(
                    catalog,
                    NumberRef::of(number),
                    mapped,
                    coming,
                    today,
                    &decided,
                );
                (Compliance::NonCompliant(problems), Some(lacks))
            }
            other => (other, None),
        }
    }
}

/// A Pending document that would satisfy `number` once it passed (with its own address): what
/// the purchase guard, the mapping page and a number's compliance point to, instead of offering
/// to create another document for the same thing. A renewal under review is one too.
pub fn on_its_way<'d>(
    catalog: &Catalog,
    number: NumberRef<'_>,
    documents: impl IntoIterator<Item = &'d IdentityDocument>,
    address: impl Fn(Option<AddressSid>) -> Option<&'d Address>,
    today: Date,
) -> Option<&'d IdentityDocument> {
    documents
        .into_iter()
        // Of the right country and type first: the fit check says the same, but as a sentence
        // built only to be dropped, for every Pending document and every number.
        .filter(|d| {
            d.status == Status::Pending
                && d.regulation.country == number.country()
                && d.regulation.number_type == number.number_type
        })
        .find(|d| {
            // As it would stand once Passed: offered, and not past a date its scans show.
            let standing = || match d.expiry() {
                Some(e) if e.ended(today) => Err(Vec::new()),
                _ => offered_regulation(catalog, d),
            };
            fit_once_standing(d, address(d.address_sid), number, standing).is_ok()
        })
}

/// When a Pending document is usually decided, for a sentence: "usually decided by …".
fn usually_decided(document: &IdentityDocument) -> Option<String> {
    let clock = BusinessClock::reviewer();
    document.submitted_at().map(|at| {
        format!(
            "usually decided by {}",
            clock.local_text(clock.usually_decided_by(at))
        )
    })
}

/// What is said of a Pending document on its way to satisfying `what`: which, and when it is
/// usually decided.
pub fn pending_note(document: &IdentityDocument, what: &str) -> String {
    let by = usually_decided(document)
        .map(|t| format!(", {t}"))
        .unwrap_or_default();
    format!(
        "\"{}\" is Pending review and would satisfy {what}{by}.",
        document.display_name()
    )
}

/// One record offered (or not) in a mapping drop-down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<S> {
    /// The record's SID.
    pub sid: S,
    /// Its name in the list.
    pub label: String,
    /// Why it cannot be chosen; empty when it can.
    pub reasons: Vec<Problem>,
}

impl<S> Candidate<S> {
    /// Whether it is offered in the drop-down.
    pub fn eligible(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// The Regulatory Information choices for a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingOptions {
    /// Every identity document, eligible or with its reasons.
    pub documents: Vec<Candidate<IdentitySid>>,
    /// Every address, eligible or with its reasons (given the chosen document).
    pub addresses: Vec<Candidate<AddressSid>>,
    /// Whether the number needs an address at all, given the chosen document.
    pub address_needed: bool,
    /// Whether the number needs an identity document at all.
    pub identity_needed: bool,
}

/// What a number is tied to, or is about to be: an identity document and an address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MappingChoice {
    /// The identity document, if any.
    pub document: Option<IdentitySid>,
    /// The address, if any.
    pub address: Option<AddressSid>,
}

impl MappingChoice {
    /// A choice not saved yet (`self`), made while the number was mapped to `base`, carried over
    /// to what the number is mapped to `now` after a change elsewhere: a side saved meanwhile
    /// (another tab mapped it) takes the saved value, the other side keeps the choice. The flag
    /// is true when a choice made here was replaced that way, so the form can say so.
    pub fn rebase(self, base: MappingChoice, now: MappingChoice) -> (MappingChoice, bool) {
        fn side<S: PartialEq + Copy>(mine: S, base: S, now: S) -> (S, bool) {
            if base == now {
                (mine, false)
            } else {
                (now, mine != base && mine != now)
            }
        }
        let (document, lost_document) = side(self.document, base.document, now.document);
        let (address, lost_address) = side(self.address, base.address, now.address);
        (
            MappingChoice { document, address },
            lost_document || lost_address,
        )
    }
}

impl MappingOptions {
    /// Why `chosen` must not be saved: each record in it that differs from `kept` (what the number
    /// is mapped to now) must be one the drop-downs offer. A kept record may stay even when it no
    /// longer fits (a document that failed since): changing the other drop-down must not force
    /// it out, and the number's compliance already says what is missing. A choice made a while
    /// ago can stop being offered before it is saved (another tab deletes the record, a review
    /// fails it), which is why the form asks this at saving and not only when drawing the list.
    pub fn refusals(&self, kept: MappingChoice, chosen: MappingChoice) -> Vec<Problem> {
        fn refuse<S: Copy + PartialEq + std::fmt::Display>(
            candidates: &[Candidate<S>],
            kept: Option<S>,
            chosen: Option<S>,
            field: &str,
            what: &str,
        ) -> Vec<Problem> {
            match chosen.filter(|&sid| Some(sid) != kept) {
                None => Vec::new(),
                Some(sid) => match candidates.iter().find(|c| c.sid == sid) {
                    None => vec![Problem::at(
                        codes::INVALID_VALUE,
                        field,
                        format!("{what} {sid} is not in the workspace."),
                    )],
                    Some(c) => c.reasons.clone(),
                },
            }
        }
        let document = refuse(
            &self.documents,
            kept.document,
            chosen.document,
            "identity",
            "Document",
        );
        // A refused document's rules do not apply to the number, so judging the address by them
        // would only add noise (a mobile number "has no local area" for a local document).
        if !document.is_empty() {
            return document;
        }
        refuse(
            &self.addresses,
            kept.address,
            chosen.address,
            "address",
            "Address",
        )
    }
}

/// The drop-down choices for a number, given the document currently chosen in the form.
pub fn mapping_options(
    catalog: &Catalog,
    number: NumberRef<'_>,
    documents: &[IdentityDocument],
    addresses: &[Address],
    chosen_document: Option<IdentitySid>,
    today: Date,
) -> MappingOptions {
    let find_address =
        |sid: Option<AddressSid>| sid.and_then(|s| addresses.iter().find(|a| a.sid == s));
    let regulations = offered(catalog, number);
    let documents_out: Vec<Candidate<IdentitySid>> = documents
        .iter()
        .map(|d| Candidate {
            sid: d.sid,
            label: d.name_and_status(),
            reasons: document_fit(catalog, d, find_address(d.address_sid), number, today)
                .err()
                .unwrap_or_default(),
        })
        .collect();
    let chosen = chosen_document.and_then(|sid| documents.iter().find(|d| d.sid == sid));
    // With a document chosen, its regulation decides; without one, any regulation that needs no
    // document may be met by the address alone.
    let rules: Vec<&Regulation> = match chosen {
        Some(doc) => catalog.get(&doc.regulation).into_iter().collect(),
        None => regulations
            .iter()
            .copied()
            .filter(|r| !r.identity_required)
            .collect(),
    };
    let address_needed = rules.iter().any(|r| r.address.requires_address())
        || (chosen.is_none() && regulations.iter().any(|r| r.address.requires_address()));
    let addresses_out = addresses
        .iter()
        .map(|a| {
            let mut reasons = Vec::new();
            let mut fits = false;
            for regulation in &rules {
                match address_fit(regulation, a, chosen, number) {
                    Ok(()) => fits = true,
                    Err(p) => reasons.extend(p),
                }
            }
            if rules.is_empty() {
                // Every regulation needs a document: judge the address by their rules, so the
                // list still says which addresses would do.
                for regulation in &regulations {
                    match address_fit(regulation, a, None, number) {
                        Ok(()) => fits = true,
                        Err(p) => reasons.extend(p),
                    }
                }
            }
            reasons.dedup();
            Candidate {
                sid: a.sid,
                label: a.label(),
                reasons: if fits { Vec::new() } else { reasons },
            }
        })
        .collect();
    MappingOptions {
        documents: documents_out,
        addresses: addresses_out,
        address_needed,
        identity_needed: !regulations.is_empty() && regulations.iter().all(|r| r.identity_required),
    }
}

/// Where the fix for a refused purchase is, so the error can link straight to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "to")]
pub enum FixTarget {
    /// Add an identity document prepared for this country and number type (and area).
    AddDocument {
        /// The number's country.
        country: Country,
        /// The number's type.
        number_type: NumberType,
        /// The local area prefix, for local numbers.
        area: Option<String>,
    },
    /// Open this document to correct it.
    ViewDocument {
        /// The document.
        sid: IdentitySid,
    },
    /// Add an address in this country (and area).
    AddAddress {
        /// The country the address must be in.
        country: Country,
        /// The area it must be in, for local numbers.
        area: Option<String>,
    },
}

/// A refused purchase: the Twilio error and where to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The error (21650, 21651, 21631, 21615, or 22201 not offered).
    pub problem: Problem,
    /// The reasons behind it, such as a document's unmet requirements.
    pub details: Vec<Problem>,
    /// Where to fix it, if it can be fixed.
    pub fix: Option<FixTarget>,
}

/// What a successful purchase maps the new number to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval {
    /// The identity document used, if one was required.
    pub identity: Option<IdentitySid>,
    /// The address used, if one was required.
    pub address: Option<AddressSid>,
}

/// The purchase guard: whether the workspace has what it takes to buy `number`, and what to map it
/// to; or the Twilio error, with where to fix it.
pub fn purchase(
    catalog: &Catalog,
    number: NumberRef<'_>,
    documents: &[IdentityDocument],
    addresses: &[Address],
    today: Date,
) -> Result<Approval, Refusal> {
    let regulations = offered(catalog, number);
    let area = number.target.area.map(|a| a.prefix.clone());
    if regulations.is_empty() {
        return Err(Refusal {
            problem: Problem::general(
                codes::NOT_OFFERED,
                format!(
                    "{} {} numbers are not offered.",
                    number.country().name(),
                    number.number_type.label()
                ),
            ),
            details: catalog
                .for_number(number.country(), number.number_type)
                .iter()
                .filter_map(|r| r.not_offered_reason.clone())
                .map(|why| Problem::general(codes::NOT_OFFERED, why))
                .collect(),
            fix: None,
        });
    }
    let find_address =
        |sid: Option<AddressSid>| sid.and_then(|s| addresses.iter().find(|a| a.sid == s));
    // Try every way to satisfy an offered regulation.
    for regulation in &regulations {
        if regulation.identity_required {
            for doc in documents.iter().filter(|d| d.regulation == regulation.key) {
                let own = find_address(doc.address_sid);
                if document_fit(catalog, doc, own, number, today).is_err() {
                    continue;
                }
                if !regulation.address.requires_address() {
                    return Ok(Approval {
                        identity: Some(doc.sid),
                        address: None,
                    });
                }
                let address = own
                    .into_iter()
                    .chain(addresses.iter())
                    .find(|a| address_fit(regulation, a, Some(doc), number).is_ok());
                if let Some(a) = address {
                    return Ok(Approval {
                        identity: Some(doc.sid),
                        address: Some(a.sid),
                    });
                }
            }
        } else if !regulation.address.requires_address() {
            return Ok(Approval {
                identity: None,
                address: None,
            });
        } else if let Some(a) = addresses
            .iter()
            .find(|a| address_fit(regulation, a, None, number).is_ok())
        {
            return Ok(Approval {
                identity: None,
                address: Some(a.sid),
            });
        }
    }
    Err(refusal(
        catalog,
        &regulations,
        number,
        documents,
        addresses,
        area,
        today,
    ))
}

/// The most useful error for a purchase that cannot go through.
fn refusal(
    catalog: &Catalog,
    regulations: &[&Regulation],
    number: NumberRef<'_>,
    documents: &[IdentityDocument],
    addresses: &[Address],
    area: Option<String>,
    today: Date,
) -> Refusal {
    let add_address = FixTarget::AddAddress {
        country: number.country(),
        area: area.clone(),
    };
    let add_document = FixTarget::AddDocument {
        country: number.country(),
        number_type: number.number_type,
        area: area.clone(),
    };
    let local = |code| {
        if code == codes::LOCAL_ADDRESS_REQUIRED {
            Some(add_address.clone())
        } else {
            None
        }
    };
    // A regulation that needs no document is the easier way: the address is what is missing.
    if let Some(regulation) = regulations.iter().find(|r| !r.identity_required) {
        let code = match regulation.address {
            crate::domain::rules::regulation::AddressRule::LocalArea => {
                codes::LOCAL_ADDRESS_REQUIRED
            }
            _ => codes::ADDRESS_REQUIRED,
        };
        let message = match (code, number.target.area) {
            (codes::LOCAL_ADDRESS_REQUIRED, Some(a)) => {
                format!(
                    "This number requires an address in the {} local area{}.",
                    a.name,
                    if regulation.no_po_box {
                        ", not a PO box"
                    } else {
                        ""
                    }
                )
            }
            _ => format!("This number requires {}.", regulation.describe_address()),
        };
        return Refusal {
            problem: Problem::general(code, message),
            details: vec![],
            fix: Some(add_address),
        };
    }
    let find_address =
        |sid: Option<AddressSid>| sid.and_then(|s| addresses.iter().find(|a| a.sid == s));
    // A document that would satisfy it is already under review: point there, not at a new one.
    if let Some(d) = on_its_way(catalog, number, documents, find_address, today) {
        return Refusal {
            problem: Problem::general(
                codes::IDENTITY_REQUIRED,
                format!(
                    "This number requires a verified identity document. {} Buy it once it has passed.",
                    pending_note(d, "this number")
                ),
            ),
            details: vec![],
            fix: Some(FixTarget::ViewDocument { sid: d.sid }),
        };
    }
    let same_kind: Vec<&IdentityDocument> = documents
        .iter()
        .filter(|d| {
            d.regulation.country == number.country()
                && d.regulation.number_type == number.number_type
        })
        .collect();
    let passed: Vec<&IdentityDocument> = same_kind
        .iter()
        .copied()
        .filter(|d| d.status == Status::Passed)
        .collect();
    let pending = same_kind
        .iter()
        .filter(|d| d.status == Status::Pending)
        .count();
    if passed.is_empty() && pending == 0 {
        let other_passed = documents
            .iter()
            .find(|d| d.status == Status::Passed && d.regulation.country == number.country());
        if let Some(doc) = other_passed {
            let reasons = document_fit(catalog, doc, find_address(doc.address_sid), number, today)
                .err()
                .unwrap_or_default();
            return Refusal {
                problem: Problem::general(
                    codes::DOCUMENT_UNSUITABLE,
                    format!(
                        "Your Passed document for {} does not satisfy this number's regulation.",
                        doc.display_name()
                    ),
                ),
                details: reasons,
                fix: Some(add_document),
            };
        }
    }
    if passed.is_empty() {
        // A document for this number type is on its way: say so, rather than point elsewhere.
        let message = if pending > 0 {
            format!(
                "This number requires a verified identity document; {pending} for this number type {} still Pending review.",
                if pending == 1 { "is" } else { "are" }
            )
        } else {
            "This number requires a verified identity document, and none has passed verification."
                .to_string()
        };
        return Refusal {
            problem: Problem::general(codes::IDENTITY_REQUIRED, message),
            details: vec![],
            fix: Some(add_document),
        };
    }
    // A Passed document exists: say what it lacks. If only its address is wrong for this area,
    // that is the local-address error.
    let (doc, reasons, document_fits) = passed
        .iter()
        .map(|d| {
            let fit = document_fit(catalog, d, find_address(d.address_sid), number, today);
            let document_fits = fit.is_ok();
            let reasons = match fit {
                Err(r) => r,
                // The document fits but no address does.
                Ok(regulation) => vec![Problem::at(
                    if regulation.address
                        == crate::domain::rules::regulation::AddressRule::LocalArea
                    {
                        codes::LOCAL_ADDRESS_REQUIRED
                    } else {
                        codes::ADDRESS_REQUIRED
                    },
                    "address",
                    format!("This number requires {}.", regulation.describe_address()),
                )],
            };
            (*d, reasons, document_fits)
        })
        .min_by_key(|(_, r, _)| r.len())
        .unwrap_or((passed[0], vec![], false));
    let address_only = reasons.iter().all(|p| {
        matches!(
            p.code,
            codes::LOCAL_ADDRESS_REQUIRED | codes::ADDRESS_REQUIRED
        )
    });
    if address_only && let Some(first) = reasons.first() {
        let code = first.code;
        // A document proves its own address, and a Passed one cannot change: when that address
        // is what is wrong, another address on file cannot help, only a new document can (its
        // form links to adding the address). Only a document that fits needs just an address.
        if !document_fits {
            let message = match (code, number.target.area) {
                (codes::LOCAL_ADDRESS_REQUIRED, Some(a)) => format!(
                    "This number requires an address in the {} local area; {}'s Passed document proves an address outside it. Add an identity document with an address in {}.",
                    a.name,
                    doc.display_name(),
                    a.name
                ),
                _ => format!(
                    "{} {}'s Passed document does not prove a suitable address: add an identity document that does.",
                    first.message,
                    doc.display_name()
                ),
            };
            return Refusal {
                problem: Problem::general(code, message),
                details: reasons.clone(),
                fix: Some(add_document),
            };
        }
        let message = match (code, number.target.area) {
            (codes::LOCAL_ADDRESS_REQUIRED, Some(a)) => format!(
                "This number requires an address in the {} local area, and none on file is in it.",
                a.name
            ),
            _ => first.message.clone(),
        };
        return Refusal {
            problem: Problem::general(code, message),
            details: reasons.clone(),
            fix: local(code).or(Some(add_address)),
        };
    }
    Refusal {
        problem: Problem::general(
            codes::DOCUMENT_UNSUITABLE,
            format!(
                "{}'s document does not satisfy this number's regulation.",
                doc.display_name()
            ),
        ),
        details: reasons,
        fix: Some(FixTarget::ViewDocument { sid: doc.sid }),
    }
}
