#![cfg(not(target_arch = "wasm32"))]
//! The regulations catalog compiled into the app (`src/domain/data/regulations.json`): that it
//! parses, that it holds the rows the product relies on with the rules the sources give, and that
//! `Catalog::parse` rejects the mistakes a hand-edited catalog is likely to contain.

use std::collections::{BTreeMap, BTreeSet};

use regdesk::domain::records::kinds::{Country, EndUserType, NumberType};
use regdesk::domain::rules::regulation::{
    AddressRule, Catalog, Constraint, DocumentType, FieldKind, MatchRule, Provenance, Regulation,
    RegulationKey, ScanDetail,
};
use serde_json::{Value, json};

use AddressRule::{Any, InCountry, LocalArea, None as NoAddress};
use EndUserType::{Business, Individual};
use NumberType::{Local, Mobile, National, TollFree};

fn catalog() -> Catalog {
    Catalog::builtin().unwrap_or_else(|e| panic!("the built-in catalog does not parse: {e}"))
}

fn key(country: &str, number_type: NumberType, end_user_type: EndUserType) -> RegulationKey {
    let country: Country = country.parse().expect("a country code");
    RegulationKey {
        country,
        number_type,
        end_user_type,
    }
}

fn get<'a>(catalog: &'a Catalog, k: &RegulationKey) -> &'a Regulation {
    catalog
        .get(k)
        .unwrap_or_else(|| panic!("{} is missing from the catalog", k.stable_name()))
}

/// A row the product relies on: (country, number type, end-user type, offered, identity required,
/// address rule).
type Expected = (
    &'static str,
    NumberType,
    EndUserType,
    bool,
    bool,
    AddressRule,
);

const EXPECTED: &[Expected] = &[
    ("AT", Local, Individual, true, true, LocalArea),
    ("AT", Local, Business, true, true, LocalArea),
    ("AU", Local, Individual, true, false, LocalArea),
    ("AU", Local, Business, true, false, InCountry),
    ("DE", Local, Individual, false, false, NoAddress),
    ("DE", Local, Business, true, true, LocalArea),
    ("DE", Mobile, Individual, true, true, InCountry),
    ("DE", Mobile, Business, true, true, InCountry),
    ("DE", National, Individual, true, true, InCountry),
    ("DE", National, Business, true, true, InCountry),
    ("ES", Local, Individual, true, true, InCountry),
    ("ES", Local, Business, true, true, InCountry),
    ("FR", Mobile, Individual, true, true, InCountry),
    ("FR", Mobile, Business, true, true, InCountry),
    ("GB", Local, Individual, true, false, Any),
    ("GB", Mobile, Individual, true, true, Any),
    ("GB", Mobile, Business, true, true, Any),
    ("IT", Local, Individual, true, true, LocalArea),
    ("IT", Local, Business, true, true, LocalArea),
    ("IT", Mobile, Individual, true, true, InCountry),
    ("IT", Mobile, Business, true, true, InCountry),
    ("JP", Local, Individual, false, false, NoAddress),
    ("JP", Local, Business, true, true, LocalArea),
    ("SE", Local, Individual, true, true, LocalArea),
    ("SE", Local, Business, true, true, LocalArea),
    ("US", Local, Individual, true, false, NoAddress),
    ("US", Local, Business, true, false, NoAddress),
    ("US", TollFree, Individual, true, false, NoAddress),
    ("US", TollFree, Business, true, false, NoAddress),
];

#[test]
fn the_builtin_catalog_parses_and_covers_ten_countries() {
    let catalog = catalog();
    let countries: Vec<&str> = catalog.countries().iter().map(|c| c.name()).collect();
    assert_eq!(
        countries,
        [
            "Austria",
            "Australia",
            "Germany",
            "Spain",
            "France",
            "United Kingdom",
            "Italy",
            "Japan",
            "Sweden",
            "United States"
        ]
    );
}

#[test]
fn every_expected_row_exists_with_its_rules() {
    let catalog = catalog();
    for &(country, number_type, end_user_type, offered, identity, address) in EXPECTED {
        let k = key(country, number_type, end_user_type);
        let r = get(&catalog, &k);
        let name = k.stable_name();
        assert_eq!(r.offered, offered, "{name}: offered");
        assert_eq!(r.identity_required, identity, "{name}: identity required");
        assert_eq!(r.address, address, "{name}: address rule");
        assert_eq!(
            r.requirements.is_empty(),
            !identity,
            "{name}: requirements iff identity"
        );
        if offered && (identity || address.requires_address()) {
            assert!(
                !r.fields.is_empty(),
                "{name}: a regulated row asks for no details"
            );
        }
    }
}

