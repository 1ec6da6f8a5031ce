//! Evaluation: every unmet requirement of a document or an address, against a regulation and a
//! number, synchronously (like Twilio's Evaluations resource).
//!
//! This is the one place the requirements are checked. The form's pre-check, the reviewer, the
//! mapping choices and the purchase guard all call these functions, so they cannot disagree about
//! what a requirement means.

use std::collections::BTreeMap;

use crate::domain::time::calendar::Date;

use crate::domain::phone::e164::E164;
use crate::domain::phone::locality::city_in_area;
use crate::domain::phone::numbering::LocalArea;
use crate::domain::records::address::Address;
use crate::domain::records::document::{
    IdentityDocument, ScanAddress, Status, SupportingFile, ValidUntil,
};
use crate::domain::records::files::{FileFacts, content_problems};
use crate::domain::records::kinds::Country;
use crate::domain::rules::problem::{Problem, codes};
use crate::domain::rules::regulation::{
    AddressRule, Constraint, DocumentType, FieldKind, FieldSpec, MatchRule, Regulation,
    RegulationChange, Requirement, ScanDetail,
};

/// Where a number is, which is what address rules are measured against.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The number's country.
    pub country: Country,
    /// The number's local area, for local numbers.
    pub area: Option<&'a LocalArea>,
}

/// Why an address does not meet an address rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressMiss {
    /// No address is on file, and one is required.
    Missing,
    /// The address is in another country than the rule asks.
    WrongCountry,
    /// The address is in the right country but outside the number's local area.
    OutsideArea,
    /// The rule asks for a foreign address and this one is domestic.
    NotForeign,
    /// The address is a post-office box, which the regulation refuses.
    PoBox,
}

/// Whether `address` meets `regulation`'s address rule for a number at `target`; `None` when it
/// does. Where it is comes first: a PO box in the wrong place is in the wrong place.
pub fn address_miss(
    regulation: &Regulation,
    address: Option<&Address>,
    target: Target<'_>,
) -> Option<AddressMiss> {
    let rule = regulation.address;
    if !rule.requires_address() {
        return None;
    }
    let Some(address) = address else {
        return Some(AddressMiss::Missing);
    };
    place_miss(rule, address, target)
        .or_else(|| (regulation.no_po_box && address.is_po_box()).then_some(AddressMiss::PoBox))
}

/// Whether `address` is where `rule` asks, for a number at `target`.
fn place_miss(rule: AddressRule, address: &Address, target: Target<'_>) -> Option<AddressMiss> {
    match rule {
        AddressRule::None | AddressRule::Any => None,
        AddressRule::InCountry => {
            (address.country != target.country).then_some(AddressMiss::WrongCountry)
        }
        AddressRule::Foreign => {
            (address.country == target.country).then_some(AddressMiss::NotForeign)
        }
        AddressRule::LocalArea => {
            if address.country != target.country {
                Some(AddressMiss::WrongCountry)
            } else {
                match target.area {
                    Some(area) if city_in_area(area, &address.city) => None,
                    // A local rule without a known area cannot be met by any address.
                    _ => Some(AddressMiss::OutsideArea),
                }
            }
        }
    }
}

/// Why a PO box does not do, for a purchase, a mapping and a review alike.
const PO_BOX_REFUSED: &str =
    "The address is a PO box; this number's regulation requires a street address.";

impl AddressMiss {
    /// The problem a purchase or a mapping reports for this miss (21631 or 21615).
    pub fn purchase_problem(&self, rule: AddressRule, target: Target<'_>) -> Problem {
        let (code, message) = match self {
            AddressMiss::Missing => (
                codes::ADDRESS_REQUIRED,
                format!("This number requires {}.", rule.describe()),
            ),
            AddressMiss::WrongCountry => (
                if rule == AddressRule::LocalArea {
                    codes::LOCAL_ADDRESS_REQUIRED
                } else {
                    codes::ADDRESS_REQUIRED
                },
                format!("The address must be in {}.", target.country.name()),
            ),
            AddressMiss::OutsideArea => (
                codes::LOCAL_ADDRESS_REQUIRED,
                match target.area {
                    Some(area) => format!(
                        "The address must be in the {} local area (prefix +{}).",
                        area.name, area.prefix
                    ),
                    None => "The number's local area is unknown, so no address can satisfy it."
                        .to_string(),
                },
            ),
            AddressMiss::NotForeign => (
                codes::ADDRESS_REQUIRED,
                format!("The address must be outside {}.", target.country.name()),
            ),
            AddressMiss::PoBox => (codes::ADDRESS_REQUIRED, PO_BOX_REFUSED.to_string()),
        };
        Problem::at(code, "address", message)
    }

