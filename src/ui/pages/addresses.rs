//! The addresses page: the addresses on file and the local areas each satisfies.

use leptos::prelude::*;

/// The addresses page: the addresses on file and the local areas each satisfies.
#[component]
pub fn AddressesPage() -> impl IntoView {
    view! {
        <h1>"Addresses"</h1>
        <p class="lede">"Addresses on file, and which numbers' local areas each one satisfies."</p>
    }
}
