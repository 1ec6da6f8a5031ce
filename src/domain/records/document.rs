//! Identity documents: the person or company behind the numbers, the details a regulation asks
//! for, the scans that prove them, and the verification status with its history.

use std::collections::BTreeMap;

use crate::domain::time::calendar::Date;
use serde::{Deserialize, Serialize};

use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::kinds::EndUserType;
use crate::domain::records::sid::{AddressSid, EntitySid, IdentitySid};
use crate::domain::rules::problem::{Problem, codes};
use crate::domain::rules::regulation::{DocumentType, RegulationKey};
use crate::domain::time::Timestamp;

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
    /// It passed, then its renewal passed: its numbers moved to the renewal, and it no longer
    /// counts. Kept for its history.
    Replaced,
}

impl Status {
    /// The word the status badge shows.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Pending => "Pending",
            Status::Passed => "Passed",
            Status::Failed => "Failed",
            Status::Replaced => "Replaced",
        }
    }

    /// The machine name, used in CSS classes, indexes and callbacks.
    pub fn slug(&self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Pending => "pending",
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Replaced => "replaced",
        }
    }
}

/// Where a document stands on a given day: its stored [`Status`], except that a Passed document
/// whose explicit end date is behind it reads *Expired*. Only the badge and the rules read this;
/// the stored status stays Passed, since expiry is a matter of the calendar, not of review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// As stored: Draft, Pending, Passed (and still counting) or Failed.
    Status(Status),
    /// Passed, but its last day is behind it.
    Expired(Expiry),
}

impl Standing {
    /// The word the badge shows.
    pub fn label(&self) -> &'static str {
        match self {
            Standing::Status(s) => s.label(),
            Standing::Expired(_) => "Expired",
        }
    }

    /// The machine name, for CSS classes.
    pub fn slug(&self) -> &'static str {
        match self {
            Standing::Status(s) => s.slug(),
            Standing::Expired(_) => "expired",
        }
    }
}

/// How many days ahead a Passed document's end is announced: the overview and the documents list
/// warn at each of these, nearest first.
pub const EXPIRY_WARNINGS: [i64; 3] = [7, 30, 90];

/// How many days ahead a document's end is first announced: the longest warning.
pub const ANNOUNCED_DAYS: i64 = EXPIRY_WARNINGS[EXPIRY_WARNINGS.len() - 1];

/// A Passed document's valid-until after a change to its regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidUntil {
    /// The last day it counts: the change's first day plus its grace.
    pub last_day: Date,
    /// The change's first day.
    pub effective: Date,
}

/// What ends a Passed document's validity on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryCause {
    /// The expiry date its scan shows (an ID card, a passport).
    Scan(DocumentType),
    /// Its valid-until: the regulation changed from this day, and the document passed under
    /// the rules before and does not meet the new ones.
    RegulationChange {
        /// The change's first day.
        effective: Date,
    },
}

/// The last day a Passed document counts, and why. An age limit ("issued within the last three
/// months") is not one: it is judged when the scan is reviewed, and never revokes a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// The last day it counts; it stops counting the day after.
    pub last_day: Date,
    /// What sets that day.
    pub cause: ExpiryCause,
}

impl Expiry {
    /// Why it ends then, for a sentence: "the expiry date on its Passport".
    pub fn why(&self) -> String {
        match self.cause {
            ExpiryCause::Scan(t) => format!("the expiry date on its {}", t.label()),
            ExpiryCause::RegulationChange { effective } => {
                format!("its valid-until after the regulation change of {effective}")
            }
        }
    }

    /// Whether it has ended by `today`.
    pub fn ended(&self, today: Date) -> bool {
        self.last_day < today
    }

    /// Whether its end is announced on `today`: within [`ANNOUNCED_DAYS`] (the list's amber
    /// mark, the *Expiring* filter and the document's own notice; the overview counts the same
    /// range by index).
    pub fn announced(&self, today: Date) -> bool {
        self.days_left(today) <= ANNOUNCED_DAYS
    }

    /// Whole days from `today` to its last day (0 on the last day, negative once ended).
    pub fn days_left(&self, today: Date) -> i64 {
        self.last_day.unix_days() - today.unix_days()
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
    /// With a failure: the scans a reason was about, as they were declared then. The same file
    /// declared to show something else is refused again (see `evaluation`): only a new file can
    /// show something new.
    #[serde(default)]
    pub refused: Vec<RefusedScan>,
    /// With a submission: when its review is due (the submitting machine's demo speed). Every
    /// machine of a team that holds the document queues it for that time, and decides it the
    /// same way, so a decision does not wait for the one machine that submitted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Timestamp>,
}

/// A scan a failed review gave a reason about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedScan {
    /// The file's SHA-256.
    pub sha256: String,
    /// What it was declared to show when it was refused.
    pub shows: ScanShows,
    /// The first reason's code.
    pub code: u32,
}

