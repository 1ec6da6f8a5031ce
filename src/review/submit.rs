//! Sending a document to review.

use crate::domain::records::activity::Event;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::sid::EventSid;
use crate::domain::time::Timestamp;
use crate::domain::time::clock::{BusinessClock, DemoSpeed};
use crate::store::changes::{self, Change};
use crate::store::documents::{self, Scan};
use crate::store::platform::BrowserRandom;
use crate::store::queue::QueueEntry;
use crate::store::{Db, StoreError};

/// The queue entry for a document submitted at `now`: its review takes the document's drawn
/// delay ([`IdentityDocument::review_delay_minutes`]), and is due when the demo speed says.
pub fn entry_for(document: &IdentityDocument, now: Timestamp, speed: DemoSpeed) -> QueueEntry {
    let delay = document.review_delay_minutes();
    QueueEntry {
        document_sid: document.sid,
        submitted: now,
        delay_minutes: delay,
        due: speed.due(&BusinessClock::reviewer(), now, delay),
    }
}

/// Submits (or resubmits) a Draft or Failed document with its new scans: it becomes Pending,
/// with its review's due time, and is queued, all in one transaction with its status-callback
/// log entry; then every view and tab hears of it. On an error nothing was stored and the document is returned unchanged.
pub async fn submit(
    db: &Db,
    document: &IdentityDocument,
    scans: &[Scan],
    now: Timestamp,
    speed: DemoSpeed,
) -> Result<(IdentityDocument, QueueEntry), StoreError> {
    let mut pending = document.clone();
    pending.submit(now).map_err(StoreError::Refused)?;
    let entry = entry_for(&pending, now, speed);
    // The due time travels with the document: a team's other machines queue it for then too.
    pending.set_review_due(entry.due);
    let events: Vec<Event> =
        Event::document_status(EventSid::generate(&mut BrowserRandom), &pending)
            .into_iter()
            .collect();
    documents::save(db, &pending, scans, Some(&entry), &events).await?;
    changes::publish(Change::DocumentStatus {
        sid: pending.sid.to_string(),
        name: pending.display_name(),
        status: pending.status.slug().to_string(),
    });
    Ok((pending, entry))
}
