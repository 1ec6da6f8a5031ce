//! The shop: search numbers and see each one's requirements before buying.

use leptos::prelude::*;

/// The shop: search numbers and see each one's requirements before buying.
#[component]
pub fn BuyPage() -> impl IntoView {
    view! {
        <h1>"Buy a number"</h1>
        <p class="lede">"Search available numbers and see what each one requires before you buy."</p>
    }
}
