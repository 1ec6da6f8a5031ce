//! The activity log: every state change, with its time and cause, and the status callback a
//! webhook would receive for it.

use serde::{Deserialize, Serialize};

use super::document::{IdentityDocument, Status};
use super::problem::Problem;
use super::sid::EventSid;
use super::time::Timestamp;

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
    /// Numbers were imported.
    NumbersImported,
    /// The workspace was reset, restored or filled with demo data.
    Workspace,
}

impl EventKind {
    /// The label the activity filter shows.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::DocumentCreated => "Document created",
            EventKind::DocumentStatus => "Document status",
            EventKind::DocumentDeleted => "Document deleted",
            EventKind::AddressCreated => "Address created",
            EventKind::AddressUpdated => "Address updated",
            EventKind::AddressDeleted => "Address deleted",
            EventKind::NumberBought => "Number bought",
            EventKind::NumberMapped => "Number mapped",
            EventKind::NumberReleased => "Number released",
            EventKind::NumbersImported => "Numbers imported",
            EventKind::Workspace => "Workspace",
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
        })
    }
}
