//! The app's frame: the header with its navigation, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use super::components::nav::Nav;
use super::pages::{
    activity::ActivityPage, addresses::AddressesPage, buy::BuyPage, documents::DocumentsPage,
    not_found::NotFound, numbers::NumbersPage, overview::OverviewPage,
};

/// The whole app: header, navigation and the page for the current URL.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <a class="brand" href="/">"regdesk"</a>
                <Nav/>
            </header>
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=OverviewPage/>
                    <Route path=path!("/documents") view=DocumentsPage/>
                    <Route path=path!("/addresses") view=AddressesPage/>
                    <Route path=path!("/buy") view=BuyPage/>
                    <Route path=path!("/numbers") view=NumbersPage/>
                    <Route path=path!("/activity") view=ActivityPage/>
                </Routes>
            </main>
        </Router>
    }
}
