//! Shared fixtures for the domain rule tests (`tests/domain_rules.rs`,
//! `tests/domain_properties.rs`): the built-in catalog and numbering plan, a fixed "today",
//! seeded SIDs, addresses in the towns the rules care about, numbers classified by the plan, and
//! identity documents built to satisfy a given regulation (then Passed, Pending or Failed through
//! the real lifecycle).
//!
//! Every builder checks its own output where it can (an address is created through
//! `Address::create`, a document's details through `details_problems`), so a fixture that silently
//! stopped satisfying the rules fails loudly instead of making every test vacuous.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regdesk::domain::phone::e164::E164;
use regdesk::domain::phone::inventory::{self, Offer, Query};
use regdesk::domain::phone::numbering::{Classification, NumberingPlan};
use regdesk::domain::records::address::{Address, AddressDraft};
use regdesk::domain::records::document::{
    IdentityDocument, ScanAddress, ScanShows, Status, SupportingFile,
};
use regdesk::domain::records::files::{FileFacts, FileFormat};
use regdesk::domain::records::kinds::{Country, EndUserType, NumberType};
use regdesk::domain::records::sid::{AddressSid, IdentitySid, SeededRandom};
use regdesk::domain::rules::compliance::NumberRef;
use regdesk::domain::rules::evaluation::{Target, details_problems};
use regdesk::domain::rules::problem::{Problem, codes};
use regdesk::domain::rules::regulation::{
    Catalog, Constraint, DocumentType, FieldKind, FieldSpec, MatchRule, Regulation, RegulationKey,
    Requirement, ScanDetail,
};
use regdesk::domain::time::Timestamp;
use regdesk::domain::time::calendar::{DAY_MS, Date, HOUR_MS, date};

/// The fixed "today" of every test.
pub const TODAY: Date = date(2026, 12, 1);

/// 09:00 UTC on [`TODAY`], for record creation and review timestamps.
pub fn now() -> Timestamp {
    Timestamp(TODAY.unix_days() * DAY_MS + 9 * HOUR_MS)
}

/// The built-in catalog, parsed once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("the built-in catalog parses"))
}

/// The built-in numbering plan.
pub fn plan() -> &'static NumberingPlan {
    NumberingPlan::builtin()
}

/// A country from its code.
pub fn country(code: &str) -> Country {
    code.parse().expect("a two-letter country code")
}

/// A regulation key.
pub fn key(code: &str, number_type: NumberType, end_user_type: EndUserType) -> RegulationKey {
    RegulationKey {
        country: country(code),
        number_type,
        end_user_type,
    }
}

/// The catalog row for a key; panics when the catalog lacks it.
pub fn regulation(
    code: &str,
    number_type: NumberType,
    end_user_type: EndUserType,
) -> &'static Regulation {
    let k = key(code, number_type, end_user_type);
    catalog()
        .get(&k)
        .unwrap_or_else(|| panic!("{} is not in the catalog", k.stable_name()))
}

/// SIDs from a seeded generator, so every run names records the same way.
pub struct Ids(SeededRandom);

impl Ids {
    /// A generator for one test.
    pub fn new(seed: u64) -> Ids {
        Ids(SeededRandom::new(seed))
    }

    /// A fresh identity-document SID.
    pub fn identity(&mut self) -> IdentitySid {
        IdentitySid::generate(&mut self.0)
    }

    /// A fresh address SID.
    pub fn address(&mut self) -> AddressSid {
        AddressSid::generate(&mut self.0)
    }
}

/// The towns the fixtures have addresses in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum City {
    Berlin,
    Muenchen,
    Dachau,
    Gerlingen,
    Ditzingen,
    Wien,
    Madrid,
    Paris,
    London,
    Roma,
    Stockholm,
    Tokyo,
    Sydney,
    Melbourne,
    /// The foreign one: outside every European catalog country.
    NewYork,
}

impl City {
    /// Every fixture town.
    pub const ALL: [City; 15] = [
        City::Berlin,
        City::Muenchen,
        City::Dachau,
        City::Gerlingen,
        City::Ditzingen,
        City::Wien,
        City::Madrid,
        City::Paris,
        City::London,
        City::Roma,
        City::Stockholm,
        City::Tokyo,
        City::Sydney,
        City::Melbourne,
        City::NewYork,
    ];

