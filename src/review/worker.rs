//! The queue worker: decides each queued document when it is due.
//!
//! It is not a `setTimeout` per document: the due times are in the database, so the worker can
//! always be rebuilt from it. On start it decides everything already overdue (a review that
//! finished while the tab was closed is recorded with the time it finished), then sleeps until the
//! next due time, or until something wakes it (a new submission in this or another tab).

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::mpsc::{UnboundedSender, unbounded};
use futures::{FutureExt, StreamExt};
use gloo_timers::future::TimeoutFuture;

use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::sid::{EventSid, IdentitySid};
use crate::domain::replication::doc::{Kind, doc_id};
use crate::domain::rules::regulation::Catalog;
use crate::domain::rules::reviewer;
use crate::domain::time::Timestamp;
use crate::store::changes::{self, Change, Subscription};
use crate::store::documents::{self, Decided};
use crate::store::{Db, StoreError, addresses, queue, replica};

use super::facts;

/// The longest the worker sleeps without looking again; also bounds how late a decision can be if
/// a wake-up is missed.
const MAX_SLEEP_MS: i64 = 30_000;

/// Reviews one queued document and records the decision with time `at`, exactly once: if another
/// tab or a "decide now" got there first, nothing is written and `AlreadyDecided` comes back.
pub async fn decide(
    db: &Db,
    sid: IdentitySid,
    at: Timestamp,
    cause: &str,
) -> Result<Decided, StoreError> {
    let Some(document) = documents::get(db, sid).await? else {
        return Ok(Decided::AlreadyDecided);
    };
    if document.status != Status::Pending {
        return Ok(Decided::AlreadyDecided);
    }
    // Measuring needs the blobs and image decoding, which cannot run inside a transaction; the
    // compare-and-set in `documents::decide` makes the write safe anyway.
    let file_facts = facts::of_document(db, &document).await?;
    // A team's document whose scans have not arrived here yet is decided when they have (or by
    // the machine that has them), never judged on bytes this machine lacks.
    if file_facts.iter().any(|f| f.size == 0)
        && replica::state(db, &doc_id(Kind::Document, sid))
            .await?
            .is_some()
    {
        return Ok(Decided::Waiting);
    }
    let address = match document.address_sid {
        Some(a) => addresses::get(db, a).await?,
        None => None,
    };
    let today = at.date_utc();
    let reasons = reviewer::reasons(
        Catalog::shared(),
        NumberingPlan::builtin(),
        &document,
        address.as_ref(),
        Some(&file_facts),
        today,
    );
    let outcome = documents::decide(
        db,
        sid,
        at,
        reasons,
        cause,
        decision_events(&document),
        today,
    )
    .await?;
    if let Decided::Recorded(doc) = &outcome {
        changes::publish(Change::DocumentStatus {
            sid: doc.sid.to_string(),
            name: doc.display_name(),
            status: doc.status.slug().to_string(),
        });
        changes::publish(Change::Numbers);
    }
    Ok(outcome)
}

/// The log entries of a document's decision, named after the decision: the status callback and
/// a renewal's replacement. Every machine of a team that decides the same submission makes the
/// same entries (the same SIDs, the same bodies: the same revisions), so the log holds each once.
fn decision_events(document: &IdentityDocument) -> (EventSid, EventSid) {
    let submission = format!("{} {}", document.sid, document.history.len());
    (
        EventSid::derived(&format!("decided {submission}")),
        EventSid::derived(&format!("replaced {submission}")),
    )
}

/// Decides every entry due at or before `now`, soonest first, each recorded at its own due time.
/// Returns the decisions this call recorded.
pub async fn catch_up(db: &Db, now: Timestamp) -> Result<Vec<Decided>, StoreError> {
    let mut out = Vec::new();
    for entry in queue::due(db, now).await? {
        let outcome = decide(db, entry.document_sid, entry.due, "reviewed").await?;
        if matches!(outcome, Decided::Recorded(_)) {
            out.push(outcome);
        }
    }
    Ok(out)
}

/// A running worker; dropping it stops the worker at its next wake-up.
pub struct Worker {
    wake: UnboundedSender<()>,
    running: Rc<Cell<bool>>,
    _changes: Subscription,
}

impl Worker {
    /// Makes the worker look at the queue now (after a submission).
    pub fn wake(&self) {
        let _ = self.wake.unbounded_send(());
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.running.set(false);
        let _ = self.wake.unbounded_send(());
    }
}

/// Starts a worker on `db`, with `clock` as its idea of now (the browser clock in the app, a
/// controlled one in tests).
pub fn start(db: Db, clock: Rc<dyn Fn() -> Timestamp>) -> Worker {
    let (wake, mut woken) = unbounded::<()>();
    let running = Rc::new(Cell::new(true));
    let waker = wake.clone();
    // A submission or a decision in any tab may change the next due time.
    let subscription = changes::subscribe(move |change| {
        if matches!(change, Change::DocumentStatus { .. } | Change::Workspace) {
            let _ = waker.unbounded_send(());
        }
    });
    let alive = running.clone();
    wasm_bindgen_futures::spawn_local(async move {
        while alive.get() {
            let now = clock();
            if let Err(e) = catch_up(&db, now).await {
                if matches!(e, StoreError::VersionChanged) {
                    return;
                }
                web_sys::console::warn_1(&format!("review queue: {e}").into());
            }
            // An entry already due is waiting for something (a team's scans): the next wake-up
            // is the next entry still to come, or a change.
            let now = clock();
            let next = queue::all(&db)
                .await
                .ok()
                .and_then(|entries| entries.iter().map(|e| e.due).find(|due| *due > now));
            let wait = match next {
                Some(due) => (due.0 - clock().0).clamp(0, MAX_SLEEP_MS),
                None => MAX_SLEEP_MS,
            };
            let mut timer = TimeoutFuture::new(wait as u32).fuse();
            futures::select! {
                _ = timer => {},
                _ = woken.next() => {},
            }
        }
    });
    Worker {
        wake,
        running,
        _changes: subscription,
    }
}
