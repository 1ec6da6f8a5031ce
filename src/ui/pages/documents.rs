//! The identity documents list: named, with their area or address, how long they count, and
//! filters by status (expiring and expired included), entity, regulation and area.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::domain::ordering::sort_by;
use crate::domain::records::document::{IdentityDocument, Standing, Status};
use crate::domain::records::sid::EntitySid;
use crate::domain::rules::document_filter::{DocumentFilter, StandingFilter};
use crate::domain::rules::regulation::RegulationKey;
use crate::domain::time::calendar::Date;
use crate::domain::time::clock::PROMISED_HOURS;
use crate::domain::wording::plural;
use crate::ui::components::badges::StandingBadge;
use crate::ui::data::{Snapshot, use_snapshot};
use crate::ui::state::{today, when};

/// Every identity document with its status, regulation, times and the numbers using it.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    let data = use_snapshot();
    view! {
        <div class="page-head">
            <h1>"Identity documents"</h1>
            <A href="/documents/new" attr:class="button">"Add new identity document"</A>
        </div>
        <p class="lede">{format!("The individuals and businesses behind your numbers, with the documents that prove it. Reviews usually finish within {PROMISED_HOURS} business hours.")}</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(s) if s.documents.is_empty() => view! {
                    <p class="empty">"No identity documents yet. Add one before buying a regulated number."</p>
                }.into_any(),
                Ok(s) => view! { <DocumentTable snapshot=s/> }.into_any(),
            })}
        </Suspense>
    }
}

/// Where a document's local area, or else its address, is: what tells five documents of one
/// company apart in a list. The area's name is the one stored with the document, so the list
/// does not download the numbering plan.
fn place(snapshot: &Snapshot, d: &IdentityDocument) -> String {
    d.intended_area
        .as_deref()
        .map(|p| area_label(p, d.area_name.as_deref()))
        .or_else(|| snapshot.address(d.address_sid).map(|a| a.one_line()))
        .unwrap_or_else(|| "—".into())
}

/// An area as the list and its filter write it: "Köln (+49221)", or the prefix alone.
fn area_label(prefix: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{name} (+{prefix})"),
        None => format!("+{prefix}"),
    }
}

/// When a document stops counting, for the list: its last day, with a warning class within
/// the days its end is announced.
fn last_day_cell(d: &IdentityDocument, today: Date) -> (String, &'static str) {
    match (d.standing(today), d.expiry()) {
        (Standing::Expired(e), _) => (format!("Expired after {}", e.last_day), "expired"),
        (Standing::Status(Status::Passed), Some(e)) => {
            let left = e.days_left(today);
            let class = if e.announced(today) { "expiring" } else { "" };
            (
                format!("{} ({})", e.last_day, plural(left as usize, "day", "days")),
                class,
            )
        }
        (Standing::Status(Status::Passed), None) => ("No end date".into(), ""),
        _ => ("—".into(), ""),
    }
}

