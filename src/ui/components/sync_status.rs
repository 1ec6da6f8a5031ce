//! The team sync's state in the header, on every page: up to date, sending or receiving, offline,
//! or what stopped it, linked to the team page. Nothing for a workspace that is not shared.

use leptos::prelude::*;

use crate::domain::replication::status::SyncState;
use crate::ui::sync_control::use_sync;

/// The sync state, announced politely when it changes.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let sync = use_sync();
    view! {
        <p class="sync-status" role="status" aria-live="polite" data-testid="sync-status">
            {move || {
                let state = sync.state.get();
                (state != SyncState::Off).then(|| view! {
                    <a href="/team" class=format!("sync-state {}", state.tone())>{state.words()}</a>
                })
            }}
        </p>
    }
}
