//! The activity log: every state change, with its time and cause, and the status callback a
//! webhook would receive for it.

use serde::{Deserialize, Serialize};

use crate::domain::phone::e164::E164;
use crate::domain::records::address::Address;
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid};
use crate::domain::rules::compliance::Compliance;
use crate::domain::rules::problem::Problem;
use crate::domain::time::Timestamp;
use crate::domain::wording::plural;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// An identity document was created.
    DocumentCreated,
    /// An identity document changed status (a status callback).
    DocumentStatus,
    /// An identity document was deleted.
    DocumentDeleted,
    /// An identity document was given another name.
    DocumentRenamed,
    /// A renewal passed and replaced its original, whose numbers moved to it.
    DocumentReplaced,
    /// An address was created.
    AddressCreated,
    /// An address was changed.
    AddressUpdated,
    /// An address was deleted.
    AddressDeleted,
    /// A number was bought.
    NumberBought,
    /// A number's mapping changed.
    NumberMapped,
    /// A number was released.
    NumberReleased,
    /// A number's label changed.
    NumberLabelled,
    /// Numbers were imported.
    NumbersImported,
    /// The workspace was reset, restored or filled with demo data.
    Workspace,
}

impl EventKind {
    /// Every kind, in the order the filter lists them.
    pub const ALL: [EventKind; 14] = [
        EventKind::DocumentCreated,
        EventKind::DocumentStatus,
        EventKind::DocumentRenamed,
        EventKind::DocumentReplaced,
        EventKind::DocumentDeleted,
        EventKind::AddressCreated,
        EventKind::AddressUpdated,
        EventKind::AddressDeleted,
        EventKind::NumberBought,
        EventKind::NumberMapped,
        EventKind::NumberLabelled,
        EventKind::NumberReleased,
        EventKind::NumbersImported,
        EventKind::Workspace,
    ];

    /// The label the activity filter shows.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::DocumentCreated => "Document created",
            EventKind::DocumentStatus => "Document status",
            EventKind::DocumentDeleted => "Document deleted",
            EventKind::DocumentRenamed => "Document renamed",
            EventKind::DocumentReplaced => "Document renewed",
            EventKind::AddressCreated => "Address created",
            EventKind::AddressUpdated => "Address updated",
            EventKind::AddressDeleted => "Address deleted",
            EventKind::NumberBought => "Number bought",
            EventKind::NumberMapped => "Number mapped",
            EventKind::NumberReleased => "Number released",
            EventKind::NumberLabelled => "Number labelled",
            EventKind::NumbersImported => "Numbers imported",
            EventKind::Workspace => "Workspace",
        }
    }
}

/// Who or what made a change: what the log filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Someone using the console.
    User,
    /// The (simulated) reviewer: decisions, and rejections when a document's validity ended.
    Reviewer,
    /// An import: a backup restored or merged, the demo, a CSV of numbers.
    Import,
}

impl Source {
    /// Every source, in the order the filter lists them.
    pub const ALL: [Source; 3] = [Source::User, Source::Reviewer, Source::Import];

    /// The word the filter and the export use.
    pub fn label(self) -> &'static str {
        match self {
            Source::User => "User",
            Source::Reviewer => "Reviewer",
            Source::Import => "Import",
        }
    }
}

/// One entry of the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Its SID.
    pub sid: EventSid,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
    /// The SID of the record it is about, as text.
    pub subject: String,
    /// One line for the log.
    pub summary: String,
    /// For status changes, the callback body a webhook would receive.
    #[serde(default)]
    pub callback: Option<StatusCallback>,
    /// For a bulk mapping and its undo: every number's mapping before and after, which an undo
    /// restores and the log expands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulk: Option<BulkChanges>,
}

/// What a number is mapped to, as a bulk entry records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MappingPair {
    /// The identity document.
    #[serde(default)]
    pub identity: Option<IdentitySid>,
    /// The address.
    #[serde(default)]
    pub address: Option<AddressSid>,
}

impl MappingPair {
    /// A number's mapping now.
    pub fn of(number: &PhoneNumber) -> MappingPair {
        MappingPair {
            identity: number.identity_sid,
            address: number.address_sid,
        }
    }
}

/// One number's mapping before and after a bulk action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingChange {
    /// The number.
    pub number: NumberSid,
    /// The number as written, so the entry still names it after the number is gone.
    pub e164: E164,
    /// Its mapping before.
    pub before: MappingPair,
    /// Its mapping after.
    pub after: MappingPair,
}

