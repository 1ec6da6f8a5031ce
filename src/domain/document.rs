//! Identity documents: the person or company behind the numbers, the details a regulation asks
//! for, the scans that prove them, and the verification status with its history.

use std::collections::BTreeMap;

use super::calendar::Date;
use serde::{Deserialize, Serialize};

use super::kinds::EndUserType;
use super::problem::{Problem, codes};
use super::regulation::{DocumentType, RegulationKey};
use super::sid::{AddressSid, IdentitySid};
use super::time::Timestamp;

/// Where a document stands in verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Saved but not yet submitted for review.
    Draft,
    /// Submitted; the reviewer has not decided yet.
    Pending,
    /// The reviewer accepted it: it can be used to buy and keep numbers.
    Passed,
    /// The reviewer rejected it, with reasons; it can be corrected and resubmitted.
    Failed,
}

impl Status {
    /// The word the status badge shows.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Pending => "Pending",
            Status::Passed => "Passed",
            Status::Failed => "Failed",
        }
    }

    /// The machine name, used in CSS classes, indexes and callbacks.
    pub fn slug(&self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Pending => "pending",
            Status::Passed => "passed",
            Status::Failed => "failed",
        }
    }
}

/// Which address the scan shows, as the person uploading it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScanAddress {
    /// The scan shows no address.
    #[default]
    None,
    /// The scan shows the address on file for this document.
    OnFile,
    /// The scan shows some other address.
    Other,
}

/// What the scan shows, as declared by the uploader; the reviewer compares it with the details.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanShows {
    /// The name printed on the document.
    #[serde(default)]
    pub name: String,
    /// Which address it shows.
    #[serde(default)]
    pub address: ScanAddress,
    /// The document's number (ID number, register number).
    #[serde(default)]
    pub document_number: String,
    /// When it was issued.
    #[serde(default)]
    pub issue_date: Option<Date>,
    /// When it expires.
    #[serde(default)]
    pub expiry_date: Option<Date>,
}

/// A scan's metadata. The bytes live apart, in the store's file store, keyed by `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportingFile {
    /// What kind of document it is.
    pub document_type: DocumentType,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The MIME type the browser reported.
    pub mime_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its bytes, lowercase hex: the key of the bytes in the file store.
    pub sha256: String,
    /// Pixel size of an image, measured in the browser; `None` for PDFs.
    #[serde(default)]
    pub pixels: Option<(u32, u32)>,
    /// What it shows.
    pub shows: ScanShows,
}

/// One status change, kept forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// When it happened (for a decision: when the review finished).
    pub at: Timestamp,
    /// The status before.
    pub from: Status,
    /// The status after.
    pub to: Status,
    /// Why: "submitted", "reviewed", "resubmitted", "decided now".
    pub cause: String,
    /// The reasons given with a failure.
    #[serde(default)]
    pub reasons: Vec<Problem>,
}

/// An identity document: the end user, their details, their scans and where review stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityDocument {
    /// Its SID.
    pub sid: IdentitySid,
    /// Individual or business.
    pub end_user_type: EndUserType,
    /// The regulation it was prepared for (the number the customer intends to buy).
    pub regulation: RegulationKey,
    /// For local numbers, the area (E.164 prefix digits) of the intended number, whose local
    /// rule the address must meet.
    #[serde(default)]
    pub intended_area: Option<String>,
    /// The entered details, by field name.
    pub details: BTreeMap<String, String>,
    /// The scans.
    pub files: Vec<SupportingFile>,
    /// The address on file for it, where the regulation asks for one.
    #[serde(default)]
    pub address_sid: Option<AddressSid>,
    /// Where review stands.
    pub status: Status,
    /// Why the last review failed.
    #[serde(default)]
    pub reasons: Vec<Problem>,
    /// Every status change.
    #[serde(default)]
    pub history: Vec<Transition>,
    /// When it was created.
    pub created: Timestamp,
}

impl IdentityDocument {
    /// The name the lists show: the business name, or first and last name.
    pub fn display_name(&self) -> String {
        let get = |k: &str| self.details.get(k).map(|v| v.trim()).unwrap_or("");
        let business = get("business_name");
        if !business.is_empty() {
            return business.to_string();
        }
        let name = format!("{} {}", get("first_name"), get("last_name"))
            .trim()
            .to_string();
        if name.is_empty() {
            "(unnamed)".to_string()
        } else {
            name
        }
    }

    /// When it was last submitted, if ever.
    pub fn submitted_at(&self) -> Option<Timestamp> {
        self.history
            .iter()
            .rev()
            .find(|t| t.to == Status::Pending)
            .map(|t| t.at)
    }

