//! The regulations catalog: for each (country, number type, end-user type), what a customer must
//! provide before buying or keeping such a number.
//!
//! The catalog is a data file (`data/regulations.json`) compiled into the app, so regulations can
//! be read and reviewed as data rather than code. It is parsed and checked once at start-up
//! ([`Catalog::builtin`]) and by a test, so a mistake in the file fails the build's tests rather than
//! a customer's purchase.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::time::calendar::Date;

use crate::domain::records::kinds::{Country, EndUserType, NumberType};
use crate::domain::records::sid::RegulationSid;

/// What identifies a regulation: the number you intend to buy, and who you are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RegulationKey {
    /// The country of the number.
    pub country: Country,
    /// The kind of number.
    pub number_type: NumberType,
    /// Who stands behind it.
    pub end_user_type: EndUserType,
}

impl RegulationKey {
    /// The name Twilio would show: "Germany: Local - Business".
    pub fn friendly_name(&self) -> String {
        format!(
            "{}: {} - {}",
            self.country.name(),
            self.number_type.label(),
            self.end_user_type.label()
        )
    }

    /// The key's stable name, from which the regulation's SID is derived (`DE/local/business`).
    pub fn stable_name(&self) -> String {
        format!(
            "{}/{}/{}",
            self.country,
            self.number_type.slug(),
            self.end_user_type.slug()
        )
    }

    /// The key a stable name names (`DE/local/business`), as the documents list's URL carries it.
    pub fn from_stable_name(name: &str) -> Option<RegulationKey> {
        let mut parts = name.split('/');
        let key = RegulationKey {
            country: parts.next()?.parse().ok()?,
            number_type: NumberType::from_slug(parts.next()?)?,
            end_user_type: EndUserType::from_slug(parts.next()?)?,
        };
        parts.next().is_none().then_some(key)
    }
}

/// The kind of value an end-user field holds, which decides the input shown and the check made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// An email address.
    Email,
    /// A phone number, typed as people write it (`+44 7700 900123`, `0044…`) and stored in E.164
    /// form (`+447700900123`).
    Phone,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// One of a fixed list of values.
    Choice {
        /// The values accepted.
        options: Vec<String>,
    },
}

/// An extra check on a field's value, beyond its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "rule")]
pub enum Constraint {
    /// The text has between `min` and `max` characters.
    Length {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
    },
    /// The text is only letters, digits, spaces and `-/.`, with `min` to `max` characters: the
    /// shape of registration and tax numbers.
    Identifier {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
    },
    /// A date at least this many years ago (a birth date of an adult).
    MinAgeYears {
        /// The age.
        years: u32,
    },
}

/// One end-user detail a regulation asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// The machine name, such as `first_name`; the key under which the value is stored.
    pub name: String,
    /// The label the form shows.
    pub label: String,
    /// Mandatory fields are marked `*` and must be filled in.
    pub mandatory: bool,
    /// What kind of value it holds.
    #[serde(flatten)]
    pub kind: FieldKind,
    /// An extra check, if any.
    #[serde(default)]
    pub constraint: Option<Constraint>,
    /// A hint shown under the input.
    #[serde(default)]
    pub help: Option<String>,
}

/// A kind of supporting document a requirement accepts (Twilio's machine names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// A passport.
    Passport,
    /// A national identity card or other government-issued photo ID.
    GovernmentIssuedDocument,
    /// A driving licence.
    DriversLicense,
    /// An excerpt from the commercial register (Handelsregisterauszug, Extrait K-bis).
    CommercialRegistrarExcerpt,
    /// A trade licence (Gewerbeanmeldung).
    TradeLicense,
    /// A document from the tax office.
    TaxDocument,
    /// A utility bill (electricity, water, landline).
    UtilityBill,
    /// A bank statement.
    BankStatement,
    /// A signed power of attorney.
    PowerOfAttorney,
    /// A corporate registry certificate (Japan).
    CorporateRegistry,
    /// The completed Japan Regulatory Bundle Application.
    JapanApplication,
}

impl DocumentType {
    /// Every document type, in the order the form lists them.
    pub const ALL: [DocumentType; 11] = [
        DocumentType::Passport,
        DocumentType::GovernmentIssuedDocument,
        DocumentType::DriversLicense,
        DocumentType::CommercialRegistrarExcerpt,
        DocumentType::TradeLicense,
        DocumentType::TaxDocument,
        DocumentType::UtilityBill,
        DocumentType::BankStatement,
        DocumentType::PowerOfAttorney,
        DocumentType::CorporateRegistry,
        DocumentType::JapanApplication,
    ];

