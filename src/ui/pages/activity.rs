//! The log of every state change and status callback.

use leptos::prelude::*;

/// The log of every state change and status callback.
#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <h1>"Activity"</h1>
        <p class="lede">"Every state change and status callback, newest first."</p>
    }
}
