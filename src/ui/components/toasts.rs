//! The toasts: decisions and results announced politely to screen readers.

use leptos::prelude::*;

use crate::ui::state::use_app;

/// The toast region, fixed in a corner.
#[component]
pub fn Toasts() -> impl IntoView {
    let state = use_app();
    view! {
        <div class="toasts" aria-live="polite" role="status">
            <For each=move || state.toasts.get() key=|t| t.id let:toast>
                <p class=format!("toast {}", toast.tone)>{toast.text}</p>
            </For>
        </div>
    }
}
