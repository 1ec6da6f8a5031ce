//! The app's frame: opening the workspace, the header with its navigation and live counts, and
//! the routes.

use std::rc::Rc;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsCast;

use super::components::nav::Nav;
use super::components::toasts::Toasts;
use super::pages::{
    activity::ActivityPage, addresses::AddressesPage, buy::BuyPage,
    document_form::DocumentFormPage, documents::DocumentsPage, not_found::NotFound,
    number::NumberPage, numbers::NumbersPage, overview::OverviewPage, workspace::WorkspacePage,
};
use super::state::AppState;
use crate::domain::regulation::Catalog;
use crate::review::worker;
use crate::store::db::DEFAULT_NAME;
use crate::store::platform;
use crate::store::{Db, numbers, quarantine};

/// How long after opening the stored compliance is refreshed: after a first page with 10,000
/// numbers has loaded (about 1.2 s on the bench machine, BENCHMARKS.md).
const REFRESH_AFTER_MS: u32 = 2_000;

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
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            {move || match opened.get() {
                None => Either::Left(view! { <p class="page">"Opening your workspace…"</p> }),
                Some(Err(e)) => Either::Right(Either::Left(view! {
                    <main id="main" class="page">
                        <h1>"regdesk cannot open its data"</h1>
                        <p class="notice error" role="alert">{e.to_string()}</p>
                    </main>
                })),
                Some(Ok(db)) => Either::Right(Either::Right(view! { <Shell db=db/> })),
            }}
        </Router>
    }
}

/// The name of the page at `path`, for the tab title.
fn page_title(path: &str) -> &'static str {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] => "Overview",
        ["documents"] => "Identity documents",
        ["documents", "new"] => "Add identity document",
        ["documents", _] => "Identity document",
        ["addresses"] => "Addresses",
        ["buy"] => "Buy a number",
        ["numbers"] => "My numbers",
        ["numbers", _] => "Number",
        ["activity"] => "Activity",
        ["workspace"] => "Backup and import",
        _ => "Page not found",
    }
}

/// The console around an open database: state, review worker, header and routes.
#[component]
fn Shell(db: Db) -> impl IntoView {
    let state = AppState::new(db.clone());
    provide_context(state);
    // Each page names itself in the tab title, so tabs, the history list and screen readers
    // (which announce the title after a navigation) can tell the pages apart.
    // After an in-app navigation the focus moves to the new page's content, as a full page load
    // would leave it at the top: otherwise it stays on the clicked link and a keyboard or
    // screen-reader user starts again from the navigation.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |first: Option<()>| {
        let title = format!("{} — regdesk", page_title(&location.pathname.get()));
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        document.set_title(&title);
        if first.is_some()
            && let Some(main) = document
                .get_element_by_id("main")
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    });
    // The queue worker lives as long as the shell; it decides reviews as they fall due.
    let worker = worker::start(db.clone(), Rc::new(platform::now));
    let _keep = StoredValue::new_local(worker);
    // Documents expire with time: bring every number's stored compliance up to date once. It
    // reads the whole workspace, so it waits until the first page has read and shown its own
    // data (which computes compliance itself); only the header's count can be stale meanwhile.
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(REFRESH_AFTER_MS).await;
        if numbers::refresh_compliance(&db, super::state::today())
            .await
            .is_ok_and(|n| n > 0)
        {
            state.changed();
        }
    });
    let catalog_error = Catalog::builtin().err().map(|e| e.to_string());
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
        </header>
        <Show when=move || state.version_changed.get()>
            <div class="notice error" role="alert">
                "regdesk was updated in another tab. "
                <button on:click=|_| { let _ = web_sys::window().map(|w| w.location().reload()); }>
                    "Reload to continue"
                </button>
            </div>
        </Show>
        {catalog_error.map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
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
            <Routes fallback=NotFound>
                <Route path=path!("/") view=OverviewPage/>
                <Route path=path!("/documents") view=DocumentsPage/>
                <Route path=path!("/documents/new") view=DocumentFormPage/>
                <Route path=path!("/documents/:sid") view=DocumentFormPage/>
                <Route path=path!("/addresses") view=AddressesPage/>
                <Route path=path!("/buy") view=BuyPage/>
                <Route path=path!("/numbers") view=NumbersPage/>
                <Route path=path!("/numbers/:sid") view=NumberPage/>
                <Route path=path!("/activity") view=ActivityPage/>
                <Route path=path!("/workspace") view=WorkspacePage/>
            </Routes>
        </main>
        <Toasts/>
    }
}