#[test]
fn every_row_says_where_its_facts_come_from() {
    let catalog = catalog();
    let mut sourced = 0;
    let mut assumed = 0;
    for r in catalog.iter() {
        let name = r.key.stable_name();
        match &r.provenance {
            Provenance::Sourced { source } => {
                assert!(
                    source.contains("https://"),
                    "{name}: a source without an address"
                );
                sourced += 1;
            }
            Provenance::Assumed { note } => {
                assert!(
                    note.len() >= 40,
                    "{name}: an assumption needs a note saying why"
                );
                assumed += 1;
            }
        }
    }
    assert!(sourced >= 8, "only {sourced} sourced rows");
    assert!(assumed >= 8, "only {assumed} assumed rows");
    // The rows whose rules are a guess must say so.
    for (country, number_type, end_user_type) in [
        ("DE", Mobile, Individual),
        ("DE", Mobile, Business),
        ("ES", Local, Individual),
        ("ES", Local, Business),
        ("FR", Mobile, Business),
        ("IT", Mobile, Individual),
    ] {
        let k = key(country, number_type, end_user_type);
        assert!(
            matches!(get(&catalog, &k).provenance, Provenance::Assumed { .. }),
            "{} should be marked assumed",
            k.stable_name()
        );
    }
    for (country, number_type, end_user_type) in [
        ("DE", Local, Business),
        ("DE", Local, Individual),
        ("GB", Mobile, Individual),
        ("GB", Mobile, Business),
        ("FR", Mobile, Individual),
        ("JP", Local, Business),
        ("SE", Local, Business),
        ("AU", Local, Individual),
    ] {
        let k = key(country, number_type, end_user_type);
        assert!(
            matches!(get(&catalog, &k).provenance, Provenance::Sourced { .. }),
            "{} should be marked sourced",
            k.stable_name()
        );
    }
}

#[test]
fn every_key_reads_back_from_its_stable_name() {
    for r in catalog().iter() {
        let name = r.key.stable_name();
        assert_eq!(
            RegulationKey::from_stable_name(&name),
            Some(r.key),
            "{name}"
        );
    }
    for bad in [
        "",
        "DE",
        "DE/local",
        "DE/local/business/x",
        "de/local/business",
        "DE/fixed/business",
    ] {
        assert_eq!(RegulationKey::from_stable_name(bad), None, "{bad}");
    }
}

#[test]
fn unoffered_rows_give_a_reason() {
    let catalog = catalog();
    for (country, needle) in [("DE", "not available to individuals"), ("JP", "2021")] {
        let r = get(&catalog, &key(country, Local, Individual));
        assert!(!r.offered, "{country} local individual is offered");
        let reason = r.not_offered_reason.as_deref().unwrap_or_default();
        assert!(
            reason.contains(needle),
            "{country}: reason {reason:?} lacks {needle:?}"
        );
    }
    let unoffered: Vec<String> = catalog
        .iter()
        .filter(|r| !r.offered)
        .map(|r| r.key.stable_name())
        .collect();
    assert_eq!(unoffered, ["DE/local/individual", "JP/local/individual"]);
}

#[test]
fn us_numbers_are_not_regulated() {
    let catalog = catalog();
    let us: Vec<&Regulation> = catalog
        .iter()
        .filter(|r| r.key.country.code() == "US")
        .collect();
    assert_eq!(us.len(), 4);
    for r in us {
        let name = r.key.stable_name();
        assert!(r.offered, "{name} not offered");
        assert!(!r.is_regulated(), "{name} is regulated");
        assert!(
            r.fields.is_empty() && r.requirements.is_empty(),
            "{name} asks for something"
        );
    }
    // And the regulated rows are.
    assert!(get(&catalog, &key("DE", Local, Business)).is_regulated());
    assert!(get(&catalog, &key("AU", Local, Individual)).is_regulated());
}

