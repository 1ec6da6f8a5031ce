//! The main navigation, with live counts of what needs attention.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::store::counts;
use crate::ui::state::{today, use_app};

/// The links to every page; the router marks the current one with `aria-current="page"`. The
/// badges count Pending documents and non-compliant numbers (IndexedDB counts, no record read),
/// and update as they change.
#[component]
pub fn Nav() -> impl IntoView {
    let state = use_app();
    let tally = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { counts::read(&db, today()).await.unwrap_or_default() }
    });
    let pending = move || tally.get().map(|c| c.pending).unwrap_or(0);
    let noncompliant = move || tally.get().map(|c| c.noncompliant).unwrap_or(0);
    view! {
        <nav aria-label="Main">
            <ul class="nav-list">
                <li>
                    <A href="/documents">"Identity documents"</A>
                    <Show when=move || { pending() > 0 }>
                        <span class="badge pending count" data-testid="pending-count"
                              aria-label=move || format!("{} pending", pending())>{pending}</span>
                    </Show>
                </li>
                <li><A href="/addresses">"Addresses"</A></li>
                <li><A href="/buy">"Buy a number"</A></li>
                <li>
                    <A href="/numbers">"My numbers"</A>
                    <Show when=move || { noncompliant() > 0 }>
                        <span class="badge noncompliant count" data-testid="noncompliant-count"
                              aria-label=move || format!("{} non-compliant", noncompliant())>{noncompliant}</span>
                    </Show>
                </li>
                <li><A href="/plan">"Plan"</A></li>
                <li><A href="/activity">"Activity"</A></li>
                <li><A href="/team">"Team"</A></li>
            </ul>
        </nav>
    }
}
