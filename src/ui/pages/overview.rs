//! The start page: what needs attention.

use leptos::prelude::*;

/// The start page: what needs attention.
#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <h1>"Overview"</h1>
        <p class="lede">"Offline compliance for regulated phone numbers. Everything stays in this browser."</p>
    }
}