#[test]
fn proof_of_address_age_is_three_months_for_people_and_twelve_for_businesses() {
    let catalog = catalog();
    // Sweden's business row is sourced from Telnyx, which asks for 3 months for businesses too.
    let exceptions: BTreeMap<RegulationKey, u32> =
        BTreeMap::from([(key("SE", Local, Business), 3)]);
    let mut seen = BTreeSet::new();
    for r in catalog.iter() {
        for req in r
            .requirements
            .iter()
            .filter(|q| q.name == "proof_of_address")
        {
            let name = r.key.stable_name();
            let expected = exceptions
                .get(&r.key)
                .copied()
                .unwrap_or(match r.key.end_user_type {
                    Individual => 3,
                    Business => 12,
                });
            assert_eq!(
                req.max_age_months,
                Some(expected),
                "{name}: proof-of-address age"
            );
            assert!(
                req.must_show.contains(&ScanDetail::Address),
                "{name}: shows no address"
            );
            assert!(
                req.must_match.contains(&MatchRule::Address),
                "{name}: address unmatched"
            );
            assert!(
                r.address.requires_address(),
                "{name}: proof of an address not needed"
            );
            seen.insert(r.key.end_user_type);
        }
    }
    assert_eq!(seen.len(), 2, "proofs of address for only {seen:?}");
}

#[test]
fn individual_proof_of_identity_matches_the_entered_name() {
    let catalog = catalog();
    let mut count = 0;
    for r in catalog.iter().filter(|r| r.key.end_user_type == Individual) {
        for req in r
            .requirements
            .iter()
            .filter(|q| q.name == "proof_of_identity")
        {
            let name = r.key.stable_name();
            assert!(
                req.must_show.contains(&ScanDetail::Name),
                "{name}: shows no name"
            );
            assert!(
                req.must_show.contains(&ScanDetail::ExpiryDate),
                "{name}: no expiry date"
            );
            let full_name = MatchRule::Name {
                fields: vec!["first_name".into(), "last_name".into()],
            };
            assert!(
                req.must_match.contains(&full_name),
                "{name}: name not matched"
            );
            assert!(
                req.accepted.iter().all(|d| matches!(
                    d,
                    DocumentType::Passport
                        | DocumentType::GovernmentIssuedDocument
                        | DocumentType::DriversLicense
                )),
                "{name}: a proof of identity that is no photo ID"
            );
            count += 1;
        }
    }
    assert!(count >= 8, "only {count} individual proofs of identity");
}

#[test]
fn germany_local_business_follows_the_twilio_fixture() {
    let catalog = catalog();
    let r = get(&catalog, &key("DE", Local, Business));
    assert_eq!(r.friendly_name(), "Germany: Local - Business");
    let names: Vec<&str> = r.fields.iter().map(|f| f.name.as_str()).collect();
    for wanted in [
        "business_name",
        "business_registration_number",
        "business_website",
        "first_name",
        "last_name",
        "email",
    ] {
        assert!(names.contains(&wanted), "missing field {wanted}");
    }
    // The fixture's constraint is `business['business_website'] != null`: mandatory.
    let website = r.field("business_website").expect("website");
    assert!(website.mandatory, "the website is mandatory");
    let reg = r
        .field("business_registration_number")
        .expect("registration number");
    assert!(reg.mandatory);
    assert!(matches!(
        reg.constraint,
        Some(Constraint::Identifier { .. })
    ));
    assert!(reg.help.as_deref().unwrap_or_default().contains("HRB"));

    use DocumentType::{CommercialRegistrarExcerpt, TaxDocument, TradeLicense};
    let req = |n: &str| {
        r.requirements
            .iter()
            .find(|q| q.name == n)
            .unwrap_or_else(|| panic!("no {n}"))
    };
    let registration = req("proof_of_registration");
    assert_eq!(
        registration.accepted,
        [CommercialRegistrarExcerpt, TaxDocument]
    );
    assert!(registration.must_show.contains(&ScanDetail::DocumentNumber));
    assert_eq!(
        registration.must_match,
        [MatchRule::RegistrationNumber {
            field: "business_registration_number".into()
        }]
    );
    let identity = req("proof_of_business_identity");
    assert_eq!(
        identity.accepted,
        [CommercialRegistrarExcerpt, TradeLicense, TaxDocument]
    );
    assert_eq!(
        identity.must_match,
        [MatchRule::Name {
            fields: vec!["business_name".into()]
        }]
    );
    let address = req("proof_of_address");
    assert_eq!(
        address.accepted,
        [CommercialRegistrarExcerpt, TradeLicense, TaxDocument]
    );
    assert_eq!(address.max_age_months, Some(12));
    assert_eq!(r.requirements.len(), 3);
}

