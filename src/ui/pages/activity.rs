//! The activity log: every state change and status callback, newest first; a bulk entry expands
//! to its numbers and can be undone here.

use leptos::prelude::*;

use crate::domain::records::activity::{BulkChanges, MappingPair};
use crate::domain::rules::bulk::undoable;
use crate::domain::wording::plural;
use crate::store::activity;
use crate::ui::components::bulk_bar::{BulkOutcome, BulkResult, undo};
use crate::ui::state::{use_app, when};

/// A mapping as a bulk entry's list writes it: the SIDs, which stay visible in the details.
fn pair_text(pair: MappingPair) -> String {
    let side = |s: Option<String>| s.unwrap_or_else(|| "none".into());
    format!(
        "{} / {}",
        side(pair.identity.map(|s| s.to_string())),
        side(pair.address.map(|s| s.to_string()))
    )
}

/// A bulk entry's numbers, each with its mapping before and after.
#[component]
fn BulkNumbers(bulk: BulkChanges) -> impl IntoView {
    let count = plural(bulk.changes.len(), "number", "numbers");
    view! {
        <details class="bulk-numbers">
            <summary>{format!("The {count} (identity document / address, before → after)")}</summary>
            <ul>
                {bulk.changes.into_iter().map(|c| view! {
                    <li>
                        <a href=format!("/numbers/{}", c.number)>{c.e164.format_grouped()}</a>
                        <span class="sids">{format!(": {} → {}", pair_text(c.before), pair_text(c.after))}</span>
                    </li>
                }).collect_view()}
            </ul>
        </details>
    }
}

/// How many entries the page reads: the newest, through the time index.
const SHOWN: usize = 500;

/// The log, filterable by text, with each status callback's webhook body.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let state = use_app();
    let filter = RwSignal::new(String::new());
    let outcome: RwSignal<Option<BulkOutcome>> = RwSignal::new(None);
    let events = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { activity::newest(&db, SHOWN).await }
    });
    view! {
        <h1>"Activity"</h1>
        <p class="lede">"Every state change and status callback, newest first."</p>
        <div class="filters">
            <div>
                <label for="activity-filter">"Filter"</label>
                <input id="activity-filter" type="search" placeholder="Passed, +49 30, Acme…" prop:value=move || filter.get()
                    on:input:target=move |ev| filter.set(ev.target().value())/>
            </div>
        </div>
        <BulkResult outcome/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || events.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let needle = filter.get();
                    let logged = !list.is_empty();
                    let shown: Vec<_> = list.into_iter().filter(|e| e.matches(&needle)).collect();
                    if shown.is_empty() {
                        let why = if logged { "No entry matches the filter." } else { "Nothing logged yet." };
                        return view! { <p class="empty">{why}</p> }.into_any();
                    }
                    view! {
                        <ol class="log">
                            {shown.into_iter().map(|e| view! {
                                <li>
                                    <time>{when(e.at)}</time>
                                    <span class="tag">{e.kind.label()}</span>
                                    <span>{e.summary.clone()}</span>
                                    {undoable(&e).then(|| {
                                        let entry = e.sid;
                                        view! { <button type="button" class="secondary" on:click=move |_| undo(state.db(), entry, outcome)>"Undo"</button> }
                                    })}
                                    {e.bulk.as_ref().and_then(|b| b.undone_by).map(|_| view! { <span class="tag">"undone"</span> })}
                                    {e.bulk.clone().map(|bulk| view! { <BulkNumbers bulk/> })}
                                    {e.callback.map(|c| view! {
                                        <details><summary>"Status callback (webhook body)"</summary><pre>{c.to_json()}</pre></details>
                                    })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