    /// (city as written, country code, postal code, street).
    fn parts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            City::Berlin => ("Berlin", "DE", "10117", "Unter den Linden 1"),
            City::Muenchen => ("München", "DE", "80331", "Marienplatz 8"),
            City::Dachau => ("Dachau", "DE", "85221", "Konrad-Adenauer-Straße 2"),
            City::Gerlingen => ("Gerlingen", "DE", "70839", "Hauptstraße 42"),
            City::Ditzingen => ("Ditzingen", "DE", "71254", "Am Laien 1"),
            City::Wien => ("Wien", "AT", "1010", "Stephansplatz 1"),
            City::Madrid => ("Madrid", "ES", "28013", "Calle Mayor 1"),
            City::Paris => ("Paris", "FR", "75001", "Rue de Rivoli 1"),
            City::London => ("London", "GB", "SW1A 2AA", "10 Downing Street"),
            City::Roma => ("Roma", "IT", "00184", "Via Nazionale 1"),
            City::Stockholm => ("Stockholm", "SE", "111 52", "Drottninggatan 1"),
            City::Tokyo => ("Tokyo", "JP", "100-0001", "1-1 Chiyoda"),
            City::Sydney => ("Sydney", "AU", "2000", "1 George Street"),
            City::Melbourne => ("Melbourne", "AU", "3000", "1 Collins Street"),
            City::NewYork => ("New York", "US", "10001", "350 Fifth Avenue"),
        }
    }

    /// The city as an address writes it.
    pub fn name(self) -> &'static str {
        self.parts().0
    }

    /// The country it is in.
    pub fn country(self) -> Country {
        country(self.parts().1)
    }
}

/// An address in `city`, created through the real validation.
pub fn address(sid: AddressSid, city: City) -> Address {
    address_in(sid, city, city.country())
}

/// An address with `city`'s street and town but filed under `country` (a customer who picked
/// the wrong country, or a town name that exists elsewhere).
pub fn address_in(sid: AddressSid, city: City, country: Country) -> Address {
    let (town, home, postal, street) = city.parts();
    let draft = AddressDraft {
        customer_name: "Acme Telefonie GmbH".into(),
        street: street.into(),
        city: town.into(),
        postal_code: postal.into(),
        country: home.to_string(),
        friendly_name: format!("{town} office"),
        ..Default::default()
    };
    // Validated in its own country (a London postcode is no German postal code), then filed
    // under the other one, as a stored address that was entered wrongly would be.
    let mut address = Address::create(sid, &draft, now())
        .unwrap_or_else(|p| panic!("fixture address {town}: {p:?}"));
    address.country = country;
    address
}

/// A number, parsed strictly and classified by the built-in plan.
pub fn classify(number: &str) -> Classification {
    let e164 = E164::parse(number).unwrap_or_else(|e| panic!("{number}: {e}"));
    plan()
        .classify(&e164)
        .unwrap_or_else(|e| panic!("{number}: {e}"))
}

/// The rules' view of a classified number.
pub fn nref(class: &Classification) -> NumberRef<'_> {
    NumberRef {
        target: Target {
            country: class.country,
            area: class.area.as_ref(),
        },
        number_type: class.number_type,
    }
}

/// Sample numbers, each valid in the built-in plan.
pub mod numbers {
    /// Berlin (030), local.
    pub const BERLIN: &str = "+493012345678";
    /// München (089), local.
    pub const MUENCHEN: &str = "+49891234567";
    /// Dachau (08131), local.
    pub const DACHAU: &str = "+498131123456";
    /// Ditzingen (07156), whose Ortsnetz includes Gerlingen.
    pub const DITZINGEN: &str = "+497156123456";
    /// A German mobile number Twilio sells (0157).
    pub const DE_MOBILE: &str = "+4915771234567";
    /// A German national number (032).
    pub const DE_NATIONAL: &str = "+4932123456789";
    /// A German toll-free number (0800), a type the catalog lacks for Germany.
    pub const DE_TOLL_FREE: &str = "+498001234567";
    /// A Paris local number, a type the catalog lacks for France.
    pub const FR_LOCAL: &str = "+33112345678";
    /// London, local.
    pub const LONDON: &str = "+442079460000";
    /// Sydney, local.
    pub const SYDNEY: &str = "+61298765432";
    /// Tokyo, local.
    pub const TOKYO: &str = "+81312345678";
    /// New York, local.
    pub const NEW_YORK: &str = "+12125551234";
    /// A US toll-free number.
    pub const US_TOLL_FREE: &str = "+18005551234";
    /// Vienna, local.
    pub const VIENNA: &str = "+43123456789";
}

/// Where a satisfying document for `key` lives: the fixture town of its country, and for local
/// numbers the area prefix that town is in.
pub fn home(key: RegulationKey) -> (City, Option<&'static str>) {
    let (city, area) = match key.country.code() {
        "AT" => (City::Wien, "4312"),
        "AU" => (City::Sydney, "612"),
        "DE" => (City::Berlin, "4930"),
        "ES" => (City::Madrid, "3491"),
        "FR" => (City::Paris, "331"),
        "GB" => (City::London, "4420"),
        "IT" => (City::Roma, "3906"),
        "JP" => (City::Tokyo, "813"),
        "SE" => (City::Stockholm, "468"),
        "US" => (City::NewYork, "1212"),
        other => panic!("no fixture town for {other}"),
    };
    (city, (key.number_type == NumberType::Local).then_some(area))
}

