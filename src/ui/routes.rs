//! Which page each path shows, and each page's tab title.
//!
//! The overview is in the main wasm; every other page is in one of the split modules (release
//! builds: see "Split build" in ARCHITECTURE.md), fetched the first time one of its pages is
//! opened, and held by the router as a `Lazy` route. In debug builds and tests the same routes are plain boxed
//! futures, so the app behaves the same whether it is split or not.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::{Lazy, LazyRoute, path};

use super::pages::{
    activity::ActivityPage, addresses::AddressesPage, buy::BuyPage, document::DocumentPage,
    documents::DocumentsPage, not_found::NotFound, number::NumberPage, numbers::NumbersPage,
    overview::OverviewPage, plan::PlanPage, search::SearchPage, team::TeamPage,
    workspace::WorkspacePage,
};
use super::startup;

/// A page loaded on first use: `$route` is what the router holds, `$load` the split point that
/// builds `$page`, in the split module `$module`. Pages are grouped by the code they share, not
/// split one by one: one split point per page made 160 chunks and 112 requests for a first visit
/// to My numbers; in all in one module, every page cost 727 KB. The groups give each page about
/// what it alone needs (BENCHMARKS.md, *Split build*): `lists` (the documents list), `log` (the
/// activity log, which writes numbers with the numbering plan), `numbers` (the pages that
/// evaluate numbers: list, mapping, shop, plan, search; apart, each made its own shared chunks
/// and My numbers' first visit 110 requests), `forms` (the document form and addresses, with
/// the scan checks) and `backup` (export, import, CSV).
/// Leptos' `#[lazy]` names one module per function, so this calls the splitter's `wasm_split`
/// directly, with the same runtime. (Not formatted by rustfmt, which indents the attribute
/// further on every run.)
#[rustfmt::skip]
macro_rules! lazy_page {
    ($module:ident, $route:ident, $load:ident, $page:ident) => {
        #[doc = concat!("The route of [`", stringify!($page), "`], loaded on first use.")]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_: Self) -> AnyView {
                let view = $load().await;
                startup::route_shown();
                view
            }
        }

        #[cfg_attr(split, leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            return_wrapper(let future = _; { future.await } -> AnyView)
        ))]
        fn $load() -> Pin<Box<dyn Future<Output = AnyView>>> {
            // As `view! { <Page/> }` builds a component: unsubscribed from what it reads.
            Box::pin(async { untrack($page).into_any() })
        }
    };
}

lazy_page!(lists, DocumentsRoute, documents_page, DocumentsPage);
lazy_page!(log, ActivityRoute, activity_page, ActivityPage);
lazy_page!(numbers, NumbersRoute, numbers_page, NumbersPage);
lazy_page!(numbers, NumberRoute, number_page, NumberPage);
lazy_page!(numbers, BuyRoute, buy_page, BuyPage);
lazy_page!(numbers, PlanRoute, plan_page, PlanPage);
lazy_page!(numbers, SearchRoute, search_page, SearchPage);
lazy_page!(forms, DocumentRoute, document_page, DocumentPage);
lazy_page!(forms, AddressesRoute, addresses_page, AddressesPage);
lazy_page!(backup, WorkspaceRoute, workspace_page, WorkspacePage);
lazy_page!(team, TeamRoute, team_page, TeamPage);

/// The landing page, in the main wasm: the first visit's page.
#[component]
fn Landing() -> impl IntoView {
    startup::route_shown();
    view! { <OverviewPage/> }
}

/// The unknown-URL page, in the main wasm (it is small, and a mistyped link should not wait).
#[component]
fn Missing() -> impl IntoView {
    startup::route_shown();
    view! { <NotFound/> }
}

/// Every route of the console.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=Missing>
            <Route path=path!("/") view=Landing/>
            <Route path=path!("/documents") view={Lazy::<DocumentsRoute>::new()}/>
            <Route path=path!("/documents/new") view={Lazy::<DocumentRoute>::new()}/>
            <Route path=path!("/documents/:sid") view={Lazy::<DocumentRoute>::new()}/>
            <Route path=path!("/addresses") view={Lazy::<AddressesRoute>::new()}/>
            <Route path=path!("/buy") view={Lazy::<BuyRoute>::new()}/>
            <Route path=path!("/numbers") view={Lazy::<NumbersRoute>::new()}/>
            <Route path=path!("/numbers/:sid") view={Lazy::<NumberRoute>::new()}/>
            <Route path=path!("/plan") view={Lazy::<PlanRoute>::new()}/>
            <Route path=path!("/search") view={Lazy::<SearchRoute>::new()}/>
            <Route path=path!("/activity") view={Lazy::<ActivityRoute>::new()}/>
            <Route path=path!("/workspace") view={Lazy::<WorkspaceRoute>::new()}/>
            <Route path=path!("/team") view={Lazy::<TeamRoute>::new()}/>
        </Routes>
    }
}

/// The name of the page at `path`, for the tab title.
pub fn page_title(path: &str) -> &'static str {
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
        ["plan"] => "Compliance plan",
        ["search"] => "Search",
        ["activity"] => "Activity",
        ["workspace"] => "Backup and import",
        ["team"] => "Team sync",
        _ => "Page not found",
    }
}
