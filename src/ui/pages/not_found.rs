//! The page for a URL the app does not know.

use leptos::prelude::*;

/// Shown for any unknown URL, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p class="lede">"There is no page at this address."</p>
        <p><a href="/">"Go to the overview"</a></p>
    }
}