/// An inventory number of `key`'s country and type (in `area`, for local numbers).
pub fn offer_for(key: RegulationKey, area: Option<&str>) -> Offer {
    let area_name = area
        .and_then(|p| plan().area(p))
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let query = Query {
        country: Some(key.country),
        number_type: Some(key.number_type),
        area: area_name,
        digits: String::new(),
    };
    inventory::search(plan(), catalog(), &query, usize::MAX)
        .into_iter()
        .find(|o| area.is_none() || o.class.area.as_ref().map(|a| a.prefix.as_str()) == area)
        .unwrap_or_else(|| panic!("no offer for {} in {area:?}", key.stable_name()))
}

/// Identifier-shaped text with a length inside `min..=max`.
fn identifier(min: usize, max: usize) -> String {
    let n = 12.clamp(min, max);
    "AB1234567890123456789012345678901234567890"
        .chars()
        .take(n)
        .collect()
}

/// A valid value for a field of its kind and constraint.
pub fn valid_value(spec: &FieldSpec) -> String {
    match &spec.kind {
        FieldKind::Email => "anna.schmidt@acme.example".into(),
        FieldKind::Phone => "+4915771234567".into(),
        FieldKind::Date => "1990-05-17".into(),
        FieldKind::Choice { options } => options[0].clone(),
        FieldKind::Text => match spec.constraint {
            Some(Constraint::Identifier { min, max }) => identifier(min, max),
            _ => match spec.name.as_str() {
                "first_name" => "Anna".into(),
                "last_name" => "Schmidt".into(),
                "business_name" => "Acme Telefonie GmbH".into(),
                "business_website" => "https://acme.example".into(),
                "business_purpose" => "Customer support hotline".into(),
                "beneficial_owners" => "Anna Schmidt (100%)".into(),
                "comments" => "Thank you for reviewing.".into(),
                _ => "Sample value".into(),
            },
        },
    }
}

/// Every field of the regulation filled with a valid value; checked against the rules.
pub fn valid_details(regulation: &Regulation) -> BTreeMap<String, String> {
    let details: BTreeMap<String, String> = regulation
        .fields
        .iter()
        .map(|f| (f.name.clone(), valid_value(f)))
        .collect();
    let problems = details_problems(regulation, &details, TODAY);
    assert!(
        problems.is_empty(),
        "fixture details for {} are invalid: {problems:?}",
        regulation.key.stable_name()
    );
    details
}

/// The name a document's lists show for these details.
fn display_name(details: &BTreeMap<String, String>) -> String {
    match details.get("business_name") {
        Some(b) => b.clone(),
        None => format!(
            "{} {}",
            details.get("first_name").map_or("", String::as_str),
            details.get("last_name").map_or("", String::as_str)
        )
        .trim()
        .to_string(),
    }
}

/// Whether a document type is an identity paper (scanned as an image in the fixtures).
fn is_identity_paper(t: DocumentType) -> bool {
    matches!(
        t,
        DocumentType::Passport
            | DocumentType::GovernmentIssuedDocument
            | DocumentType::DriversLicense
    )
}