/// In Twilio's captured regulations (`IncludeConstraints=true`) every end-user field but the
/// comments carries a constraint that rejects an empty value, so each is mandatory; the German
/// mobile and national business rows take their fields from the local one.
#[test]
fn captured_twilio_rows_require_every_field_but_the_comments() {
    let catalog = catalog();
    for k in [
        key("DE", Local, Business),
        key("DE", Mobile, Business),
        key("DE", National, Business),
        key("GB", Mobile, Individual),
        key("GB", Mobile, Business),
    ] {
        for f in &get(&catalog, &k).fields {
            assert_eq!(
                f.mandatory,
                f.name != "comments",
                "{}: {}",
                k.stable_name(),
                f.name
            );
        }
    }
}

/// PO boxes are refused exactly where a source says "a PO Box is not acceptable": Twilio's
/// captured German local and UK mobile regulations, its Australian guideline and its Japanese
/// local rules.
#[test]
fn po_boxes_are_refused_where_the_sources_say_so() {
    let catalog = catalog();
    let refusing: Vec<RegulationKey> = catalog
        .iter()
        .filter(|r| r.no_po_box)
        .map(|r| r.key)
        .collect();
    assert_eq!(
        refusing,
        [
            key("AU", Local, Individual),
            key("AU", Local, Business),
            key("DE", Local, Business),
            key("GB", Mobile, Individual),
            key("GB", Mobile, Business),
            key("JP", Local, Business),
        ]
    );
    for k in &refusing {
        let r = get(&catalog, k);
        assert!(
            r.describe_address().ends_with(", not a PO box"),
            "{}",
            k.stable_name()
        );
        if let Provenance::Sourced { source } = &r.provenance {
            assert!(!source.contains("assumed"), "{}", k.stable_name());
        } else {
            panic!("{}: a PO-box rule without a source", k.stable_name());
        }
    }
}

#[test]
fn japan_local_business_needs_the_application_and_a_recent_registry_certificate() {
    let catalog = catalog();
    let r = get(&catalog, &key("JP", Local, Business));
    let accepted: Vec<(&[DocumentType], Option<u32>)> = r
        .requirements
        .iter()
        .map(|q| (q.accepted.as_slice(), q.max_age_months))
        .collect();
    assert_eq!(
        accepted,
        [
            (&[DocumentType::JapanApplication][..], None),
            (&[DocumentType::CorporateRegistry][..], Some(6))
        ]
    );
}

#[test]
fn mandatory_fields_differ_by_number_type_where_the_sources_say_so() {
    let catalog = catalog();
    let phone = |k: RegulationKey| {
        get(&catalog, &k)
            .field("phone_number")
            .unwrap_or_else(|| panic!("{} has no phone_number", k.stable_name()))
            .mandatory
    };
    assert!(
        phone(key("GB", Mobile, Individual)),
        "GB mobile needs a phone number"
    );
    assert!(!phone(key("GB", Local, Individual)), "GB local does not");
    let gb_local = get(&catalog, &key("GB", Local, Individual));
    let birth = gb_local.field("birth_date").expect("birth date");
    assert!(birth.mandatory);
    assert_eq!(
        birth.constraint,
        Some(Constraint::MinAgeYears { years: 18 })
    );

    let gb_business = get(&catalog, &key("GB", Mobile, Business));
    let options = |n: &str| match &gb_business.field(n).map(|f| &f.kind) {
        Some(FieldKind::Choice { options }) => options.clone(),
        other => panic!("{n} is {other:?}, not a choice"),
    };
    assert_eq!(
        options("business_registration_identifier"),
        ["UK:CRN", "US:EIN", "CA:CBN", "AU:ACN", "OTHER"]
    );
    assert_eq!(
        options("business_identity"),
        ["DIRECT_CUSTOMER", "INDEPENDENT_SOFTWARE_VENDOR"]
    );
    assert_eq!(options("is_subassigned"), ["YES", "NO"]);
}

#[test]
fn a_field_name_means_the_same_thing_in_every_row() {
    let catalog = catalog();
    let mut kinds: BTreeMap<&str, (&FieldKind, String)> = BTreeMap::new();
    for r in catalog.iter() {
        for f in &r.fields {
            let name = r.key.stable_name();
            assert!(
                f.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}: field {} is not snake_case",
                f.name
            );
            assert!(
                f.label.chars().next().is_some_and(char::is_uppercase),
                "{name}: label"
            );
            if let Some((kind, first)) = kinds.get(f.name.as_str()) {
                assert_eq!(*kind, &f.kind, "{name}: {} differs from {first}", f.name);
            } else {
                kinds.insert(&f.name, (&f.kind, name));
            }
        }
    }
    for (name, kind) in [
        ("email", FieldKind::Email),
        ("phone_number", FieldKind::Phone),
        ("birth_date", FieldKind::Date),
        ("first_name", FieldKind::Text),
        ("business_registration_number", FieldKind::Text),
    ] {
        assert_eq!(kinds.get(name).map(|k| k.0), Some(&kind), "{name}");
    }
}

