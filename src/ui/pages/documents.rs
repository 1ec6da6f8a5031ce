//! The identity documents page: who stands behind the numbers, and their verification status.

use leptos::prelude::*;

/// The identity documents page: who stands behind the numbers, and their verification status.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    view! {
        <h1>"Identity documents"</h1>
        <p class="lede">"The individuals and businesses behind your numbers, with the documents that prove it."</p>
    }
}