/// A bulk entry's changes and what became of them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BulkChanges {
    /// Every number changed.
    pub changes: Vec<MappingChange>,
    /// For an undo: the entry it undid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<EventSid>,
    /// For an entry that was undone: the undo's entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undone_by: Option<EventSid>,
}

/// What the log shows: entries matching the text ([`Event::matches`]), of one kind, from one
/// source, between two days (UTC, both included).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogFilter {
    /// Text in the summary, kind or subject, or a number changed.
    pub text: String,
    /// One kind only.
    pub kind: Option<EventKind>,
    /// One source only.
    pub source: Option<Source>,
    /// From this day.
    pub from: Option<crate::domain::time::calendar::Date>,
    /// To this day.
    pub to: Option<crate::domain::time::calendar::Date>,
}

impl LogFilter {
    /// Whether the log shows `event`.
    pub fn matches(&self, event: &Event) -> bool {
        let day = event.at.date_utc();
        self.kind.is_none_or(|k| k == event.kind)
            && self.source.is_none_or(|s| s == event.source())
            && self.from.is_none_or(|f| day >= f)
            && self.to.is_none_or(|t| day <= t)
            && event.matches(&self.text)
    }

    /// Why the filter cannot show anything, if so: a range that ends before it starts.
    pub fn problem(&self) -> Option<String> {
        match (self.from, self.to) {
            (Some(f), Some(t)) if t < f => Some(format!(
                "The range ends ({t}) before it starts ({f}); nothing can match."
            )),
            _ => None,
        }
    }
}

/// The body of a status callback for an identity document, as a webhook would receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCallback {
    /// The document's SID.
    pub identity_sid: String,
    /// The status before.
    pub previous_status: Status,
    /// The status now.
    pub status: Status,
    /// ISO 8601 time of the change.
    pub date_updated: String,
    /// The failure reasons, when it failed.
    pub failure_reasons: Vec<Problem>,
    /// The regulation it was prepared for.
    pub regulation: String,
}

impl StatusCallback {
    /// The callback for the document's last transition.
    pub fn of(document: &IdentityDocument) -> Option<StatusCallback> {
        let last = document.history.last()?;
        Some(StatusCallback {
            identity_sid: document.sid.to_string(),
            previous_status: last.from,
            status: last.to,
            date_updated: last.at.to_iso(),
            failure_reasons: last.reasons.clone(),
            regulation: document.regulation.stable_name(),
        })
    }

    /// The JSON body, pretty-printed for the activity page.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Event {
    /// The entry a number's new mapping leaves: the number as people read it, what it is mapped
    /// to now, and what that makes it. (It was `+4930… mapped: noncompliant`, which named
    /// neither the document nor the address.)
    pub fn number_mapped(
        sid: EventSid,
        at: Timestamp,
        number: &PhoneNumber,
        document: Option<&IdentityDocument>,
        address: Option<&Address>,
        compliance: &Compliance,
    ) -> Event {
        let to: Vec<String> = document
            .map(|d| d.name_and_status())
            .into_iter()
            .chain(address.map(Address::label))
            .collect();
        Event {
            sid,
            at,
            kind: EventKind::NumberMapped,
            subject: number.sid.to_string(),
            summary: format!(
                "{} mapped to {}: {}",
                number.e164.format_grouped(),
                if to.is_empty() {
                    "nothing".to_string()
                } else {
                    to.join(" and ")
                },
                compliance.label()
            ),
            callback: None,
            bulk: None,
        }
    }

    /// Who or what made the change: a status change out of review is the reviewer's, a restore,
    /// the demo or a CSV import is an import, everything else someone's action.
    pub fn source(&self) -> Source {
        match (self.kind, &self.callback) {
            (EventKind::NumbersImported | EventKind::Workspace, _) => Source::Import,
            (EventKind::DocumentStatus, Some(c))
                if matches!(c.previous_status, Status::Pending | Status::Passed)
                    && matches!(c.status, Status::Passed | Status::Failed) =>
            {
                Source::Reviewer
            }
            _ => Source::User,
        }
    }