    /// The rejection reason a reviewer gives for this miss (18039 outside the area; 18018 a PO
    /// box; 18005 none).
    pub fn review_problem(&self, rule: AddressRule, target: Target<'_>) -> Problem {
        match self {
            AddressMiss::Missing => Problem::at(
                codes::MISSING_INFORMATION,
                "address",
                "An address is required and none was given.",
            ),
            AddressMiss::PoBox => Problem::at(codes::PO_BOX, "address", PO_BOX_REFUSED),
            _ => {
                let p = self.purchase_problem(rule, target);
                Problem::at(codes::LOCAL_ADDRESS_REQUIRED_REVIEW, "address", p.message)
            }
        }
    }
}

/// Compares names as a reviewer reads them: case, spacing and punctuation do not matter.
fn same_text(a: &str, b: &str) -> bool {
    // Punctuation separates words ("Anna-Lena" is "Anna Lena"), it does not join them.
    let norm = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

/// Compares identifiers: spaces, dots, hyphens and slashes do not matter.
fn same_identifier(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect()
    };
    norm(a) == norm(b)
}

fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

/// The problem with one entered value, if any.
fn field_problem(spec: &FieldSpec, typed: &str, today: Date) -> Option<Problem> {
    let value = typed.trim();
    if value.is_empty() {
        return spec.mandatory.then(|| {
            Problem::at(
                codes::MISSING_INFORMATION,
                &spec.name,
                format!("{} is required.", spec.label),
            )
        });
    }
    let bad = |code, msg: String| Some(Problem::at(code, &spec.name, msg));
    match &spec.kind {
        FieldKind::Text => {}
        FieldKind::Email if !valid_email(value) => {
            return bad(
                codes::INVALID_EMAIL,
                format!("\"{value}\" is not an email address."),
            );
        }
        FieldKind::Email => {}
        FieldKind::Phone => {
            // The reader the CSV import uses, given the text as typed, so an error's position
            // is where the person sees it.
            if let Err(e) = E164::parse_input(typed) {
                return bad(
                    codes::INVALID_PHONE,
                    format!("Not an international phone number: {e}."),
                );
            }
        }
        FieldKind::Date => {
            if value.parse::<Date>().is_err() {
                return bad(
                    codes::INVALID_VALUE,
                    "Enter a date as YYYY-MM-DD.".to_string(),
                );
            }
        }
        FieldKind::Choice { options } => {
            if !options.iter().any(|o| o == value) {
                return bad(
                    codes::INVALID_VALUE,
                    format!("Choose one of: {}.", options.join(", ")),
                );
            }
        }
    }
    match &spec.constraint {
        Some(Constraint::Length { min, max }) => {
            let n = value.chars().count();
            if n < *min || n > *max {
                return bad(
                    codes::INVALID_VALUE,
                    format!("Between {min} and {max} characters."),
                );
            }
        }
        Some(Constraint::Identifier { min, max }) => {
            let n = value.chars().count();
            let shape = value
                .chars()
                .all(|c| c.is_alphanumeric() || " -/.".contains(c));
            if n < *min || n > *max || !shape {
                return bad(
                    codes::INVALID_VALUE,
                    format!("{min} to {max} letters, digits, spaces or - / . only."),
                );
            }
        }
        Some(Constraint::MinAgeYears { years }) => {
            if let Ok(born) = value.parse::<Date>() {
                let adult_from = born.add_years(i64::from(*years));
                if adult_from > today {
                    return bad(
                        codes::INVALID_VALUE,
                        format!("Must be at least {years} years old."),
                    );
                }
            }
        }
        None => {}
    }
    None
}

/// Every problem with the entered details against the regulation's fields: the form's live check.
pub fn details_problems(
    regulation: &Regulation,
    details: &BTreeMap<String, String>,
    today: Date,
) -> Vec<Problem> {
    fields_problems(&regulation.fields, details, today)
}

fn fields_problems(
    fields: &[FieldSpec],
    details: &BTreeMap<String, String>,
    today: Date,
) -> Vec<Problem> {
    fields
        .iter()
        .filter_map(|spec| {
            field_problem(
                spec,
                details.get(&spec.name).map(String::as_str).unwrap_or(""),
                today,
            )
        })
        .collect()
}

/// The details as a document stores them: a phone number in strict E.164 (`+447700900123`), the
/// form Twilio's constraint asks for, however it was typed (`+44 7700 900123`, `0044…`). A value
/// the reader refuses, and every other field, stays as typed, so the form can say what is wrong.
pub fn stored_details(
    regulation: &Regulation,
    details: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut out = details.clone();
    for spec in regulation
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Phone)
    {
        if let Some(value) = out.get_mut(&spec.name)
            && let Ok(number) = E164::parse_input(value)
        {
            *value = number.to_string();
        }
    }
    out
}

