//! The app's frame: opening the workspace, the header with its navigation and live counts, the
//! routes, and the background work that starts once the first page is shown.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;

use super::components::header_search::HeaderSearch;
use super::components::nav::Nav;
use super::components::sync_status::SyncStatus;
use super::components::toasts::Toasts;
use super::routes::{AppRoutes, page_title};
use super::startup;
use super::state::AppState;
use super::sync_control::{SyncBadge, start_shared};
use crate::domain::records::sid::EventSid;
use crate::domain::rules::regulation::Catalog;
use crate::review::worker::{self, Worker};
use crate::store::db::DEFAULT_NAME;
use crate::store::platform;
use crate::store::platform::BrowserRandom;
use crate::store::{Db, documents, numbers, progress, quarantine};

/// How long after the first page is built the review worker starts and the catalog is checked:
/// that page's own reads go first.
const BACKGROUND_AFTER_MS: u32 = 300;

/// How long after the first page is built the stored compliance is refreshed: it reads the whole
/// workspace, so it waits until a first page with 10,000 numbers has read its own data.
const REFRESH_AFTER_MS: u32 = 2_000;

/// Starts the review worker and checks the catalog. A split point, in the `background` module
/// with the refresh below: the reviewer's rules, the scan measurements and the area tables are not
/// needed to show the first page. (One module for the background work keeps the chunks few: see
/// `routes.rs`.)
#[cfg_attr(split, leptos::wasm_split::wasm_split(
    background,
    wasm_split_path = ::leptos::wasm_split,
    return_wrapper(let future = _; { future.await } -> Background)
))]
fn start_background(db: Db) -> Pin<Box<dyn Future<Output = Background>>> {
    Box::pin(async move {
        Background {
            worker: worker::start(db, Rc::new(platform::now)),
            // The app says so rather than selling numbers without rules (a test rules it out).
            catalog_problem: Catalog::builtin().err().map(|e| e.to_string()),
        }
    })
}

/// What the background start leaves running, and whether the built-in regulations catalog
/// cannot be used.
struct Background {
    worker: Worker,
    catalog_problem: Option<String>,
}

/// Brings documents' valid-until and every number's stored compliance up to date (documents
/// expire with time, a regulation change rejects those not renewed); whether anything changed.
/// A split point in the `background` module.
#[cfg_attr(split, leptos::wasm_split::wasm_split(
    background,
    wasm_split_path = ::leptos::wasm_split,
    return_wrapper(let future = _; { future.await } -> bool)
))]
fn refresh_compliance(db: Db) -> Pin<Box<dyn Future<Output = bool>>> {
    Box::pin(async move {
        let now = super::state::now();
        let rejected =
            documents::refresh_validity(&db, now, || EventSid::generate(&mut BrowserRandom))
                .await
                .is_ok_and(|r| !r.is_empty());
        let rewritten = numbers::refresh_compliance(&db, now.date_utc())
            .await
            .is_ok_and(|n| n > 0);
        rejected || rewritten
    })
}

/// Records the day's count of non-compliant numbers, the plan's burndown. A split point in the
/// `background` module. A failure is not shown here: the plan page reads the series and says
/// when it cannot.
#[cfg_attr(split, leptos::wasm_split::wasm_split(
    background,
    wasm_split_path = ::leptos::wasm_split,
    return_wrapper(let future = _; { future.await } -> ())
))]
fn record_progress(db: Db) -> Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(async move {
        let _ = progress::record(&db, super::state::today()).await;
    })
}

/// The whole app, on the default database.
#[component]
pub fn App() -> impl IntoView {
    view! { <AppOn name=DEFAULT_NAME.to_string()/> }
}

/// The whole app on the database called `name` (tests give each their own).
#[component]
pub fn AppOn(name: String) -> impl IntoView {
    let opened = LocalResource::new(move || {
        let name = name.clone();
        async move { Db::open(&name).await }
    });
    // True while a page's code is being fetched (the first visit of a page in a split build): the
    // header says so, since the old page stays until the new one can show.
    let (routing, set_routing) = signal(false);
    view! {
        <Router set_is_routing=set_routing>
            <a class="skip-link" href="#main">"Skip to content"</a>
            {move || match opened.get() {
                None => Either::Left(view! { <p class="page">"Opening your workspace…"</p> }),
                Some(Err(e)) => Either::Right(Either::Left(view! {
                    <main id="main" class="page">
                        <h1>"regdesk cannot open its data"</h1>
                        <p class="notice error" role="alert">{e.to_string()}</p>
                    </main>
                })),
                Some(Ok(db)) => Either::Right(Either::Right(view! { <Shell db=db routing=routing/> })),
            }}
        </Router>
    }
}

