//! The team sync as the app holds it: the settings (a small preference in `localStorage`, never
//! the password), the state the header shows, and the running engine. Provided once as context,
//! so the team page connects and disconnects and every page shows the state.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gloo_storage::{LocalStorage as Prefs, Storage};
use leptos::prelude::*;

use crate::domain::replication::settings::SyncSettings;
use crate::domain::replication::status::SyncState;
use crate::store::Db;
use crate::sync::live::{self, SyncHandle};

/// The preference holding the settings.
const SETTINGS_KEY: &str = "regdesk.sync";

/// Starts the engine. A split point, in the `sync` module: a workspace that is not shared never
/// loads it.
#[cfg_attr(split, leptos::wasm_split::wasm_split(
    sync,
    wasm_split_path = ::leptos::wasm_split,
    return_wrapper(let future = _; { future.await } -> SyncHandle)
))]
fn start_engine(
    db: Db,
    settings: SyncSettings,
    report: Rc<dyn Fn(SyncState)>,
) -> Pin<Box<dyn Future<Output = SyncHandle>>> {
    Box::pin(async move { live::start(db, settings, report) })
}

/// The team sync's settings, state and engine.
#[derive(Clone, Copy)]
pub struct SyncControl {
    /// Where the workspace is shared, if it is.
    pub settings: RwSignal<Option<SyncSettings>>,
    /// What the sync is doing.
    pub state: RwSignal<SyncState>,
    engine: StoredValue<Option<SyncHandle>, LocalStorage>,
    /// Bumped to start the engine again (after signing in).
    restart: RwSignal<u32>,
}

impl SyncControl {
    /// The control for `db`, with the stored settings; the engine starts once `ready` is true
    /// (after the first page is shown) and whenever the settings change.
    pub fn provide(db: Db, ready: Signal<bool>) -> SyncControl {
        let stored: Option<SyncSettings> = Prefs::get(SETTINGS_KEY).ok();
        let control = SyncControl {
            state: RwSignal::new(if stored.is_some() {
                SyncState::Connecting
            } else {
                SyncState::Off
            }),
            settings: RwSignal::new(stored),
            engine: StoredValue::new_local(None),
            restart: RwSignal::new(0),
        };
        provide_context(control);
        Effect::new(move |_| {
            control.restart.track();
            let settings = control.settings.get();
            // The old engine stops first (its request in flight is aborted).
            control.engine.set_value(None);
            let Some(settings) = settings else {
                control.state.set(SyncState::Off);
                return;
            };
            if !ready.get() {
                return;
            }
            let db = db.clone();
            let state = control.state;
            let report: Rc<dyn Fn(SyncState)> = Rc::new(move |s| {
                state.try_set(s);
            });
            let generation = control.restart.get_untracked();
            leptos::task::spawn_local(async move {
                let handle = start_engine(db, settings, report).await;
                // Settings changed while the code loaded: this engine is not wanted.
                if control.restart.try_get_untracked() == Some(generation) {
                    control.engine.try_set_value(Some(handle));
                }
            });
        });
        control
    }

    /// Shares the workspace with `settings` (just signed in).
    pub fn connect(&self, settings: SyncSettings) {
        let _ = Prefs::set(SETTINGS_KEY, &settings);
        self.settings.set(Some(settings));
        self.restart.update(|r| *r += 1);
    }

    /// Stops sharing (signed out).
    pub fn disconnect(&self) {
        Prefs::delete(SETTINGS_KEY);
        self.settings.set(None);
        self.restart.update(|r| *r += 1);
    }

    /// Asks the engine for a round now.
    pub fn wake(&self) {
        self.engine.with_value(|e| {
            if let Some(e) = e {
                e.wake();
            }
        });
    }
}

/// The sync control from context.
pub fn use_sync() -> SyncControl {
    expect_context::<SyncControl>()
}
