//! Replication while the app is open: a round each way at start, after every local change and
//! whenever the server has news (a `_changes` longpoll), backing off while the server cannot be
//! reached and waiting while the browser is offline. Changes made meanwhile stay marked in the
//! store, so nothing waits in memory and a closed tab loses nothing.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures::future::{Either, select};
use futures::{FutureExt, StreamExt};
use gloo_timers::future::TimeoutFuture;
use web_sys::AbortController;

use super::couch::{Couch, SyncError, browser_offline};
use super::engine::Engine;
use crate::domain::replication::settings::SyncSettings;
use crate::domain::replication::status::SyncState;
use crate::store::Db;

/// How long to wait before trying again after a failure: doubled each time, up to a minute.
const RETRY_FIRST_MS: u32 = 2_000;
const RETRY_MAX_MS: u32 = 60_000;
/// How often an offline browser looks again.
const OFFLINE_CHECK_MS: u32 = 3_000;

/// The running sync; dropping it stops it (the request in flight is aborted).
pub struct SyncHandle {
    stopped: Rc<Cell<bool>>,
    wake: UnboundedSender<()>,
    waiting: Rc<RefCell<Option<AbortController>>>,
}

impl SyncHandle {
    /// Asks for a round now (a local change was made, or the user asked).
    pub fn wake(&self) {
        let _ = self.wake.unbounded_send(());
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.stopped.set(true);
        if let Some(c) = self.waiting.borrow_mut().take() {
            c.abort();
        }
        let _ = self.wake.unbounded_send(());
    }
}

/// Starts syncing `db` with the workspace in `settings`, telling `report` each state.
pub fn start(db: Db, settings: SyncSettings, report: Rc<dyn Fn(SyncState)>) -> SyncHandle {
    let (wake, wakes) = unbounded();
    let stopped = Rc::new(Cell::new(false));
    let waiting = Rc::new(RefCell::new(None));
    wasm_bindgen_futures::spawn_local(run(
        db,
        settings,
        report,
        wakes,
        stopped.clone(),
        waiting.clone(),
    ));
    SyncHandle {
        stopped,
        wake,
        waiting,
    }
}

/// Waits `ms` or until woken; whether it was woken.
async fn pause(ms: u32, wakes: &mut UnboundedReceiver<()>) -> bool {
    let timer = TimeoutFuture::new(ms);
    matches!(select(timer, wakes.next()).await, Either::Right(_))
}

/// One round: push, then pull; the sequence the pull reached.
async fn round(
    engine: &Engine,
    report: &dyn Fn(SyncState),
) -> Result<serde_json::Value, SyncError> {
    let first = engine.first_round().await?;
    engine.push(first, report).await?;
    let since = engine.since().await?;
    let (since, _) = engine.pull(since, report).await?;
    Ok(since)
}

async fn run(
    db: Db,
    settings: SyncSettings,
    report: Rc<dyn Fn(SyncState)>,
    mut wakes: UnboundedReceiver<()>,
    stopped: Rc<Cell<bool>>,
    waiting: Rc<RefCell<Option<AbortController>>>,
) {
    report(SyncState::Connecting);
    let engine = match Engine::new(db, Couch::new(settings)).await {
        Ok(e) => e,
        Err(e) => return report(SyncState::Failed(e.to_string())),
    };
    let mut retry = RETRY_FIRST_MS;
    while !stopped.get() {
        // One round answers every wake-up made so far.
        while wakes.try_recv().is_ok() {}
        if browser_offline() {
            report(SyncState::Offline);
            pause(OFFLINE_CHECK_MS, &mut wakes).await;
            continue;
        }
        let outcome = match round(&engine, &*report).await {
            Ok(since) => {
                report(SyncState::UpToDate);
                retry = RETRY_FIRST_MS;
                // Wait for the server's next change or a local one, whichever comes first.
                let Ok(controller) = AbortController::new() else {
                    return report(SyncState::Failed(
                        "the browser cannot abort requests".into(),
                    ));
                };
                let signal = controller.signal();
                *waiting.borrow_mut() = Some(controller);
                if stopped.get() {
                    break;
                }
                let longpoll = engine.wait(&since, &signal).fuse();
                let local = wakes.next().fuse();
                futures::pin_mut!(longpoll, local);
                let woke = futures::select! {
                    news = longpoll => news.map(|_| ()),
                    _ = local => Ok(()),
                };
                if let Some(c) = waiting.borrow_mut().take() {
                    c.abort();
                }
                woke
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) | Err(SyncError::Aborted) => {}
            Err(SyncError::SignedOut) => {
                report(SyncState::SignedOut);
                // Signing in again wakes it.
                pause(RETRY_MAX_MS, &mut wakes).await;
            }
            Err(SyncError::Offline) => {
                report(SyncState::Offline);
                pause(retry, &mut wakes).await;
                retry = (retry * 2).min(RETRY_MAX_MS);
            }
            Err(e) => {
                report(SyncState::Failed(e.to_string()));
                pause(retry, &mut wakes).await;
                retry = (retry * 2).min(RETRY_MAX_MS);
            }
        }
    }
}
