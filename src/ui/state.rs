//! What every page needs: the open database, a revision that moves whenever the workspace
//! changes (here or in another tab), and the toasts. Provided once as context; pages read data
//! through `LocalResource`s keyed on the revision, so a change anywhere refreshes what is shown.

use leptos::prelude::*;

use crate::domain::time::Timestamp;
use crate::store::Db;
use crate::store::changes::{self, Change, Subscription};

/// A short message in the corner: a decision arrived, a purchase succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    /// Unique within the session, to remove it.
    pub id: u64,
    /// The text.
    pub text: String,
    /// `ok`, `error` or `info`, for its colour.
    pub tone: &'static str,
}

/// The app-wide state, cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct AppState {
    db: StoredValue<Db, LocalStorage>,
    /// Moves on every change to the workspace; resources depend on it to refetch.
    pub revision: RwSignal<u64>,
    /// Set when another tab upgraded the database: this tab must reload.
    pub version_changed: RwSignal<bool>,
    /// The toasts on screen.
    pub toasts: RwSignal<Vec<Toast>>,
    next_toast: StoredValue<u64>,
    _changes: StoredValue<Subscription, LocalStorage>,
}

impl AppState {
    /// The state for an open database, listening to changes from every tab.
    pub fn new(db: Db) -> AppState {
        let revision = RwSignal::new(0u64);
        let version_changed = RwSignal::new(false);
        let toasts = RwSignal::new(Vec::new());
        let next_toast = StoredValue::new(0);
        let subscription = changes::subscribe(move |change| {
            match change {
                Change::VersionChanged => version_changed.set(true),
                Change::DocumentStatus { name, status, .. } if status != "pending" => {
                    let (tone, word) = if status == "passed" {
                        ("ok", "passed")
                    } else {
                        ("error", "failed")
                    };
                    push(
                        toasts,
                        next_toast,
                        format!("Identity document of {name} {word} verification."),
                        tone,
                    );
                }
                _ => {}
            }
            revision.update(|r| *r += 1);
        });
        AppState {
            db: StoredValue::new_local(db),
            revision,
            version_changed,
            toasts,
            next_toast,
            _changes: StoredValue::new_local(subscription),
        }
    }

    /// The database.
    pub fn db(&self) -> Db {
        self.db.get_value()
    }

    /// Shows a toast for a few seconds.
    pub fn toast(&self, text: impl Into<String>, tone: &'static str) {
        push(self.toasts, self.next_toast, text.into(), tone);
    }

    /// Marks the workspace changed in this tab (other tabs hear of it through the store's
    /// broadcast).
    pub fn changed(&self) {
        self.revision.update(|r| *r += 1);
    }
}

fn push(toasts: RwSignal<Vec<Toast>>, next: StoredValue<u64>, text: String, tone: &'static str) {
    let id = next.get_value();
    next.set_value(id + 1);
    toasts.update(|t| t.push(Toast { id, text, tone }));
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(6_000).await;
        toasts.update(|t| t.retain(|x| x.id != id));
    });
}

/// The app state from context. Every page is rendered inside the state provider.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

/// Asks before an action that cannot be undone, with the browser's own dialog (which keyboards
/// and screen readers already handle). A browser that cannot ask counts as "no".
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Resolves after the browser has painted what is on the page now: at the next animation frame
/// (or after 100 ms in a background tab, which has none), then after the tasks already queued.
/// Work that should not delay a first paint awaits it.
pub async fn next_paint() {
    use futures::FutureExt;
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(&resolve);
        }
    });
    let mut frame = wasm_bindgen_futures::JsFuture::from(frame).fuse();
    let mut hidden = gloo_timers::future::TimeoutFuture::new(100).fuse();
    futures::select! {
        _ = frame => {},
        _ = hidden => {},
    }
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Today's date, for expiry checks.
pub fn today() -> crate::domain::time::calendar::Date {
    crate::store::platform::now().date_utc()
}

/// Now.
pub fn now() -> Timestamp {
    crate::store::platform::now()
}

/// A time for tables: `2026-12-01 09:30` in the browser's zone would need a tz database; UTC is
/// shown and labelled instead.
pub fn when(t: Timestamp) -> String {
    let mut text = t.utc().to_minute();
    text.push_str(" UTC");
    text
}