    /// The name a person reads.
    pub fn label(&self) -> &'static str {
        match self {
            DocumentType::Passport => "Passport",
            DocumentType::GovernmentIssuedDocument => "National ID card",
            DocumentType::DriversLicense => "Driving licence",
            DocumentType::CommercialRegistrarExcerpt => "Commercial register excerpt",
            DocumentType::TradeLicense => "Trade licence (Gewerbeanmeldung)",
            DocumentType::TaxDocument => "Tax office document",
            DocumentType::UtilityBill => "Utility bill",
            DocumentType::BankStatement => "Bank statement",
            DocumentType::PowerOfAttorney => "Power of attorney",
            DocumentType::CorporateRegistry => "Corporate registry certificate",
            DocumentType::JapanApplication => "Japan Regulatory Bundle Application",
        }
    }

    /// The machine name (`commercial_registrar_excerpt`): the serialised name, read off the JSON
    /// text (it needs no escaping) rather than a `serde_json::Value`, which would compile the
    /// type's serde code once more, for the `Value` serialiser.
    pub fn slug(&self) -> String {
        serde_json::to_string(self)
            .map(|quoted| quoted.trim_matches('"').to_string())
            .unwrap_or_default()
    }

    /// The document type whose [`slug`](Self::slug) is `s`.
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.slug() == s)
    }
}

/// A detail a scan can show, which a requirement may ask to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScanDetail {
    /// The person's or company's name.
    Name,
    /// A postal address.
    Address,
    /// The document's own number (ID number, registration number).
    DocumentNumber,
    /// The date it was issued.
    IssueDate,
    /// The date it expires.
    ExpiryDate,
}

impl ScanDetail {
    /// The name a person reads.
    pub fn label(&self) -> &'static str {
        match self {
            ScanDetail::Name => "name",
            ScanDetail::Address => "address",
            ScanDetail::DocumentNumber => "document number",
            ScanDetail::IssueDate => "issue date",
            ScanDetail::ExpiryDate => "expiry date",
        }
    }
}

/// Something on the scan that must equal what was entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "match")]
pub enum MatchRule {
    /// The name on the scan equals these fields joined by spaces (`first_name last_name`).
    Name {
        /// The end-user fields that make up the name.
        fields: Vec<String>,
    },
    /// The number on the scan equals this end-user field (a registration number).
    RegistrationNumber {
        /// The end-user field holding it.
        field: String,
    },
    /// The address on the scan is the document's address on file.
    Address,
}

/// One thing a regulation needs proven; any one of the accepted document types proves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// The machine name (`proof_of_address`).
    pub name: String,
    /// What the form calls it (`Proof of address`).
    pub label: String,
    /// The document types that satisfy it: any one of them (OR).
    pub accepted: Vec<DocumentType>,
    /// Details the scan must show.
    #[serde(default)]
    pub must_show: Vec<ScanDetail>,
    /// Details on the scan that must equal the entered ones.
    #[serde(default)]
    pub must_match: Vec<MatchRule>,
    /// The scan must have been issued within this many months (proof of address).
    #[serde(default)]
    pub max_age_months: Option<u32>,
}

/// Where the address on file must be, relative to the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressRule {
    /// No address needed.
    None,
    /// Any address anywhere.
    Any,
    /// An address in the number's country.
    InCountry,
    /// An address inside the local area of the number's prefix (a Munich number, a Munich address).
    LocalArea,
    /// An address outside the number's country.
    Foreign,
}

impl AddressRule {
    /// Whether an address must be on file at all.
    pub fn requires_address(&self) -> bool {
        !matches!(self, AddressRule::None)
    }

    /// A short phrase for the UI ("an address in the number's local area").
    pub fn describe(&self) -> &'static str {
        match self {
            AddressRule::None => "no address",
            AddressRule::Any => "an address anywhere",
            AddressRule::InCountry => "an address in the number's country",
            AddressRule::LocalArea => "an address in the number's local area",
            AddressRule::Foreign => "an address outside the number's country",
        }
    }
}

/// Where a row's facts come from: a cited source, or an assumption made for the simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Provenance {
    /// Taken from a source, named here.
    Sourced {
        /// Where the facts come from.
        source: String,
    },
    /// A plausible assumption, not confirmed by a source.
    Assumed {
        /// Why it was assumed and what it is based on.
        note: String,
    },
}