/// The longest friendly name, in characters: Twilio's limit for a regulatory address's friendly
/// name, which keeps a name whole in a drop-down.
pub const NAME_MAX: usize = 64;

/// A friendly name as typed, trimmed; refused when empty or longer than [`NAME_MAX`].
pub fn checked_name(typed: &str) -> Result<String, Problem> {
    let name = typed.trim();
    let length = name.chars().count();
    if name.is_empty() {
        return Err(Problem::at(
            codes::INVALID_VALUE,
            "name",
            "Give the document a name, so lists and drop-downs can tell it from the others.",
        ));
    }
    if length > NAME_MAX {
        return Err(Problem::at(
            codes::INVALID_VALUE,
            "name",
            format!("The name is {length} characters long; the limit is {NAME_MAX}."),
        ));
    }
    Ok(name.to_string())
}

/// Who the details name: the business name, or first and last name.
pub fn holder(details: &BTreeMap<String, String>) -> String {
    let get = |k: &str| details.get(k).map(|v| v.trim()).unwrap_or("");
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

/// The name a document is given until someone renames it: who, the regulation in short and the
/// local area, e.g. "Nordlicht GmbH — DE local, Köln". Five documents of one company for five
/// areas read apart, which the holder's name alone does not. Shortened to [`NAME_MAX`] at the
/// holder.
pub fn proposed_name(holder: &str, regulation: RegulationKey, area: Option<&str>) -> String {
    let mut rest = format!(
        " — {} {}",
        regulation.country.code(),
        regulation.number_type.label().to_lowercase()
    );
    if let Some(area) = area {
        rest.push_str(", ");
        rest.push_str(area);
    }
    let room = NAME_MAX.saturating_sub(rest.chars().count());
    let holder = if holder.chars().count() > room {
        let mut cut: String = holder.chars().take(room.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        holder.to_string()
    };
    holder + &rest
}

/// The renewal of `original` still under way (a Draft, Pending or Failed copy that renews it),
/// if any: a document has one renewal at a time, so *Renew* opens it instead of a second one.
pub fn open_renewal(
    documents: &[IdentityDocument],
    original: IdentitySid,
) -> Option<&IdentityDocument> {
    documents.iter().find(|d| {
        d.renews == Some(original)
            && matches!(d.status, Status::Draft | Status::Pending | Status::Failed)
    })
}

/// An identity document: the end user, their details, their scans and where review stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityDocument {
    /// Its SID.
    pub sid: IdentitySid,
    /// What people call it in lists and drop-downs (Twilio's `FriendlyName`): proposed from
    /// who, regulation and area ([`IdentityDocument::proposed_name`]), renamed at any time.
    /// Empty only in records written before names existed, until the upgrade names them.
    #[serde(default)]
    pub name: String,
    /// Individual or business.
    pub end_user_type: EndUserType,
    /// The entity it is for, whose details it started from.
    #[serde(default)]
    pub entity_sid: Option<EntitySid>,
    /// The regulation it was prepared for (the number the customer intends to buy).
    pub regulation: RegulationKey,
    /// For local numbers, the area (E.164 prefix digits) of the intended number, whose local
    /// rule the address must meet.
    #[serde(default)]
    pub intended_area: Option<String>,
    /// That area's name ("Köln"), kept with the prefix so that a list can name it without the
    /// numbering plan, the largest data in the app (a split point's download). Set wherever
    /// the plan is at hand: the form, the upgrade, an import, the demo.
    #[serde(default)]
    pub area_name: Option<String>,
    /// The entered details, by field name.
    pub details: BTreeMap<String, String>,
    /// The scans.
    pub files: Vec<SupportingFile>,
    /// The address on file for it, where the regulation asks for one.
    #[serde(default)]
    pub address_sid: Option<AddressSid>,
    /// Where review stands.
    pub status: Status,
    /// For a renewal: the Passed document it replaces once it passes itself.
    #[serde(default)]
    pub renews: Option<IdentitySid>,
    /// For a Replaced document: the renewal that replaced it.
    #[serde(default)]
    pub replaced_by: Option<IdentitySid>,
    /// The last day a Passed document counts because its regulation changed after it passed
    /// (Twilio's `valid_until`): the change's first day plus its grace. Set by
    /// `set_valid_until` (in `evaluation`, the home of requirement checks).
    #[serde(default)]
    pub valid_until: Option<ValidUntil>,
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
    /// The name lists, drop-downs and the log show: its friendly name, or who it is for a record
    /// that has none.
    pub fn display_name(&self) -> String {
        match self.name.trim() {
            "" => self.holder(),
            name => name.to_string(),
        }
    }

    /// Its name with its status, "Nordlicht GmbH — DE local, Köln (Failed)": how drop-downs and
    /// log entries name a document, so a failed one and its successor read apart.
    pub fn name_and_status(&self) -> String {
        format!("{} ({})", self.display_name(), self.status.label())
    }

    /// Names its intended area from the numbering plan ([`IdentityDocument::area_name`]).
    pub fn name_area(&mut self, plan: &NumberingPlan) {
        self.area_name = self
            .intended_area
            .as_deref()
            .and_then(|p| plan.area(p))
            .map(|a| a.name.clone());
    }

    /// The name it would be given ([`proposed_name`]), its area named by the numbering plan.
    pub fn propose_name(&self, plan: &NumberingPlan) -> String {
        let area = self.intended_area.as_deref().and_then(|p| plan.area(p));
        proposed_name(
            &self.holder(),
            self.regulation,
            area.map(|a| a.name.as_str()),
        )
    }

    /// Who it is for: the business name, or first and last name.
    pub fn holder(&self) -> String {
        holder(&self.details)
    }

    /// The last day it counts once Passed, if anything ends it: the earliest of the expiry dates
    /// its scans show and its valid-until.
    pub fn expiry(&self) -> Option<Expiry> {
        self.files
            .iter()
            .filter_map(|f| {
                f.shows.expiry_date.map(|last_day| Expiry {
                    last_day,
                    cause: ExpiryCause::Scan(f.document_type),
                })
            })
            .chain(self.valid_until.map(|v| Expiry {
                last_day: v.last_day,
                cause: ExpiryCause::RegulationChange {
                    effective: v.effective,
                },
            }))
            .min_by_key(|e| e.last_day)
    }

    /// Rejects a Passed document whose valid-until is behind `at`, as Twilio turns such a bundle
    /// `twilio-rejected`: it becomes Failed, with the reason, so it can be corrected under the new
    /// rules and resubmitted. Returns whether it did.
    pub fn reject_after_valid_until(&mut self, at: Timestamp) -> bool {
        let Some(ValidUntil {
            last_day,
            effective,
        }) = self.valid_until
        else {
            return false;
        };
        if self.status != Status::Passed || last_day >= at.date_utc() {
            return false;
        }
        let reason = Problem::general(
            codes::EXPIRED,
            format!(
                "Valid until {last_day}: the regulation changed on {effective}, and it was not renewed under the new rules in time."
            ),
        );
        self.transition(
            at,
            Status::Failed,
            "rejected after valid-until",
            vec![reason],
        );
        true
    }

    /// Where it stands on `today`: Expired once a Passed document's last day is behind it.
    pub fn standing(&self, today: Date) -> Standing {
        match self.expiry() {
            Some(e) if self.status == Status::Passed && e.ended(today) => Standing::Expired(e),
            _ => Standing::Status(self.status),
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

    /// When the review of its current submission is due, if it is Pending and its submission
    /// said (see [`Transition::due`]).
    pub fn review_due(&self) -> Option<Timestamp> {
        match (self.status, self.history.last()) {
            (Status::Pending, Some(t)) if t.to == Status::Pending => t.due,
            _ => None,
        }
    }

    /// Records when the review of its current submission is due; nothing unless it is Pending.
    pub fn set_review_due(&mut self, due: Timestamp) {
        if let (Status::Pending, Some(t)) = (self.status, self.history.last_mut()) {
            t.due = Some(due);
        }
    }

    /// How long the review of its current submission takes, in business minutes: drawn from the
    /// domain's seeded distribution, seeded by the document and how often it was submitted, so
    /// every machine draws the same and a resubmission draws anew.
    pub fn review_delay_minutes(&self) -> i64 {
        crate::domain::time::clock::review_delay_minutes(
            self.sid.seed() ^ self.history.len() as u64,
        )
    }

    /// When the current decision was made, if it has one.
    pub fn decided_at(&self) -> Option<Timestamp> {
        match self.status {
            Status::Passed | Status::Failed | Status::Replaced => self.history.last().map(|t| t.at),
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
        let refused = self
            .files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let field = format!("file:{i}");
                let reason = reasons
                    .iter()
                    .find(|r| r.field.as_deref() == Some(field.as_str()))?;
                Some(RefusedScan {
                    sha256: f.sha256.clone(),
                    shows: f.shows.clone(),
                    code: reason.code,
                })
            })
            .collect();
        self.history.push(Transition {
            at,
            from: self.status,
            to,
            cause: cause.to_string(),
            reasons: reasons.clone(),
            refused,
            due: None,
        });
        self.status = to;
        self.reasons = reasons;
    }

    /// A Draft with the same holder, details, scans and address, to be changed for another area or
    /// regulation (*Use as a starting point*). Its name is left to be proposed anew, since the
    /// area it is for usually changes.
    pub fn starting_point(&self, sid: IdentitySid, at: Timestamp) -> IdentityDocument {
        IdentityDocument {
            sid,
            name: String::new(),
            status: Status::Draft,
            renews: None,
            replaced_by: None,
            valid_until: None,
            reasons: Vec::new(),
            history: Vec::new(),
            created: at,
            ..self.clone()
        }
    }

    /// A Draft copy that will replace this Passed (or expired) document once it passes review
    /// itself, keeping the same regulation and area so that its numbers can move to it; the
    /// original keeps counting meanwhile.
    pub fn renewal(&self, sid: IdentitySid, at: Timestamp) -> Result<IdentityDocument, Problem> {
        if self.status != Status::Passed {
            return Err(Problem::general(
                codes::NOT_ALLOWED,
                format!(
                    "Only a Passed document can be renewed; this one is {}.",
                    self.status.label()
                ),
            ));
        }
        Ok(IdentityDocument {
            name: self.name.clone(),
            renews: Some(self.sid),
            ..self.starting_point(sid, at)
        })
    }

    /// Marks it Replaced by `renewal`, which just passed: a Passed document only, once.
    pub fn replace(&mut self, at: Timestamp, renewal: IdentitySid) -> Result<(), Problem> {
        if self.status != Status::Passed {
            return Err(Problem::general(
                codes::NOT_ALLOWED,
                format!(
                    "Only a Passed document can be replaced; this one is {}.",
                    self.status.label()
                ),
            ));
        }
        self.transition(at, Status::Replaced, "replaced by its renewal", Vec::new());
        self.replaced_by = Some(renewal);
        Ok(())
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
    use crate::domain::records::kinds::{Country, NumberType};

    pub(crate) fn sample() -> IdentityDocument {
        IdentityDocument {
            sid: IdentitySid::from_bytes([3; 16]),
            name: String::new(),
            end_user_type: EndUserType::Business,
            entity_sid: None,
            regulation: RegulationKey {
                country: Country::DE,
                number_type: NumberType::Local,
                end_user_type: EndUserType::Business,
            },
            intended_area: Some("4930".into()),
            area_name: None,
            details: BTreeMap::from([("business_name".to_string(), "Acme GmbH".to_string())]),
            files: vec![],
            address_sid: None,
            status: Status::Draft,
            renews: None,
            replaced_by: None,
            valid_until: None,
            reasons: vec![],
            history: vec![],
            created: Timestamp(0),
        }
    }

    /// A passport scan that shows it expires on `last_day`.
    pub(crate) fn passport_expiring(last_day: &str) -> SupportingFile {
        SupportingFile {
            document_type: DocumentType::Passport,
            file_name: "passport.png".into(),
            mime_type: "image/png".into(),
            size: 1000,
            sha256: "0".repeat(64),
            pixels: Some((1200, 900)),
            shows: ScanShows {
                expiry_date: Some(last_day.parse().unwrap()),
                ..ScanShows::default()
            },
        }
    }

    #[test]
    fn an_explicit_date_ends_a_decision_and_the_badge_says_so() {
        let mut d = sample();
        d.files = vec![
            passport_expiring("2027-03-01"),
            passport_expiring("2028-01-01"),
        ];
        let expiry = d.expiry().unwrap();
        assert_eq!(
            expiry.last_day.to_string(),
            "2027-03-01",
            "the earliest date"
        );
        assert_eq!(expiry.why(), "the expiry date on its Passport");
        let day = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(expiry.days_left(day("2027-02-27")), 2);
        assert_eq!(
            d.standing(day("2027-03-02")),
            Standing::Status(Status::Draft),
            "only Passed expires"
        );
        d.submit(Timestamp(1)).unwrap();
        d.decide(Timestamp(2), vec![], "reviewed").unwrap();
        assert_eq!(
            d.standing(day("2027-03-01")).label(),
            "Passed",
            "its last day still counts"
        );
        assert_eq!(d.standing(day("2027-03-02")).label(), "Expired");
        assert_eq!(d.standing(day("2027-03-02")).slug(), "expired");
    }

    #[test]
    fn a_renewal_copies_everything_and_replaces_its_original_once() {
        let mut original = sample();
        original.name = "Acme Berlin".into();
        original.files = vec![passport_expiring("2027-03-01")];
        assert!(
            original
                .renewal(IdentitySid::from_bytes([4; 16]), Timestamp(5))
                .is_err()
        );
        original.submit(Timestamp(1)).unwrap();
        original.decide(Timestamp(2), vec![], "reviewed").unwrap();
        let renewal = original
            .renewal(IdentitySid::from_bytes([4; 16]), Timestamp(5))
            .unwrap();
        assert_eq!(renewal.renews, Some(original.sid));
        assert_eq!(
            (renewal.status, renewal.history.len(), renewal.created),
            (Status::Draft, 0, Timestamp(5))
        );
        assert_eq!(
            (&renewal.name, &renewal.details, &renewal.files),
            (&original.name, &original.details, &original.files)
        );
        assert_eq!(
            (
                renewal.regulation,
                &renewal.intended_area,
                renewal.address_sid
            ),
            (
                original.regulation,
                &original.intended_area,
                original.address_sid
            )
        );
        let start = original.starting_point(IdentitySid::from_bytes([5; 16]), Timestamp(6));
        assert_eq!((start.renews, start.name.as_str()), (None, ""));
        original.replace(Timestamp(9), renewal.sid).unwrap();
        assert_eq!(original.status, Status::Replaced);
        assert_eq!(original.replaced_by, Some(renewal.sid));
        assert_eq!(original.decided_at(), Some(Timestamp(9)));
        assert_eq!(original.history.len(), 3, "its history kept");
        assert!(
            original.replace(Timestamp(10), renewal.sid).is_err(),
            "once"
        );
        assert!(!original.editable());
    }

    #[test]
    fn one_renewal_is_open_at_a_time() {
        let mut original = sample();
        original.submit(Timestamp(1)).unwrap();
        original.decide(Timestamp(2), vec![], "reviewed").unwrap();
        let mut renewal = original
            .renewal(IdentitySid::from_bytes([4; 16]), Timestamp(5))
            .unwrap();
        let other = sample();
        let docs = |r: &IdentityDocument| vec![original.clone(), other.clone(), r.clone()];
        assert_eq!(
            open_renewal(&docs(&renewal), original.sid).map(|d| d.sid),
            Some(renewal.sid)
        );
        renewal.submit(Timestamp(6)).unwrap();
        assert!(
            open_renewal(&docs(&renewal), original.sid).is_some(),
            "Pending"
        );
        renewal.decide(Timestamp(7), vec![], "reviewed").unwrap();
        assert!(
            open_renewal(&docs(&renewal), original.sid).is_none(),
            "Passed: done"
        );
        assert!(open_renewal(&docs(&renewal), other.sid).is_none());
    }

    #[test]
    fn names_are_proposed_from_who_regulation_and_area() {
        let mut d = sample();
        assert_eq!(d.display_name(), "Acme GmbH", "no name yet: who it is for");
        let propose = |d: &IdentityDocument, area| proposed_name(&d.holder(), d.regulation, area);
        assert_eq!(propose(&d, Some("Köln")), "Acme GmbH — DE local, Köln");
        assert_eq!(propose(&d, None), "Acme GmbH — DE local");
        assert_eq!(
            d.propose_name(NumberingPlan::builtin()),
            "Acme GmbH — DE local, Berlin",
            "the area named by the plan"
        );
        d.details.insert("business_name".into(), "N".repeat(80));
        let long = propose(&d, Some("Frankfurt am Main"));
        assert_eq!(long.chars().count(), NAME_MAX);
        assert!(long.ends_with("… — DE local, Frankfurt am Main"), "{long}");
        d.name = "Köln register excerpt".into();
        assert_eq!(d.display_name(), "Köln register excerpt");
        assert_eq!(checked_name("  Köln  ").unwrap(), "Köln");
        assert!(checked_name("   ").is_err());
        assert!(checked_name(&"x".repeat(NAME_MAX)).is_ok());
        let too_long = checked_name(&"ü".repeat(NAME_MAX + 1)).unwrap_err();
        assert!(
            too_long.message.contains("65 characters"),
            "{}",
            too_long.message
        );
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
