//! The activity log: every state change and status callback, newest first; a bulk entry expands
//! to its numbers and can be undone here.

use leptos::prelude::*;

use crate::domain::exchange::report::{log_csv, log_json};
use crate::domain::records::activity::{BulkChanges, EventKind, LogFilter, MappingPair, Source};
use crate::domain::rules::bulk::undoable;
use crate::domain::wording::plural;
use crate::store::activity;
use crate::ui::components::bulk_bar::{BulkOutcome, BulkResult, undo};
use crate::ui::download::download_bytes;
use crate::ui::state::{today, use_app, when};

/// Offers the whole log as a file: CSV, or JSON with each entry whole.
async fn export(db: crate::store::Db, json: bool) -> Result<usize, String> {
    let events = activity::all(&db).await.map_err(|e| e.to_string())?;
    if events.is_empty() {
        return Err("The log is empty: there is nothing to export.".into());
    }
    let (bytes, kind, ext) = if json {
        (log_json(&events), "application/json", "json")
    } else {
        (log_csv(&events), "text/csv;charset=utf-8", "csv")
    };
    download_bytes(&bytes, kind, &format!("regdesk-activity-{}.{ext}", today()))?;
    Ok(events.len())
}

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
    let filter = RwSignal::new(LogFilter::default());
    let outcome: RwSignal<Option<BulkOutcome>> = RwSignal::new(None);
    let exported: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);
    let export_as = move |json: bool| {
        let db = state.db();
        leptos::task::spawn_local(async move {
            exported.set(Some(
                export(db, json)
                    .await
                    .map(|n| format!("Exported {}.", plural(n, "entry", "entries"))),
            ));
        });
    };
    let events = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { activity::newest(&db, SHOWN).await }
    });
    view! {
        <h1>"Activity"</h1>
        <p class="lede">"Every state change and status callback, newest first: the newest 500 entries here, every entry in the exports."</p>
        <form class="filters" role="search" aria-label="Filter the log" on:submit=|ev| ev.prevent_default()>
            <div>
                <label for="activity-filter">"Text, number or SID"</label>
                <input id="activity-filter" type="search" placeholder="Passed, +49 30, Acme…" prop:value=move || filter.get().text
                    on:input:target=move |ev| filter.update(|f| f.text = ev.target().value())/>
            </div>
            <div>
                <label for="activity-kind">"Kind"</label>
                <select id="activity-kind" on:change:target=move |ev| {
                    let v = ev.target().value();
                    filter.update(|f| f.kind = EventKind::ALL.into_iter().find(|k| k.label() == v));
                }>
                    <option value="">"Every kind"</option>
                    {EventKind::ALL.into_iter().map(|k| view! { <option value=k.label()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="activity-source">"Source"</label>
                <select id="activity-source" on:change:target=move |ev| {
                    let v = ev.target().value();
                    filter.update(|f| f.source = Source::ALL.into_iter().find(|s| s.label() == v));
                }>
                    <option value="">"Any source"</option>
                    {Source::ALL.into_iter().map(|s| view! { <option value=s.label()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="activity-from">"From"</label>
                <input id="activity-from" type="date" on:change:target=move |ev| filter.update(|f| f.from = ev.target().value().parse().ok())/>
            </div>
            <div>
                <label for="activity-to">"To"</label>
                <input id="activity-to" type="date" aria-describedby="activity-range-problem"
                    on:change:target=move |ev| filter.update(|f| f.to = ev.target().value().parse().ok())/>
            </div>
            <p id="activity-range-problem" class="field-error" role="alert">{move || filter.with(LogFilter::problem)}</p>
        </form>
        <div class="actions log-export">
            <button type="button" class="secondary" on:click=move |_| export_as(false)>"Export the log (CSV)"</button>
            <button type="button" class="secondary" on:click=move |_| export_as(true)>"Export the log (JSON)"</button>
            <span aria-live="polite" data-testid="log-exported">{move || exported.get().map(|r| match r {
                Ok(m) => view! { <span class="hint">{m}</span> }.into_any(),
                Err(m) => view! { <span class="field-error" role="alert">{m}</span> }.into_any(),
            })}</span>
        </div>
        <BulkResult outcome/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || events.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let wanted = filter.get();
                    let logged = !list.is_empty();
                    let shown: Vec<_> = list.into_iter().filter(|e| wanted.matches(e)).collect();
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
                                    <span class="tag">{e.source().label()}</span>
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
