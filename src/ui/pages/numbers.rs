//! The numbers you own and whether each is compliant.

use leptos::prelude::*;

/// The numbers you own and whether each is compliant.
#[component]
pub fn NumbersPage() -> impl IntoView {
    view! {
        <h1>"My numbers"</h1>
        <p class="lede">"The numbers you own, and whether each has the address and identity document it needs."</p>
    }
}