/// A scan of `document_type` that shows and matches everything `req` asks, for these details:
/// issued a month ago, valid for five more years. Identity papers are PNG images, everything
/// else PDFs.
pub fn scan_for(
    req: &Requirement,
    details: &BTreeMap<String, String>,
    document_type: DocumentType,
    index: usize,
) -> SupportingFile {
    assert!(
        req.accepted.contains(&document_type),
        "{document_type:?} is not accepted for {}",
        req.name
    );
    let name = req
        .must_match
        .iter()
        .find_map(|m| match m {
            MatchRule::Name { fields } => Some(
                fields
                    .iter()
                    .map(|f| details.get(f).map_or("", String::as_str))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        })
        .unwrap_or_else(|| display_name(details));
    let document_number = req
        .must_match
        .iter()
        .find_map(|m| match m {
            MatchRule::RegistrationNumber { field } => details.get(field).cloned(),
            _ => None,
        })
        .unwrap_or_else(|| "ID7654321".into());
    let shows_address = req.must_show.contains(&ScanDetail::Address)
        || req.must_match.contains(&MatchRule::Address);
    let image = is_identity_paper(document_type);
    SupportingFile {
        document_type,
        file_name: format!("{}-{index}.{}", req.name, if image { "png" } else { "pdf" }),
        mime_type: if image {
            "image/png"
        } else {
            "application/pdf"
        }
        .into(),
        size: 245_760,
        sha256: format!("{:064x}", index + 1),
        pixels: image.then_some((1200, 900)),
        shows: ScanShows {
            name,
            address: if shows_address {
                ScanAddress::OnFile
            } else {
                ScanAddress::None
            },
            document_number,
            issue_date: Some(TODAY.add_months(-1)),
            expiry_date: Some(TODAY.add_years(5)),
        },
    }
}

/// A Draft document satisfying `regulation`: every field valid, one scan per requirement of the
/// type `pick` chooses, the given address on file and intended area.
pub fn draft_with(
    regulation: &Regulation,
    sid: IdentitySid,
    address: Option<&Address>,
    intended_area: Option<&str>,
    pick: impl Fn(&Requirement) -> DocumentType,
) -> IdentityDocument {
    let details = valid_details(regulation);
    let files = regulation
        .requirements
        .iter()
        .enumerate()
        .map(|(i, req)| scan_for(req, &details, pick(req), i))
        .collect();
    IdentityDocument {
        sid,
        name: String::new(),
        end_user_type: regulation.key.end_user_type,
        entity_sid: None,
        regulation: regulation.key,
        intended_area: intended_area.map(str::to_string),
        area_name: None,
        details,
        files,
        address_sid: address.map(|a| a.sid),
        status: Status::Draft,
        renews: None,
        replaced_by: None,
        valid_until: None,
        reasons: vec![],
        history: vec![],
        created: now(),
    }
}

/// A Draft satisfying document, each requirement proven by its first accepted type.
pub fn draft(
    regulation: &Regulation,
    sid: IdentitySid,
    address: Option<&Address>,
    intended_area: Option<&str>,
) -> IdentityDocument {
    draft_with(regulation, sid, address, intended_area, |r| r.accepted[0])
}

/// The document moved to `status` through the real lifecycle (submit, then decide). A Failed
/// document carries one name-mismatch reason.
pub fn with_status(mut doc: IdentityDocument, status: Status) -> IdentityDocument {
    if status == Status::Draft {
        return doc;
    }
    doc.submit(now()).expect("a Draft can be submitted");
    let decided = now().plus_ms(3_600_000);
    match status {
        Status::Passed => {
            doc.decide(decided, vec![], "reviewed")
                .expect("decided once");
        }
        Status::Failed => {
            let reasons = vec![Problem::at(
                codes::NAME_MISMATCH,
                "file:0",
                "The name on the document differs.",
            )];
            doc.decide(decided, reasons, "reviewed")
                .expect("decided once");
        }
        Status::Replaced => {
            doc.decide(decided, vec![], "reviewed")
                .expect("decided once");
            let renewal = IdentitySid::from_bytes([0xEE; 16]);
            doc.replace(decided.plus_ms(1), renewal)
                .expect("a Passed document can be replaced");
        }
        Status::Pending | Status::Draft => {}
    }
    assert_eq!(doc.status, status);
    doc
}

/// A Passed satisfying document.
pub fn passed(
    regulation: &Regulation,
    sid: IdentitySid,
    address: Option<&Address>,
    intended_area: Option<&str>,
) -> IdentityDocument {
    with_status(
        draft(regulation, sid, address, intended_area),
        Status::Passed,
    )
}

/// A Pending satisfying document.
pub fn pending(
    regulation: &Regulation,
    sid: IdentitySid,
    address: Option<&Address>,
    intended_area: Option<&str>,
) -> IdentityDocument {
    with_status(
        draft(regulation, sid, address, intended_area),
        Status::Pending,
    )
}

/// A Failed (but otherwise satisfying) document.
pub fn failed(
    regulation: &Regulation,
    sid: IdentitySid,
    address: Option<&Address>,
    intended_area: Option<&str>,
) -> IdentityDocument {
    with_status(
        draft(regulation, sid, address, intended_area),
        Status::Failed,
    )
}

/// What a browser measures of a well-formed stored file with this metadata: the sniffed format
/// is the claimed one, and an image is 1200×900 pixels.
pub fn good_fact(file: &SupportingFile) -> FileFacts {
    let format = FileFormat::from_mime(&file.mime_type);
    FileFacts {
        size: file.size,
        sniffed: format,
        pixels: format.filter(FileFormat::is_image).map(|_| (1200, 900)),
    }
}

/// Good facts for every file of a document, in order.
pub fn good_facts(doc: &IdentityDocument) -> Vec<FileFacts> {
    doc.files.iter().map(good_fact).collect()
}

/// The codes of a list of problems, in order.
pub fn codes_of(problems: &[Problem]) -> Vec<u32> {
    problems.iter().map(|p| p.code).collect()
}

/// Every offered catalog row that requires an identity document.
pub fn identity_rows() -> Vec<&'static Regulation> {
    catalog()
        .iter()
        .filter(|r| r.offered && r.identity_required)
        .collect()
}
