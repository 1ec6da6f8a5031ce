//! The main navigation.

use leptos::prelude::*;
use leptos_router::components::A;

/// The links to every page; the router marks the current one with `aria-current="page"`.
#[component]
pub fn Nav() -> impl IntoView {
    view! {
        <nav aria-label="Main">
            <ul class="nav-list">
                <li><A href="/documents">"Identity documents"</A></li>
                <li><A href="/addresses">"Addresses"</A></li>
                <li><A href="/buy">"Buy a number"</A></li>
                <li><A href="/numbers">"My numbers"</A></li>
                <li><A href="/activity">"Activity"</A></li>
            </ul>
        </nav>
    }
}
