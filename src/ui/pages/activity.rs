//! The activity log: every state change and status callback, newest first.

use leptos::prelude::*;

use crate::store::activity;
use crate::ui::state::{use_app, when};

/// How many entries the page reads: the newest, through the time index.
const SHOWN: usize = 500;

/// The log, filterable by text, with each status callback's webhook body.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let state = use_app();
    let filter = RwSignal::new(String::new());
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
