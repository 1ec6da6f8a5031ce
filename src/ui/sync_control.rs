//! The team sync as the app holds it: the settings (a small preference in `localStorage`, never
//! the password), the state, and the running engine.
//!
//! Split in two for the first visit's size. The main wasm holds only [`SyncBadge`]: the words
//! and tone the header shows, plain strings, and whether a workspace is shared at all (one
//! `localStorage` read). Everything else, [`SyncControl`] included, is reached only through the
//! `sync` split point [`start_shared`] or the team page, so a workspace that is not shared never
//! loads it.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gloo_storage::{LocalStorage as Prefs, Storage};
use leptos::prelude::*;

use crate::domain::replication::settings::SyncSettings;
use crate::domain::replication::status::SyncState;
use crate::store::Db;
use crate::store::changes::{self, Subscription};
use crate::sync::live::{self, SyncHandle};

/// The preference holding the settings.
const SETTINGS_KEY: &str = "regdesk.sync";

/// What the header shows of the sync, on every page (empty words: not shared), and the shell's
/// owner, under which the sync's own signals live as long as the app.
#[derive(Clone)]
pub struct SyncBadge {
    /// The state in words.
    pub words: RwSignal<String>,
    /// Its tone (`ok`, `busy`, `warn`, `error`), for the colour.
    pub tone: RwSignal<String>,
    owner: Owner,
}

impl SyncBadge {
    /// The badge of the shell being built, provided as context.
    pub fn provide() -> SyncBadge {
        let badge = SyncBadge {
            words: RwSignal::new(String::new()),
            tone: RwSignal::new(String::new()),
            owner: Owner::current().unwrap_or_default(),
        };
        provide_context(badge.clone());
        badge
    }

    /// Whether this browser's workspace is shared with a team (its settings are stored).
    pub fn shared() -> bool {
        Prefs::raw().get_item(SETTINGS_KEY).ok().flatten().is_some()
    }
}

/// Starts syncing the shared workspace in `db`. A split point, in the `sync` module.
#[cfg_attr(split, leptos::wasm_split::wasm_split(
    sync,
    wasm_split_path = ::leptos::wasm_split,
    return_wrapper(let future = _; { future.await } -> ())
))]
pub fn start_shared(db: Db, badge: SyncBadge) -> Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(async move {
        SyncControl::installed(db, badge);
    })
}

/// The team sync's settings, state and engine: one per app, living as long as the shell.
#[derive(Clone, Copy)]
pub struct SyncControl {
    /// Where the workspace is shared, if it is.
    pub settings: RwSignal<Option<SyncSettings>>,
    /// What the sync is doing.
    pub state: RwSignal<SyncState>,
    engine: StoredValue<Option<SyncHandle>, LocalStorage>,
}

thread_local! {
    /// The app's control, once installed, with its subscription to the workspace's changes.
    static CONTROL: RefCell<Option<(SyncControl, Subscription)>> = const { RefCell::new(None) };
}

impl SyncControl {
    /// The app's control, installed on first use for `db` (its engine started when settings are
    /// stored): every change to the workspace, here or in another tab, wakes the engine.
    pub fn installed(db: Db, badge: SyncBadge) -> SyncControl {
        if let Some(control) = CONTROL.with(|c| c.borrow().as_ref().map(|(c, _)| *c)) {
            return control;
        }
        let control = badge.owner.clone().with(|| {
            let control = SyncControl {
                settings: RwSignal::new(Prefs::get(SETTINGS_KEY).ok()),
                state: RwSignal::new(SyncState::Off),
                engine: StoredValue::new_local(None),
            };
            Effect::new(move |_| {
                let settings = control.settings.get();
                // The old engine stops first (its request in flight is aborted).
                control.engine.set_value(None);
                let report: Rc<dyn Fn(SyncState)> = {
                    let badge = badge.clone();
                    Rc::new(move |s: SyncState| {
                        let words = if s == SyncState::Off {
                            String::new()
                        } else {
                            s.words()
                        };
                        badge.words.try_set(words);
                        badge.tone.try_set(s.tone().to_string());
                        control.state.try_set(s);
                    })
                };
                match settings {
                    None => report(SyncState::Off),
                    Some(settings) => {
                        control
                            .engine
                            .set_value(Some(live::start(db.clone(), settings, report)))
                    }
                }
            });
            control
        });
        let subscription = changes::subscribe(move |_| control.wake());
        CONTROL.with(|c| *c.borrow_mut() = Some((control, subscription)));
        control
    }

    /// Shares the workspace with `settings` (just signed in): the engine starts again.
    pub fn connect(&self, settings: SyncSettings) {
        let _ = Prefs::set(SETTINGS_KEY, &settings);
        self.settings.set(Some(settings));
    }

    /// Stops sharing (signed out).
    pub fn disconnect(&self) {
        Prefs::delete(SETTINGS_KEY);
        self.settings.set(None);
    }

    /// Asks the engine for a round now.
    pub fn wake(&self) {
        self.engine.try_with_value(|e| {
            if let Some(e) = e {
                e.wake();
            }
        });
    }
}

/// The app's sync control (the team page's).
pub fn use_sync() -> SyncControl {
    let db = crate::ui::state::use_app().db();
    SyncControl::installed(db, expect_context::<SyncBadge>())
}