    /// When the current decision was made, if it has one.
    pub fn decided_at(&self) -> Option<Timestamp> {
        match self.status {
            Status::Passed | Status::Failed => self.history.last().map(|t| t.at),
            _ => None,
        }
    }

    /// Whether its details and scans may be changed: only before submission or after a failure.
    /// A Pending document is under review, and a Passed one is what numbers rely on.
    pub fn editable(&self) -> bool {
        matches!(self.status, Status::Draft | Status::Failed)
    }

    /// Replaces details, scans and address, if the status allows it.
    pub fn edit(
        &mut self,
        details: BTreeMap<String, String>,
        files: Vec<SupportingFile>,
        address_sid: Option<AddressSid>,
    ) -> Result<(), Problem> {
        if !self.editable() {
            return Err(Problem::general(
                codes::NOT_ALLOWED,
                format!("A {} document cannot be edited.", self.status.label()),
            ));
        }
        self.details = details;
        self.files = files;
        self.address_sid = address_sid;
        Ok(())
    }

    fn transition(&mut self, at: Timestamp, to: Status, cause: &str, reasons: Vec<Problem>) {
        self.history.push(Transition {
            at,
            from: self.status,
            to,
            cause: cause.to_string(),
            reasons: reasons.clone(),
        });
        self.status = to;
        self.reasons = reasons;
    }

    /// Sends it to review: a Draft is submitted, a Failed one resubmitted (its old decision stays
    /// in the history).
    pub fn submit(&mut self, at: Timestamp) -> Result<(), Problem> {
        let cause = match self.status {
            Status::Draft => "submitted",
            Status::Failed => "resubmitted",
            other => {
                return Err(Problem::general(
                    codes::NOT_ALLOWED,
                    format!("A {} document cannot be submitted again.", other.label()),
                ));
            }
        };
        self.transition(at, Status::Pending, cause, Vec::new());
        Ok(())
    }

    /// Records the reviewer's decision: Passed when there are no reasons, Failed otherwise.
    /// Only a Pending document can be decided, which is what makes a decision happen once.
    pub fn decide(
        &mut self,
        at: Timestamp,
        reasons: Vec<Problem>,
        cause: &str,
    ) -> Result<Status, Problem> {
        if self.status != Status::Pending {
            return Err(Problem::general(
                codes::NOT_ALLOWED,
                format!(
                    "Only a Pending document can be decided; this one is {}.",
                    self.status.label()
                ),
            ));
        }
        let to = if reasons.is_empty() {
            Status::Passed
        } else {
            Status::Failed
        };
        self.transition(at, to, cause, reasons);
        Ok(to)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::kinds::{Country, NumberType};

    pub(crate) fn sample() -> IdentityDocument {
        IdentityDocument {
            sid: IdentitySid::from_bytes([3; 16]),
            end_user_type: EndUserType::Business,
            regulation: RegulationKey {
                country: Country::DE,
                number_type: NumberType::Local,
                end_user_type: EndUserType::Business,
            },
            intended_area: Some("4930".into()),
            details: BTreeMap::from([("business_name".to_string(), "Acme GmbH".to_string())]),
            files: vec![],
            address_sid: None,
            status: Status::Draft,
            reasons: vec![],
            history: vec![],
            created: Timestamp(0),
        }
    }

    #[test]
    fn lifecycle_keeps_every_decision() {
        let mut d = sample();
        assert_eq!(d.display_name(), "Acme GmbH");
        d.submit(Timestamp(10)).unwrap();
        assert!(!d.editable());
        assert!(
            d.edit(BTreeMap::new(), vec![], None).is_err(),
            "a Pending document cannot be edited"
        );
        assert!(d.submit(Timestamp(11)).is_err());
        let reasons = vec![Problem::at(codes::NAME_MISMATCH, "file:0", "differs")];
        assert_eq!(
            d.decide(Timestamp(20), reasons, "reviewed").unwrap(),
            Status::Failed
        );
        assert!(
            d.decide(Timestamp(21), vec![], "reviewed").is_err(),
            "decided once"
        );
        assert!(d.editable());
        d.submit(Timestamp(30)).unwrap();
        assert_eq!(d.history[2].cause, "resubmitted");
        assert_eq!(
            d.decide(Timestamp(40), vec![], "reviewed").unwrap(),
            Status::Passed
        );
        assert!(d.reasons.is_empty());
        assert_eq!(d.history.len(), 4);
        assert_eq!(d.history[1].reasons[0].code, codes::NAME_MISMATCH);
        assert_eq!(d.submitted_at(), Some(Timestamp(30)));
        assert_eq!(d.decided_at(), Some(Timestamp(40)));
        assert!(
            d.edit(BTreeMap::new(), vec![], None).is_err(),
            "a Passed document cannot be edited"
        );
    }
}