#[test]
fn regulation_sids_are_distinct_and_start_with_rn() {
    let catalog = catalog();
    let sids: Vec<String> = catalog.iter().map(|r| r.sid.to_string()).collect();
    let distinct: BTreeSet<&String> = sids.iter().collect();
    assert_eq!(distinct.len(), sids.len(), "two regulations share a SID");
    assert!(sids.len() >= EXPECTED.len());
    for r in catalog.iter() {
        let sid = r.sid.to_string();
        assert!(sid.starts_with("RN") && sid.len() == 34, "{sid}");
        assert_eq!(catalog.by_sid(r.sid).map(|x| x.key), Some(r.key));
    }
}

// ---- Catalog::parse rejects broken files --------------------------------------------------------

fn valid_row() -> Value {
    json!({
        "country": "DE", "number_type": "local", "end_user_type": "business",
        "offered": true, "identity_required": true,
        "fields": [
            {"name": "business_name", "label": "Business name", "mandatory": true, "kind": "text"}
        ],
        "requirements": [{
            "name": "proof_of_business_identity", "label": "Proof of business identity",
            "accepted": ["trade_license"], "must_show": ["name"],
            "must_match": [{"match": "name", "fields": ["business_name"]}]
        }],
        "address": "local-area",
        "provenance": {"status": "assumed", "note": "a test row"}
    })
}

fn parse(rows: Vec<Value>) -> Result<Catalog, String> {
    Catalog::parse(&json!({ "regulations": rows }).to_string()).map_err(|e| e.to_string())
}

fn rejected(rows: Vec<Value>, needle: &str) {
    match parse(rows) {
        Ok(_) => panic!("a catalog that should fail ({needle}) parsed"),
        Err(e) => assert!(
            e.contains(needle),
            "error {e:?} does not mention {needle:?}"
        ),
    }
}

#[test]
fn the_inline_test_row_is_valid() {
    let catalog = parse(vec![valid_row()]).expect("the base row parses");
    assert_eq!(catalog.iter().count(), 1);
}

#[test]
fn parse_rejects_a_po_box_rule_without_an_address() {
    let mut row = valid_row();
    row["no_po_box"] = json!(true);
    assert!(parse(vec![row.clone()]).is_ok());
    row["address"] = json!("none");
    rejected(
        vec![row],
        "PO boxes are refused, but the regulation needs no address",
    );
}

#[test]
fn parse_rejects_a_duplicate_row() {
    rejected(
        vec![valid_row(), valid_row()],
        "DE/local/business appears twice",
    );
}

#[test]
fn parse_rejects_a_match_rule_naming_an_unknown_field() {
    let mut row = valid_row();
    row["requirements"][0]["must_match"] = json!([{"match": "name", "fields": ["company_name"]}]);
    rejected(vec![row], "unknown field company_name");
    let mut row = valid_row();
    row["requirements"][0]["must_match"] =
        json!([{"match": "registration-number", "field": "business_registration_number"}]);
    rejected(vec![row], "unknown field business_registration_number");
}

#[test]
fn parse_rejects_an_unoffered_row_without_a_reason() {
    let mut row = valid_row();
    row["offered"] = json!(false);
    rejected(vec![row.clone()], "no reason");
    row["not_offered_reason"] = json!("not sold to anyone");
    assert!(parse(vec![row]).is_ok(), "with a reason it parses");
}

#[test]
fn parse_rejects_a_requirement_accepting_no_document_type() {
    let mut row = valid_row();
    row["requirements"][0]["accepted"] = json!([]);
    rejected(vec![row], "accepts no document type");
}

#[test]
fn a_document_type_slug_is_its_machine_name_and_reads_back() {
    assert_eq!(
        DocumentType::CommercialRegistrarExcerpt.slug(),
        "commercial_registrar_excerpt"
    );
    for t in DocumentType::ALL {
        assert_eq!(json!(t), json!(t.slug()), "{t:?}");
        assert_eq!(DocumentType::from_slug(&t.slug()), Some(t));
    }
    assert_eq!(DocumentType::from_slug("Passport"), None);
}