/// The console around an open database: state, review worker, header and routes. `routing` is
/// true while the next page's code loads.
#[component]
fn Shell(db: Db, routing: ReadSignal<bool>) -> impl IntoView {
    let state = AppState::new(db.clone());
    provide_context(state);
    // Each page names itself in the tab title, so tabs, the history list and screen readers
    // (which announce the title after a navigation) can tell the pages apart.
    // After an in-app navigation the focus moves to the new page's content, as a full page load
    // would leave it at the top: otherwise it stays on the clicked link and a keyboard or
    // screen-reader user starts again from the navigation. Not when the header's search field
    // has it: typing there opens the results page, and the next keystroke belongs to the field.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |first: Option<()>| {
        let title = format!("{} — regdesk", page_title(&location.pathname.get()));
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        document.set_title(&title);
        let searching = document
            .active_element()
            .is_some_and(|e| e.id() == "site-search");
        if first.is_some()
            && !searching
            && let Some(main) = document
                .get_element_by_id("main")
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    });
    // A shared workspace syncs once the first page is shown (the team page starts it when one
    // signs in).
    let badge = SyncBadge::provide();
    if SyncBadge::shared() {
        let sync_db = db.clone();
        leptos::task::spawn_local(async move {
            startup::first_route_shown(BACKGROUND_AFTER_MS).await;
            start_shared(sync_db, badge).await;
        });
    }
    // The queue worker lives as long as the shell; it decides reviews as they fall due.
    let worker: StoredValue<Option<Worker>, LocalStorage> = StoredValue::new_local(None);
    let catalog_error = RwSignal::new(None::<String>);
    let background_db = db.clone();
    leptos::task::spawn_local(async move {
        startup::first_route_shown(BACKGROUND_AFTER_MS).await;
        let started = start_background(background_db).await;
        catalog_error.try_set(started.catalog_problem);
        // The shell may be gone by now (a test unmounted it): then the worker stops at once.
        let _ = worker.try_set_value(Some(started.worker));
    });
    // Documents expire with time: bring every number's stored compliance up to date once. It
    // reads the whole workspace, so it waits until the first page has read and shown its own
    // data; until then the counts are the stored ones, which only time can have made stale.
    // Then every change to the workspace (here or in another tab) records the day's count for
    // the plan's burndown.
    let recording = RwSignal::new(false);
    let refresh_db = db.clone();
    leptos::task::spawn_local(async move {
        startup::first_route_shown(REFRESH_AFTER_MS).await;
        if refresh_compliance(refresh_db).await {
            state.changed();
        }
        recording.try_set(true);
    });
    Effect::new(move |_| {
        state.revision.track();
        if recording.get() {
            leptos::task::spawn_local(record_progress(db.clone()));
        }
    });
    // Records that could not be read were set aside, not lost: say so, on every page.
    let set_aside = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { quarantine::list(&db).await.map(|q| q.len()).unwrap_or(0) }
    });
    view! {
        <header class="app-header">
            <a class="brand" href="/">"regdesk"</a>
            <Nav/>
            <HeaderSearch/>
            <SyncStatus/>
            <p class="routing" role="status" aria-live="polite">
                {move || routing.get().then_some("Opening the page…")}
            </p>
        </header>
        <Show when=move || state.version_changed.get()>
            <div class="notice error" role="alert">
                "regdesk was updated in another tab. "
                <button on:click=|_| { let _ = web_sys::window().map(|w| w.location().reload()); }>
                    "Reload to continue"
                </button>
            </div>
        </Show>
        {move || catalog_error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        {move || set_aside.get().filter(|n| *n > 0).map(|n| view! {
            <p class="notice error page-notice" role="alert" data-testid="quarantine-notice">
                {format!(
                    "{n} stored record{} could not be read and {} set aside, unchanged, instead of being shown. Export the workspace to keep a copy; nothing was deleted.",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "was" } else { "were" }
                )}
            </p>
        })}
        <main id="main" class="page" tabindex="-1">
            <AppRoutes/>
        </main>
        <Toasts/>
    }
}