/// A change to a regulation's requirements from a date (a regulator starts asking for more): the
/// catalog's versions. A document that passed under the rules before it counts until
/// `effective + grace_days` (Twilio's `valid_until`), and is rejected after that unless a renewal
/// under the new rules has replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegulationChange {
    /// The first day the new rules apply.
    pub effective: Date,
    /// How many days after `effective` a document passed under the old rules still counts.
    pub grace_days: u32,
    /// What changes, for people.
    pub summary: String,
    /// Fields the change adds.
    #[serde(default)]
    pub adds_fields: Vec<FieldSpec>,
    /// Supporting documents the change adds.
    #[serde(default)]
    pub adds_requirements: Vec<Requirement>,
    /// Where the change comes from.
    pub provenance: Provenance,
}

impl RegulationChange {
    /// The last day a document passed before the change counts.
    pub fn valid_until(&self) -> Date {
        self.effective.add_days(i64::from(self.grace_days))
    }
}

/// One regulation: everything needed to buy or keep one kind of number as one kind of end user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regulation {
    /// Stable SID, derived from the key.
    #[serde(skip_deserializing, default = "placeholder_sid")]
    pub sid: RegulationSid,
    /// What the regulation applies to.
    #[serde(flatten)]
    pub key: RegulationKey,
    /// Whether such numbers are sold at all to this end-user type.
    pub offered: bool,
    /// Why not, when they are not offered.
    #[serde(default)]
    pub not_offered_reason: Option<String>,
    /// Whether a Passed identity document is required.
    pub identity_required: bool,
    /// The end-user details to enter.
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
    /// The supporting documents needed: all of them (AND).
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    /// Where the address must be.
    pub address: AddressRule,
    /// Whether the address must be a street address, not a post-office box (Twilio's captured
    /// regulations say "a PO Box is not acceptable").
    #[serde(default)]
    pub no_po_box: bool,
    /// Where these facts come from.
    pub provenance: Provenance,
    /// Changes from a date, oldest first; the fields and requirements above are the rules before
    /// the first of them.
    #[serde(default)]
    pub changes: Vec<RegulationChange>,
}

fn placeholder_sid() -> RegulationSid {
    RegulationSid::from_bytes([0; 16])
}

impl Regulation {
    /// The name Twilio would show: "Germany: Local - Business".
    pub fn friendly_name(&self) -> String {
        self.key.friendly_name()
    }

    /// The rules in force on `day`: every change effective by then applied. Review judges a
    /// document by these.
    pub fn as_of(&self, day: Date) -> std::borrow::Cow<'_, Regulation> {
        let applied: Vec<&RegulationChange> =
            self.changes.iter().filter(|c| c.effective <= day).collect();
        if applied.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut now = self.clone();
        for change in applied {
            now.fields.extend(change.adds_fields.iter().cloned());
            now.requirements
                .extend(change.adds_requirements.iter().cloned());
        }
        std::borrow::Cow::Owned(now)
    }

    /// The first change after `decided`, the day a document passed under the rules before it: it
    /// sets the document's valid-until.
    pub fn change_after(&self, decided: Date) -> Option<&RegulationChange> {
        self.changes.iter().find(|c| c.effective > decided)
    }

    /// The field spec named `name`.
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The address the regulation asks for, in a short phrase for the UI ("an address in the
    /// number's local area, not a PO box").
    pub fn describe_address(&self) -> String {
        let place = self.address.describe();
        if self.no_po_box {
            format!("{place}, not a PO box")
        } else {
            place.to_string()
        }
    }

    /// Whether the regulation asks for anything at all before purchase.
    pub fn is_regulated(&self) -> bool {
        self.identity_required || self.address.requires_address()
    }
}

/// A mistake in the catalog file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError(pub String);

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "regulations catalog: {}", self.0)
    }
}

impl std::error::Error for CatalogError {}

/// All regulations, by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    regulations: BTreeMap<RegulationKey, Regulation>,
}

#[derive(Deserialize)]
struct CatalogFile {
    regulations: Vec<Regulation>,
}

/// The catalog compiled into the app.
const BUILTIN: &str = include_str!("../data/regulations.json");

