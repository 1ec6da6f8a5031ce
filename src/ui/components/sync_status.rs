//! The team sync's state in the header, on every page: up to date, sending or receiving, offline,
//! or what stopped it, linked to the team page. Nothing for a workspace that is not shared.

use leptos::prelude::*;

use crate::ui::sync_control::SyncBadge;

/// The sync state, announced politely when it changes.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let badge = expect_context::<SyncBadge>();
    view! {
        <p class="sync-status" role="status" aria-live="polite" data-testid="sync-status">
            {move || {
                let words = badge.words.get();
                (!words.is_empty()).then(|| view! {
                    <a href="/team" class=move || format!("sync-state {}", badge.tone.get())>{words}</a>
                })
            }}
        </p>
    }
}