    /// The numbers the entry is about: its subject when that is a number, and every number a bulk
    /// entry changed. The store indexes them, so a number's page finds its whole history.
    pub fn numbers(&self) -> Vec<NumberSid> {
        let mut out: Vec<NumberSid> = self.subject.parse().ok().into_iter().collect();
        out.extend(
            self.bulk
                .iter()
                .flat_map(|b| b.changes.iter().map(|c| c.number)),
        );
        out.sort_unstable_by_key(|s| s.bytes());
        out.dedup();
        out
    }

    /// Whether the entry matches a search of the log: its summary, kind or subject contains the
    /// text, ignoring case and spaces, so `+49 30` finds `+49302345678` and `+49 30 2345678`;
    /// a bulk entry is found by the numbers it changed too.
    pub fn matches(&self, text: &str) -> bool {
        let squeeze = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let wanted = squeeze(text);
        // A bulk entry is found by any of its numbers, as written or as stored.
        let digits = wanted.trim_start_matches('+');
        wanted.is_empty()
            || [
                self.summary.as_str(),
                self.kind.label(),
                self.subject.as_str(),
            ]
            .into_iter()
            .any(|field| squeeze(field).contains(&wanted))
            || (!digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
                && self
                    .bulk
                    .iter()
                    .flat_map(|b| &b.changes)
                    .any(|c| c.e164.digits().contains(digits)))
    }

    /// The entry a new label leaves: the number and both labels.
    pub fn number_labelled(sid: EventSid, at: Timestamp, number: &PhoneNumber, old: &str) -> Event {
        let shown = |l: &str| {
            if l.is_empty() {
                "no label".to_string()
            } else {
                format!("\u{201c}{l}\u{201d}")
            }
        };
        Event {
            sid,
            at,
            kind: EventKind::NumberLabelled,
            subject: number.sid.to_string(),
            summary: format!(
                "{} relabelled from {} to {}",
                number.e164.format_grouped(),
                shown(old),
                shown(&number.friendly_name)
            ),
            callback: None,
            bulk: None,
        }
    }

    /// The entry a rename leaves: both names, so the log can still be searched by the old one.
    pub fn document_renamed(
        sid: EventSid,
        at: Timestamp,
        document: &IdentityDocument,
        old_name: &str,
    ) -> Event {
        Event {
            sid,
            at,
            kind: EventKind::DocumentRenamed,
            subject: document.sid.to_string(),
            summary: format!("\"{old_name}\" renamed to \"{}\"", document.display_name()),
            callback: None,
            bulk: None,
        }
    }

    /// The one entry a passed renewal leaves: which document it replaced and every number that
    /// moved to it (so "which numbers moved" is answered in the log, not only on the pages).
    pub fn document_replaced(
        sid: EventSid,
        at: Timestamp,
        renewal: &IdentityDocument,
        original: &IdentityDocument,
        moved: &[PhoneNumber],
    ) -> Event {
        let numbers = if moved.is_empty() {
            "no numbers were mapped to it".to_string()
        } else {
            let list: Vec<String> = moved.iter().map(|n| n.e164.format_grouped()).collect();
            format!(
                "{} moved: {}",
                plural(moved.len(), "number", "numbers"),
                list.join(", ")
            )
        };
        Event {
            sid,
            at,
            kind: EventKind::DocumentReplaced,
            subject: renewal.sid.to_string(),
            summary: format!(
                "\"{}\" renewed by {}; {numbers}",
                original.display_name(),
                renewal.sid
            ),
            callback: None,
            bulk: None,
        }
    }