impl Catalog {
    /// The catalog compiled into the app. It is checked by a test, so this cannot fail in a build
    /// that passed its tests; should it fail anyway, the error names the broken row.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        Catalog::parse(BUILTIN)
    }

    /// The built-in catalog, parsed once and shared. Should the file be broken (which a test rules
    /// out), this is an empty catalog, and the app's start-up check of [`Catalog::builtin`] reports
    /// the error to the user instead of selling numbers without rules.
    pub fn shared() -> &'static Catalog {
        static SHARED: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        SHARED.get_or_init(|| {
            Catalog::builtin().unwrap_or(Catalog {
                regulations: BTreeMap::new(),
            })
        })
    }

    /// Parses and checks a catalog file.
    pub fn parse(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile =
            serde_json::from_str(text).map_err(|e| CatalogError(format!("not valid: {e}")))?;
        let mut regulations = BTreeMap::new();
        for mut regulation in file.regulations {
            let name = regulation.key.stable_name();
            check(&regulation).map_err(|e| CatalogError(format!("{name}: {e}")))?;
            regulation.sid = RegulationSid::derived(&name);
            if regulations.insert(regulation.key, regulation).is_some() {
                return Err(CatalogError(format!("{name} appears twice")));
            }
        }
        Ok(Catalog { regulations })
    }

    /// The regulation for this key, if the catalog has one.
    pub fn get(&self, key: &RegulationKey) -> Option<&Regulation> {
        self.regulations.get(key)
    }

    /// The regulation with this SID.
    pub fn by_sid(&self, sid: RegulationSid) -> Option<&Regulation> {
        self.regulations.values().find(|r| r.sid == sid)
    }

    /// Every regulation, ordered by country, number type and end-user type.
    pub fn iter(&self) -> impl Iterator<Item = &Regulation> {
        self.regulations.values()
    }

    /// The countries the catalog covers, each once, in order.
    pub fn countries(&self) -> Vec<Country> {
        let mut out: Vec<Country> = self.regulations.keys().map(|k| k.country).collect();
        out.dedup();
        out
    }

    /// The regulations of one country and number type, for both end-user types.
    pub fn for_number(&self, country: Country, number_type: NumberType) -> Vec<&Regulation> {
        self.iter()
            .filter(|r| r.key.country == country && r.key.number_type == number_type)
            .collect()
    }
}

/// The consistency rules a catalog row must follow.
fn check(r: &Regulation) -> Result<(), String> {
    if let Some(last) = r.changes.last() {
        if r.changes
            .windows(2)
            .any(|w| w[0].effective >= w[1].effective)
        {
            return Err("changes are not in date order".into());
        }
        // Every change's rules must be a valid regulation too.
        let mut after = r.as_of(last.effective).into_owned();
        after.changes.clear();
        check(&after).map_err(|e| format!("after the change of {}: {e}", last.effective))?;
    }
    let mut seen = std::collections::BTreeSet::new();
    for field in &r.fields {
        if field.name.is_empty() || field.label.is_empty() {
            return Err("a field without a name or label".into());
        }
        if !seen.insert(field.name.as_str()) {
            return Err(format!("field {} appears twice", field.name));
        }
        if let FieldKind::Choice { options } = &field.kind
            && options.is_empty()
        {
            return Err(format!("choice field {} has no options", field.name));
        }
    }
    if r.no_po_box && !r.address.requires_address() {
        return Err("PO boxes are refused, but the regulation needs no address".into());
    }
    if !r.offered {
        if r.not_offered_reason.is_none() {
            return Err("not offered, but no reason is given".into());
        }
        return Ok(());
    }
    if r.identity_required && r.requirements.is_empty() {
        return Err(
            "an identity document is required but no requirement says what it proves".into(),
        );
    }
    if !r.identity_required && !r.requirements.is_empty() {
        return Err("requirements are listed but no identity document is required".into());
    }
    for req in &r.requirements {
        if req.accepted.is_empty() {
            return Err(format!("requirement {} accepts no document type", req.name));
        }
        for rule in &req.must_match {
            let fields: Vec<&String> = match rule {
                MatchRule::Name { fields } => fields.iter().collect(),
                MatchRule::RegistrationNumber { field } => vec![field],
                MatchRule::Address => {
                    if !r.address.requires_address() {
                        return Err(format!(
                            "requirement {} matches an address, but the regulation needs none",
                            req.name
                        ));
                    }
                    vec![]
                }
            };
            for f in fields {
                if r.field(f).is_none() {
                    return Err(format!(
                        "requirement {} matches unknown field {f}",
                        req.name
                    ));
                }
            }
        }
    }
    Ok(())
}
