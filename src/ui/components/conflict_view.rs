//! Records two machines changed apart, each shown with its versions side by side: every field,
//! the ones that differ marked, and a choice per differing field. Keeping a version, or the fields
//! chosen from each, resolves it here (`store::replica::resolve`) and the resolution replicates.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use serde_json::Value;

use crate::domain::time::Timestamp;
use crate::domain::wording::capitalized;
use crate::store::changes::{self, Change};
use crate::store::replica::{self, Conflict};
use crate::ui::state::{now, use_app, when};
use crate::ui::sync_control::use_sync;

/// Every conflict in the workspace, or a line saying there is none.
#[component]
pub fn ConflictList() -> impl IntoView {
    let state = use_app();
    let found = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { replica::conflicts(&db).await.map_err(|e| e.to_string()) }
    });
    view! {
        <section class="card" aria-labelledby="team-conflicts">
            <h2 id="team-conflicts">"Conflicts"</h2>
            {move || found.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! {
                    <p data-testid="no-conflicts">"None: no record was changed on two machines apart."</p>
                }.into_any(),
                Ok(list) => view! {
                    <p data-testid="conflict-count">{format!(
                        "{} record{} changed on two machines while they were apart. Until you choose, the version marked “kept for now” is used everywhere.",
                        list.len(), if list.len() == 1 { " was" } else { "s were" }
                    )}</p>
                    {list.into_iter().map(|c| view! { <ConflictCard conflict=c/> }).collect_view()}
                }.into_any(),
            })}
        </section>
    }
}

/// A body's top-level fields.
fn fields(body: &Value) -> BTreeMap<String, Value> {
    body.as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// A field's value as text for the table: a time (the records' millisecond fields) as UTC.
fn shown(key: &str, value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) if s.is_empty() => "(empty)".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if ["created", "bought", "at"].contains(&key) => n
            .as_i64()
            .map(|ms| when(Timestamp(ms)))
            .unwrap_or_else(|| n.to_string()),
        Some(other) => other.to_string(),
    }
}

/// A field's name as a label (`street_secondary` → "Street secondary").
fn label(key: &str) -> String {
    capitalized(&key.replace('_', " "))
}

/// What a record is called, for its heading.
fn title(id: &str, versions: &[BTreeMap<String, Value>]) -> String {
    let name = versions.iter().find_map(|v| {
        ["friendly_name", "name", "customer_name", "e164", "street"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))
            .map(str::to_string)
    });
    match name {
        Some(n) => format!("{n} ({id})"),
        None => id.to_string(),
    }
}