/// The filters and the table, for one snapshot. The filters live in the URL, so the overview's
/// warnings can link to "expiring" and a filtered list can be bookmarked.
#[component]
fn DocumentTable(snapshot: Snapshot) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let today = today();
    let filter = Memo::new(move |_| {
        let q = query.get();
        DocumentFilter {
            standing: StandingFilter::from_slug(&q.get("status").unwrap_or_default()),
            entity: q.get("entity").and_then(|e| e.parse().ok()),
            regulation: q
                .get("regulation")
                .and_then(|r| RegulationKey::from_stable_name(&r)),
            area: q.get("area").filter(|a| !a.is_empty()),
        }
    });
    let set = move |key: &'static str, value: String| {
        let mut q = query.get_untracked();
        if value.is_empty() {
            q.remove(key);
        } else {
            q.replace(key, value);
        }
        navigate(
            &format!("/documents{}", q.to_query_string()),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let set_status = set.clone();
    let set_regulation = set.clone();
    let set_entity = set.clone();
    let set_area = set;
    let mut entities: Vec<(EntitySid, String)> = snapshot
        .entities
        .iter()
        .map(|e| (e.sid, e.name()))
        .collect();
    sort_by(&mut entities, |(_, name)| name.clone());
    let mut regulations: Vec<RegulationKey> =
        snapshot.documents.iter().map(|d| d.regulation).collect();
    sort_by(&mut regulations, |k| k.stable_name());
    regulations.dedup();
    let mut areas: Vec<(String, String)> = snapshot
        .documents
        .iter()
        .filter_map(|d| {
            let p = d.intended_area.clone()?;
            let label = area_label(&p, d.area_name.as_deref());
            Some((p, label))
        })
        .collect();
    sort_by(&mut areas, |(_, name)| name.clone());
    areas.dedup();
    let snapshot = StoredValue::new(snapshot);
    let rows = move || {
        let f = filter.get();
        snapshot.with_value(|s| {
            let mut docs: Vec<IdentityDocument> = s
                .documents
                .iter()
                .filter(|d| f.matches(d, today))
                .cloned()
                .collect();
            // Newest first.
            sort_by(&mut docs, |d| -d.created.0);
            docs
        })
    };
    let shown = move || rows().len();
    let total = snapshot.with_value(|s| s.documents.len());
    view! {
        <form class="filters" role="search" aria-label="Filter documents" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" on:change:target=move |ev| set_status("status", ev.target().value())>
                    {StandingFilter::ALL.into_iter().map(|f| view! {
                        <option value=f.slug() selected=move || filter.get().standing == f>{f.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-entity">"For"</label>
                <select id="filter-entity" on:change:target=move |ev| set_entity("entity", ev.target().value())>
                    <option value="">"Any individual or business"</option>
                    {entities.into_iter().map(|(sid, name)| view! {
                        <option value=sid.to_string() selected=move || filter.get().entity == Some(sid)>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-regulation">"Regulation"</label>
                <select id="filter-regulation" on:change:target=move |ev| set_regulation("regulation", ev.target().value())>
                    <option value="">"Any regulation"</option>
                    {regulations.into_iter().map(|k| view! {
                        <option value=k.stable_name() selected=move || filter.get().regulation == Some(k)>{k.friendly_name()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-area">"Local area"</label>
                <select id="filter-area" on:change:target=move |ev| set_area("area", ev.target().value())>
                    <option value="">"Any area"</option>
                    {areas.into_iter().map(|(prefix, name)| {
                        let p = prefix.clone();
                        view! { <option value=prefix selected=move || filter.get().area.as_ref() == Some(&p)>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
        </form>
        <p class="hint" aria-live="polite" data-testid="documents-shown">{move || format!("Showing {} of {}.", shown(), plural(total, "document", "documents"))}</p>
        <div class="table-wrap">
        <table class="stack">
            <caption class="visually-hidden">"Identity documents"</caption>
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Area or address"</th><th scope="col">"Regulation"</th>
                <th scope="col">"Status"</th><th scope="col">"Counts until"</th><th scope="col">"Submitted"</th>
                <th scope="col">"Decided"</th><th scope="col">"Numbers"</th>
            </tr></thead>
            <tbody>
                {move || rows().into_iter().map(|d| {
                    let (place, used) = snapshot.with_value(|s| (place(s, &d), s.numbers_of_document(d.sid).len()));
                    let (until, class) = last_day_cell(&d, today);
                    view! {
                        <tr>
                            <td data-label="Name"><a href=format!("/documents/{}", d.sid)>{d.display_name()}</a></td>
                            <td data-label="Area or address">{place}</td>
                            <td data-label="Regulation">{d.regulation.friendly_name()}</td>
                            <td data-label="Status"><StandingBadge standing=d.standing(today)/></td>
                            <td data-label="Counts until" class=class>{until}</td>
                            <td data-label="Submitted">{d.submitted_at().map(when).unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Decided">{d.decided_at().map(when).unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Numbers">{used}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