    /// The event recording a document's last status change, with its callback.
    pub fn document_status(sid: EventSid, document: &IdentityDocument) -> Option<Event> {
        let callback = StatusCallback::of(document)?;
        let last = document.history.last()?;
        let mut summary = format!(
            "{} {}: {} → {}",
            document.display_name(),
            last.cause,
            last.from.label(),
            last.to.label()
        );
        if !last.reasons.is_empty() {
            let codes: Vec<String> = last.reasons.iter().map(|r| r.code.to_string()).collect();
            summary.push_str(&format!(" ({})", codes.join(", ")));
        }
        Some(Event {
            sid,
            at: last.at,
            kind: EventKind::DocumentStatus,
            subject: document.sid.to_string(),
            summary,
            callback: Some(callback),
            bulk: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::e164::E164;
    use crate::domain::phone::numbering::NumberingPlan;
    use crate::domain::records::document::tests::sample;
    use crate::domain::records::sid::NumberSid;

    /// Regression: a mapping was logged as `+49302345678 mapped: noncompliant`, and the log's
    /// filter did not find it by the number as the console writes it (`+49 30`).
    #[test]
    fn a_mapping_entry_names_what_was_mapped_and_is_found_as_numbers_are_written() {
        let e164 = E164::parse("+49302345678").unwrap();
        let class = NumberingPlan::builtin().classify(&e164).unwrap();
        let number = PhoneNumber::new(NumberSid::from_bytes([7; 16]), e164, class, Timestamp(0));
        let mut document = sample();
        document.status = Status::Passed;
        let entry = Event::number_mapped(
            EventSid::from_bytes([8; 16]),
            Timestamp(1),
            &number,
            Some(&document),
            None,
            &Compliance::NonCompliant(vec![]),
        );
        assert_eq!(
            entry.summary,
            "+49 30 2345678 mapped to Acme GmbH (Passed): Non-compliant"
        );
        for text in [
            "",
            "+49 30",
            "+4930234",
            "acme gmbh",
            "NON-COMPLIANT",
            "number mapped",
        ] {
            assert!(entry.matches(text), "{text:?}");
        }
        for text in ["+49 89", "Berlin office", "Compliant:"] {
            assert!(!entry.matches(text), "{text:?}");
        }
        let nothing = Event::number_mapped(
            EventSid::from_bytes([9; 16]),
            Timestamp(2),
            &number,
            None,
            None,
            &Compliance::NotRegulated,
        );
        assert_eq!(
            nothing.summary,
            "+49 30 2345678 mapped to nothing: Not regulated"
        );
    }

    #[test]
    fn sources_and_the_log_filter() {
        use crate::domain::time::calendar::Date;
        let mut doc = sample();
        doc.submit(Timestamp(1_000)).unwrap();
        let submitted = Event::document_status(EventSid::from_bytes([1; 16]), &doc).unwrap();
        assert_eq!(submitted.source(), Source::User);
        doc.decide(Timestamp(2_000), vec![], "reviewed").unwrap();
        let decided = Event::document_status(EventSid::from_bytes([2; 16]), &doc).unwrap();
        assert_eq!(decided.source(), Source::Reviewer);
        let day = decided.at.date_utc();
        let only = |f: LogFilter| {
            [&submitted, &decided]
                .into_iter()
                .filter(|e| f.matches(e))
                .count()
        };
        assert_eq!(only(LogFilter::default()), 2);
        assert_eq!(
            only(LogFilter {
                source: Some(Source::Reviewer),
                ..LogFilter::default()
            }),
            1
        );
        assert_eq!(
            only(LogFilter {
                kind: Some(EventKind::NumberMapped),
                ..LogFilter::default()
            }),
            0
        );
        assert_eq!(
            only(LogFilter {
                from: Some(day.add_days(1)),
                ..LogFilter::default()
            }),
            0
        );
        assert_eq!(
            only(LogFilter {
                to: Some(day),
                from: Some(day),
                ..LogFilter::default()
            }),
            2
        );
        let backwards = LogFilter {
            from: Some(day),
            to: Some(day.add_days(-1)),
            ..LogFilter::default()
        };
        assert!(backwards.problem().is_some());
        assert!(
            LogFilter {
                from: Some(Date::new(2026, 1, 1).unwrap()),
                ..LogFilter::default()
            }
            .problem()
            .is_none()
        );
    }

    /// Regression: a bulk-mapped number's search found nothing, since the entry's summary names
    /// only the count.
    #[test]
    fn a_bulk_entry_is_found_by_its_numbers() {
        let e164 = E164::parse("+49302345678").unwrap();
        let mut entry = Event::document_renamed(
            EventSid::from_bytes([8; 16]),
            Timestamp(1),
            &sample(),
            "old",
        );
        entry.summary = "Mapped 40 numbers to \"Acme\"".into();
        entry.bulk = Some(BulkChanges {
            changes: vec![MappingChange {
                number: NumberSid::from_bytes([7; 16]),
                e164,
                before: MappingPair::default(),
                after: MappingPair::default(),
            }],
            undoes: None,
            undone_by: None,
        });
        for text in ["+49 30 2345678", "302345", "Acme"] {
            assert!(entry.matches(text), "{text:?}");
        }
        for text in ["+49 89", "4989"] {
            assert!(!entry.matches(text), "{text:?}");
        }
    }
}