/// One record's versions side by side.
#[component]
fn ConflictCard(conflict: Conflict) -> impl IntoView {
    let state = use_app();
    let sync = use_sync();
    // The versions: the one kept for now first, then the others.
    let mut versions: Vec<(String, BTreeMap<String, Value>)> = Vec::new();
    let short = |rev: &crate::domain::replication::rev::Rev| {
        format!(
            "{}-{}",
            rev.generation,
            rev.hash.get(..7).unwrap_or(&rev.hash)
        )
    };
    if let (rev, Some(body)) = &conflict.winner {
        versions.push((
            format!("Version 1, kept for now ({})", short(rev)),
            fields(body),
        ));
    }
    for (rev, body) in &conflict.others {
        let n = versions.len() + 1;
        versions.push((format!("Version {n} ({})", short(rev)), fields(body)));
    }
    let keys: BTreeSet<String> = versions
        .iter()
        .flat_map(|(_, f)| f.keys().cloned())
        .collect();
    let differs = |k: &String| {
        let first = versions.first().and_then(|(_, f)| f.get(k));
        versions.iter().any(|(_, f)| f.get(k) != first)
    };
    let differing: Vec<String> = keys.iter().filter(|k| differs(k)).cloned().collect();
    // The fields every version agrees on, folded away under the table: what to choose is above.
    let same: Vec<(String, Option<Value>)> = keys
        .iter()
        .filter(|k| !differing.contains(k) && k.as_str() != "type")
        .map(|k| {
            (
                k.clone(),
                versions.first().and_then(|(_, f)| f.get(k).cloned()),
            )
        })
        .collect();
    let heading = title(
        &conflict.id,
        &versions.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>(),
    );
    // The version each differing field is taken from (the first by default).
    let chosen: RwSignal<BTreeMap<String, usize>> =
        RwSignal::new(differing.iter().map(|k| (k.clone(), 0)).collect());
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let versions = StoredValue::new(versions);
    let id = StoredValue::new(conflict.id.clone());
    let resolve = move |body: Value| {
        let db = state.db();
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            match replica::resolve(&db, &id, &body, now()).await {
                Ok(()) => {
                    changes::publish(Change::Workspace);
                    sync.wake();
                }
                Err(e) => {
                    failure.try_set(Some(e.to_string()));
                }
            }
        });
    };
    let keep = move |i: usize| {
        let body = versions.with_value(|v| Value::Object(v[i].1.clone().into_iter().collect()));
        resolve(body);
    };
    let keep_chosen = move |_| {
        let picks = chosen.get_untracked();
        let body = versions.with_value(|v| {
            let mut merged = v[0].1.clone();
            for (k, i) in &picks {
                match v[*i].1.get(k) {
                    Some(value) => merged.insert(k.clone(), value.clone()),
                    None => merged.remove(k),
                };
            }
            Value::Object(merged.into_iter().collect())
        });
        resolve(body);
    };
    let slug = conflict.id.replace([':', '/'], "-");
    let count = versions.with_value(Vec::len);
    view! {
        <article class="conflict" aria-labelledby=format!("conflict-{slug}") data-testid="conflict">
            <h3 id=format!("conflict-{slug}")>{heading}</h3>
            <div class="table-wrap">
            <table class="conflict-table">
                <caption class="visually-hidden">"The fields that differ between the versions of this record; choose the version to take each from."</caption>
                <thead><tr>
                    <th scope="col">"Field"</th>
                    {versions.with_value(|v| v.iter().map(|(label, _)| view! { <th scope="col">{label.clone()}</th> }).collect_view())}
                </tr></thead>
                <tbody>
                {differing.iter().map(|k| {
                    let cells = versions.with_value(|v| v.iter().enumerate().map(|(i, (_, f))| {
                        let text = shown(k, f.get(k));
                        let key = k.clone();
                        let name = format!("pick-{slug}-{k}");
                        let (checked, picked) = (key.clone(), key.clone());
                        view! {
                            <td>
                                <label class="choice">
                                    <input type="radio" class="pick" name=name.clone()
                                        prop:checked=move || chosen.with(|c| c.get(&checked) == Some(&i))
                                        on:change=move |_| chosen.update(|c| { c.insert(picked.clone(), i); })/>
                                    <span>{text}</span>
                                    <span class="visually-hidden">{format!(" (take {} from version {})", label(&key), i + 1)}</span>
                                </label>
                            </td>
                        }
                    }).collect_view());
                    view! {
                        <tr class="differs">
                            <th scope="row">{label(k)}<span class="visually-hidden">" (differs)"</span></th>
                            {cells}
                        </tr>
                    }
                }).collect_view()}
                </tbody>
            </table>
            </div>
            <details class="conflict-same">
                <summary>{format!("The same in every version: {}", same.len())}</summary>
                <dl class="facts compact">
                    {same.into_iter().map(|(k, v)| view! { <dt>{label(&k)}</dt><dd>{shown(&k, v.as_ref())}</dd> }).collect_view()}
                </dl>
            </details>
            <div class="actions">
                {(0..count).map(|i| view! {
                    <button type="button" class="secondary" on:click=move |_| keep(i)>{format!("Keep version {}", i + 1)}</button>
                }).collect_view()}
                <button type="button" on:click=keep_chosen>"Keep the fields chosen"</button>
            </div>
            <p class="field-error" role="alert">{move || failure.get()}</p>
        </article>
    }
}