/// Whether a requirement's age limit applies to this kind of document. Identity papers prove an
/// address for as long as they are valid; the age limit is for bills, statements and excerpts.
fn age_limited(document_type: DocumentType) -> bool {
    !matches!(
        document_type,
        DocumentType::Passport
            | DocumentType::GovernmentIssuedDocument
            | DocumentType::DriversLicense
    )
}

/// The problems of one file as proof for one requirement.
fn file_against(
    req: &Requirement,
    file: &SupportingFile,
    field: &str,
    details: &BTreeMap<String, String>,
    today: Date,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let shows = &file.shows;
    let what = |d: ScanDetail| {
        format!(
            "The {} must show the {}.",
            req.label.to_lowercase(),
            d.label()
        )
    };
    for detail in &req.must_show {
        let missing = match detail {
            ScanDetail::Name => shows.name.trim().is_empty(),
            ScanDetail::Address => shows.address == ScanAddress::None,
            ScanDetail::DocumentNumber => shows.document_number.trim().is_empty(),
            ScanDetail::IssueDate => shows.issue_date.is_none(),
            ScanDetail::ExpiryDate => shows.expiry_date.is_none(),
        };
        if missing {
            let code = match detail {
                ScanDetail::Address => codes::NO_ADDRESS_SHOWN,
                ScanDetail::ExpiryDate => codes::EXPIRED,
                _ => codes::MISSING_INFORMATION,
            };
            out.push(Problem::at(code, field, what(*detail)));
        }
    }
    for rule in &req.must_match {
        match rule {
            MatchRule::Name { fields } => {
                let entered = fields
                    .iter()
                    .map(|f| details.get(f).map(|v| v.trim()).unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join(" ");
                if !shows.name.trim().is_empty() && !same_text(&shows.name, &entered) {
                    out.push(Problem::at(
                        codes::NAME_MISMATCH,
                        field,
                        format!("The name on the document (\"{}\") differs from the entered name (\"{entered}\").", shows.name.trim()),
                    ));
                }
            }
            MatchRule::RegistrationNumber { field: detail } => {
                let entered = details.get(detail).map(String::as_str).unwrap_or("");
                if !shows.document_number.trim().is_empty()
                    && !same_identifier(&shows.document_number, entered)
                {
                    out.push(Problem::at(
                        codes::REGISTRATION_MISMATCH,
                        field,
                        format!(
                            "The number on the document (\"{}\") differs from the entered one (\"{}\").",
                            shows.document_number.trim(),
                            entered.trim()
                        ),
                    ));
                }
            }
            MatchRule::Address => match shows.address {
                ScanAddress::OnFile => {}
                ScanAddress::Other => out.push(Problem::at(
                    codes::ADDRESS_MISMATCH,
                    field,
                    "The document shows a different address from the one on file.",
                )),
                ScanAddress::None if !req.must_show.contains(&ScanDetail::Address) => {
                    out.push(Problem::at(
                        codes::NO_ADDRESS_SHOWN,
                        field,
                        "The document must show the address on file.",
                    ))
                }
                ScanAddress::None => {}
            },
        }
    }
    if let Some(expiry) = shows.expiry_date
        && expiry < today
    {
        out.push(Problem::at(
            codes::EXPIRED,
            field,
            format!("The document expired on {expiry}."),
        ));
    }
    if let (Some(months), Some(issued)) = (req.max_age_months, shows.issue_date)
        && age_limited(file.document_type)
    {
        let oldest = today.add_months(-i64::from(months));
        if issued < oldest {
            out.push(Problem::at(
                codes::OUTDATED_PROOF,
                field,
                format!(
                    "Issued on {issued}; a {} must be at most {months} months old.",
                    req.label.to_lowercase()
                ),
            ));
        }
    }
    if let Some(issued) = shows.issue_date
        && issued > today
    {
        out.push(Problem::at(
            codes::INVALID_VALUE,
            field,
            format!("The issue date {issued} is in the future."),
        ));
    }
    out
}

/// The field name a file's problems are shown next to: `file:<index>`.
pub fn file_field(index: usize) -> String {
    format!("file:{index}")
}

/// The problems of every requirement: each needs a file of an accepted type that shows and
/// matches what it must. When several files could prove it, the best one's problems are given.
pub fn requirements_problems(
    regulation: &Regulation,
    details: &BTreeMap<String, String>,
    files: &[SupportingFile],
    today: Date,
) -> Vec<Problem> {
    requirement_list_problems(&regulation.requirements, details, files, today)
}

fn requirement_list_problems(
    requirements: &[Requirement],
    details: &BTreeMap<String, String>,
    files: &[SupportingFile],
    today: Date,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for req in requirements {
        let candidates: Vec<Vec<Problem>> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| req.accepted.contains(&f.document_type))
            .map(|(i, f)| file_against(req, f, &file_field(i), details, today))
            .collect();
        match candidates.into_iter().min_by_key(Vec::len) {
            None => out.push(Problem::at(
                codes::MISSING_DOCUMENT,
                format!("requirement:{}", req.name),
                format!(
                    "{}: upload one of {}.",
                    req.label,
                    req.accepted
                        .iter()
                        .map(|t| t.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Some(best) => {
                for p in best {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
        }
    }
    out
}

/// Whether a document already meets what `change` adds (its fields filled, its supporting
/// documents present and matching), judged as on `day`: one that does gets no valid-until from
/// it, since it passed the new rules too.
pub fn meets_change(
    change: &RegulationChange,
    details: &BTreeMap<String, String>,
    files: &[SupportingFile],
    day: Date,
) -> bool {
    fields_problems(&change.adds_fields, details, day).is_empty()
        && requirement_list_problems(&change.adds_requirements, details, files, day).is_empty()
}

impl IdentityDocument {
    /// Gives a Passed document the valid-until of the first change to its regulation after it
    /// passed that it does not already meet (judged as on the day it passed); none otherwise.
    /// Returns whether it changed, so only changed records are written.
    ///
    /// It lives here rather than in `document` because it asks [`meets_change`], a requirement
    /// check, and `document` must not depend on the checks that depend on it.
    pub fn set_valid_until(&mut self, regulation: &Regulation) -> bool {
        let decided = self.decided_at().map(|t| t.date_utc());
        let until = match (self.status, decided) {
            (Status::Passed, Some(day)) => regulation
                .changes
                .iter()
                .filter(|c| c.effective > day)
                .find(|c| !meets_change(c, &self.details, &self.files, day))
                .map(|c| ValidUntil {
                    last_day: c.valid_until(),
                    effective: c.effective,
                }),
            _ => self.valid_until,
        };
        let changed = until != self.valid_until;
        self.valid_until = until;
        changed
    }
}

/// Scans a failed review gave a reason about, submitted again as the same file declared to show
/// something else. Correcting such a failure needs a new file: editing what a scan is declared to
/// show does not change what it shows. (The same file with the same declaration is judged as
/// before, so correcting the entered details instead still works.)
pub fn resubmitted_scan_problems(document: &IdentityDocument) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, file) in document.files.iter().enumerate() {
        let refusal = document.history.iter().rev().find_map(|t| {
            t.refused
                .iter()
                .find(|r| r.sha256 == file.sha256 && r.shows != file.shows)
                .map(|r| (t.at, r.code))
        });
        if let Some((at, code)) = refusal {
            out.push(Problem::at(
                code,
                file_field(i),
                format!(
                    "{} is the file the review refused on {} ({code}); changing what it is declared to show does not change the file. Upload a new scan.",
                    file.file_name,
                    at.date_utc()
                ),
            ));
        }
    }
    out
}

/// Everything that would make a review of this document fail, given its address and the number
/// it is for; with `facts`, also what the reviewer finds in the files' bytes. This is both the
/// form's pre-check and the reviewer's decision.
pub fn document_problems(
    regulation: &Regulation,
    document: &IdentityDocument,
    address: Option<&Address>,
    target: Target<'_>,
    facts: Option<&[FileFacts]>,
    today: Date,
) -> Vec<Problem> {
    if !regulation.offered {
        return vec![Problem::general(
            codes::NOT_OFFERED,
            regulation
                .not_offered_reason
                .clone()
                .unwrap_or_else(|| "Not offered.".into()),
        )];
    }
    let mut out = details_problems(regulation, &document.details, today);
    out.extend(requirements_problems(
        regulation,
        &document.details,
        &document.files,
        today,
    ));
    if let Some(miss) = address_miss(regulation, address, target) {
        out.push(miss.review_problem(regulation.address, target));
    }
    out.extend(resubmitted_scan_problems(document));
    if let Some(facts) = facts {
        for (i, (file, fact)) in document.files.iter().zip(facts).enumerate() {
            out.extend(content_problems(&file_field(i), &file.mime_type, fact));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_names() {
        assert!(valid_email("anna@example.de"));
        for bad in ["anna", "anna@", "@x.de", "a b@x.de", "a@x", "a@x..de"] {
            assert!(!valid_email(bad), "{bad}");
        }
        assert!(same_text("ACME  GmbH", "acme gmbh"));
        assert!(same_text("Müller, Anna", "müller anna"));
        assert!(same_text("Anna-Lena Berg", "Anna Lena Berg"));
        assert!(!same_text("Anna Müller", "Anna Mueller"));
        assert!(same_identifier("HRB 123 456", "hrb123456"));
    }
}
