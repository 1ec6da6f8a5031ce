//! My numbers: every owned number with its compliance, filterable, a page at a time; numbers can
//! be selected (across pages) and mapped to one identity document and/or address at once.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::exchange::csv_import::Refusal;
use crate::domain::ordering::sort_by;
use crate::domain::phone::e164::DigitsSearch;
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid};
use crate::domain::rules::compliance::Compliance;
use crate::domain::rules::problem::Problem;
use crate::domain::wording::{grouped, plural};
use crate::store::changes::{self, Change};
use crate::store::platform::BrowserRandom;
use crate::store::workspace::{self, BulkReport};
use crate::store::{documents, numbers};
use crate::ui::components::number_row::NumberRow;
use crate::ui::components::problems::ProblemList;
use crate::ui::data::Snapshot;
use crate::ui::state::{next_paint, now, today, use_app};

/// Rows per page: enough to scan, few enough that 10,000 numbers render instantly.
const PAGE: usize = 50;

/// A row as the table shows it: the number, its compliance, its document's name.
type Row = (PhoneNumber, Compliance, Option<String>);

/// A cold start's first page: the first numbers in the list's order with their stored compliance
/// and their documents' names, read without decoding the rest of the workspace.
async fn first_page(db: &crate::store::Db) -> Result<Vec<Row>, crate::store::StoreError> {
    let first = numbers::first_page(db, PAGE as u32).await?;
    let mut sids: Vec<IdentitySid> = first.iter().filter_map(|(n, _)| n.identity_sid).collect();
    sort_by(&mut sids, IdentitySid::bytes);
    sids.dedup();
    let named = documents::get_many(db, &sids).await?;
    let name = |sid: Option<IdentitySid>| {
        named
            .iter()
            .find(|d| Some(d.sid) == sid)
            .map(IdentityDocument::display_name)
    };
    Ok(first
        .into_iter()
        .map(|(number, slug)| {
            let compliance = Compliance::from_slug(&slug).unwrap_or(Compliance::NotRegulated);
            let document = name(number.identity_sid);
            (number, compliance, document)
        })
        .collect())
}

/// Moves the focus to the element `id` once the next render has happened (the control that had
/// it, in the selection bar, may be gone).
fn focus_later(id: &'static str) {
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    });
}

/// The refused numbers grouped by their reasons, in first-seen order, so fifty numbers refused
/// for one reason read as one entry.
fn by_reasons(
    refused: Vec<Refusal>,
    name: impl Fn(NumberSid) -> String,
) -> Vec<(Vec<Problem>, Vec<String>)> {
    let mut groups: Vec<(Vec<Problem>, Vec<String>)> = Vec::new();
    for r in refused {
        let shown = r
            .e164
            .as_ref()
            .map(|e| e.format_grouped())
            .unwrap_or_else(|| name(r.sid));
        // The document's address and the chosen one can fail for the same words: say it once.
        let mut reasons: Vec<Problem> = Vec::new();
        for p in r.reasons {
            if !reasons.contains(&p) {
                reasons.push(p);
            }
        }
        match groups.iter_mut().find(|(known, _)| *known == reasons) {
            Some((_, names)) => names.push(shown),
            None => groups.push((reasons, vec![shown])),
        }
    }
    groups
}

/// An address as the bulk-mapping select names it.
fn address_choice(a: &Address) -> String {
    if a.friendly_name.is_empty() {
        a.label()
    } else {
        format!("{} ({} {})", a.label(), a.postal_code, a.city)
    }
}

/// The numbers table with its filters (non-compliant only, country, document, digits).
#[component]
pub fn NumbersPage() -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    let only_noncompliant = RwSignal::new(query.get_untracked().get("noncompliant").is_some());
    let country = RwSignal::new(String::new());
    let document = RwSignal::new(query.get_untracked().get("document").unwrap_or_default());
    let entity = RwSignal::new(query.get_untracked().get("entity").unwrap_or_default());
    // The first rows of the unfiltered list, shown before the whole workspace is read and every
    // number evaluated (a filtered list has no cheap first page: it waits for the full read).
    let first_rows: RwSignal<Option<Vec<Row>>> = RwSignal::new(None);
    let cold = StoredValue::new(
        !only_noncompliant.get_untracked()
            && document.with_untracked(String::is_empty)
            && entity.with_untracked(String::is_empty),
    );
    let data = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        let first = cold.get_value();
        cold.set_value(false);
        async move {
            if first && let Ok(rows) = first_page(&db).await {
                first_rows.set(Some(rows));
                next_paint().await;
            }
            Snapshot::load(&db).await
        }
    });
    let digits = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    // Each number's compliance is computed once per snapshot, not once per keystroke.
    let rows = Memo::new(move |_| {
        data.get().and_then(|r| r.ok()).map(|s| {
            let today = today();
            // One index for the whole list: compliance of 10,000 numbers without a search each.
            let lookup = s.lookup();
            let mut sorted: Vec<_> = s.numbers.iter().collect();
            sort_by(&mut sorted, |n| n.e164.to_string());
            sorted
                .into_iter()
                .map(|n| {
                    (
                        n.clone(),
                        lookup.compliance(n, today),
                        lookup.document(n.identity_sid).map(|d| d.display_name()),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    // Which entity each document is for, to filter numbers by the entity behind their document.
    let entity_of = Memo::new(move |_| {
        data.get()
            .and_then(|r| r.ok())
            .map(|s| {
                s.documents
                    .iter()
                    .filter_map(|d| Some((d.sid, d.entity_sid?.to_string())))
                    .collect::<HashMap<IdentitySid, String>>()
            })
            .unwrap_or_default()
    });
    let filtered = Memo::new(move |_| {
        let digits_q = DigitsSearch::new(&digits.get());
        let entity_q = entity.get();
        let country_q = country.get();
        let doc_q = document.get();
        let only = only_noncompliant.get();
        rows.get()
            .unwrap_or_default()
            .into_iter()
            .filter(|(n, c, _)| {
                (!only || matches!(c, Compliance::NonCompliant(_)))
                    && (country_q.is_empty() || n.country.code() == country_q)
                    && (doc_q.is_empty()
                        || n.identity_sid.map(|s| s.to_string()) == Some(doc_q.clone()))
                    && (entity_q.is_empty()
                        || entity_of
                            .with(|m| n.identity_sid.and_then(|d| m.get(&d)) == Some(&entity_q)))
                    && digits_q.matches(&n.e164)
            })
            .collect::<Vec<_>>()
    });
    // A new filter starts again at the first page.
    Effect::new(move |_| {
        only_noncompliant.track();
        country.track();
        document.track();
        entity.track();
        digits.track();
        page.set(0);
    });
    let pages = move || filtered.with(|f| f.len().div_ceil(PAGE).max(1));
    // The list can shrink under the page shown (a bulk mapping takes numbers out of a
    // non-compliant-only list, another tab deletes some): stay on the last page that exists.
    Effect::new(move |_| {
        let last = pages() - 1;
        if page.get_untracked() > last {
            page.set(last);
        }
    });
    let on_last_page = move || page.get() + 1 >= pages();

    // Selection: a set of SIDs, independent of the page and the filters.
    let selected: RwSignal<HashSet<NumberSid>> = RwSignal::new(HashSet::new());
    // Numbers gone from the workspace (released, replaced) leave the selection.
    Effect::new(move |_| {
        if let Some(all) = rows.get() {
            let live: HashSet<NumberSid> = all.iter().map(|(n, _, _)| n.sid).collect();
            if selected.with_untracked(|s| s.iter().any(|sid| !live.contains(sid))) {
                selected.update(|s| s.retain(|sid| live.contains(sid)));
            }
        }
    });
    // The numbers on the page shown: a cold start's first rows until the whole list is read, so
    // "Select all on this page" works on them too.
    let page_sids = move || {
        if rows.with(Option::is_none)
            && let Some(first) = first_rows.with(|f| {
                f.as_ref()
                    .map(|f| f.iter().map(|(n, _, _)| n.sid).collect())
            })
        {
            return first;
        }
        filtered.with(|f| {
            f.iter()
                .skip(page.get() * PAGE)
                .take(PAGE)
                .map(|(n, _, _)| n.sid)
                .collect::<Vec<_>>()
        })
    };
    let page_selected = move || {
        let on_page = page_sids();
        let chosen = selected.with(|s| on_page.iter().filter(|sid| s.contains(sid)).count());
        (chosen, on_page.len())
    };
    let hidden_selected = move || {
        let shown = filtered
            .with(|f| selected.with(|s| f.iter().filter(|(n, _, _)| s.contains(&n.sid)).count()));
        selected.with(HashSet::len) - shown
    };
    let bulk_identity: RwSignal<Option<IdentitySid>> = RwSignal::new(None);
    let bulk_address: RwSignal<Option<AddressSid>> = RwSignal::new(None);
    let bulk_busy = RwSignal::new(false);
    let bulk_problem: RwSignal<Option<String>> = RwSignal::new(None);
    let bulk_result: RwSignal<Option<Result<BulkReport, String>>> = RwSignal::new(None);
    let map_selected = move |_| {
        let identity = bulk_identity.get_untracked();
        let address = bulk_address.get_untracked();
        if identity.is_none() && address.is_none() {
            bulk_problem.set(Some(
                "Choose an identity document, an address, or both to map.".into(),
            ));
            return;
        }
        bulk_problem.set(None);
        let mut sids: Vec<NumberSid> = selected.get_untracked().into_iter().collect();
        sort_by(&mut sids, NumberSid::bytes);
        bulk_busy.set(true);
        let db = state.db();
        leptos::task::spawn_local(async move {
            let result = workspace::bulk_map(
                &db,
                &sids,
                identity,
                address,
                EventSid::generate(&mut BrowserRandom),
                now(),
            )
            .await;
            match result {
                Ok(report) => {
                    let wrote = !report.mapped.is_empty();
                    selected.set(HashSet::new());
                    bulk_result.set(Some(Ok(report)));
                    focus_later("bulk-result-notice");
                    if wrote {
                        changes::publish(Change::Numbers);
                    }
                }
                Err(e) => bulk_result.set(Some(Err(e.to_string()))),
            }
            bulk_busy.set(false);
        });
    };
    let number_name = move |sid: NumberSid| {
        rows.with_untracked(|r| {
            r.as_ref()
                .and_then(|r| r.iter().find(|(n, _, _)| n.sid == sid))
                .map(|(n, _, _)| n.e164.format_grouped())
        })
        .unwrap_or_else(|| sid.to_string())
    };

    view! {
        <h1>"My numbers"</h1>
        <p class="lede">"The numbers you own, and whether each has the address and identity document it needs."</p>
        <form class="filters" on:submit=|ev| ev.prevent_default() aria-label="Filter numbers">
            <label class="inline"><input type="checkbox" prop:checked=move || only_noncompliant.get()
                on:change:target=move |ev| only_noncompliant.set(ev.target().checked())/>" Non-compliant only"</label>
            <div>
                <label for="filter-country">"Country"</label>
                <select id="filter-country" on:change:target=move |ev| country.set(ev.target().value())>
                    <option value="">"All countries"</option>
                    {crate::domain::rules::regulation::Catalog::shared().countries().into_iter().map(|c| view! {
                        <option value=c.code().to_string()>{c.name()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-entity">"For"</label>
                <select id="filter-entity" on:change:target=move |ev| entity.set(ev.target().value())>
                    <option value="">"Any individual or business"</option>
                    {move || data.get().and_then(|r| r.ok()).map(|s| s.entities.iter().map(|e| {
                        let sid = e.sid.to_string();
                        let selected = entity.get_untracked() == sid;
                        view! { <option value=sid selected=selected>{e.name()}</option> }
                    }).collect_view())}
                </select>
            </div>
            <div>
                <label for="filter-document">"Identity document"</label>
                <select id="filter-document" on:change:target=move |ev| document.set(ev.target().value())>
                    <option value="">"Any"</option>
                    {move || data.get().and_then(|r| r.ok()).map(|s| s.documents.iter().map(|d| {
                        let sid = d.sid.to_string();
                        let selected = document.get_untracked() == sid;
                        view! { <option value=sid selected=selected>{d.name_and_status()}</option> }
                    }).collect_view())}
                </select>
            </div>
            <div>
                <label for="filter-digits">"Digits"</label>
                <input id="filter-digits" type="search" inputmode="numeric" prop:value=move || digits.get()
                    on:input:target=move |ev| digits.set(ev.target().value())/>
            </div>
        </form>
        <p id="numbers-count" role="status" aria-live="polite" class="hint">{move || if rows.with(Option::is_some) {
            plural(filtered.with(Vec::len), "number", "numbers")
        } else {
            "Reading every number…".to_string()
        }}</p>
        <div aria-live="polite" class="bulk-result" data-testid="bulk-result">
            {move || bulk_result.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e}</p> }.into_any(),
                Ok(report) => {
                    let mapped = report.mapped.len();
                    let refused = report.refused.len();
                    let tone = if mapped > 0 { "notice ok" } else { "notice info" };
                    view! {
                        <div id="bulk-result-notice" class=tone tabindex="-1">
                            <p class="bulk-summary">
                                {format!("Mapped {}.", plural(mapped, "number", "numbers"))}
                                {match (mapped, refused) {
                                    (_, 0) => String::new(),
                                    (0, r) => format!(" The mapping fits none of the {} selected; they are left unchanged.", grouped(r)),
                                    (_, r) => format!(" {} left unchanged: the mapping does not fit {}.", grouped(r), if r == 1 { "it" } else { "them" }),
                                }}
                            </p>
                            {(refused > 0).then(|| view! {
                                <ul class="refused" aria-label="Numbers left unchanged, by reason">
                                    {by_reasons(report.refused, number_name).into_iter().map(|(reasons, names)| view! {
                                        <li>
                                            <p class="refused-numbers" tabindex="0">
                                                <strong>{format!("{}: ", plural(names.len(), "number", "numbers"))}</strong>
                                                {names.join(", ")}
                                            </p>
                                            <ProblemList problems=reasons/>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                            <button type="button" class="secondary" on:click=move |_| bulk_result.set(None)>"Dismiss"</button>
                        </div>
                    }.into_any()
                }
            })}
        </div>
        <Show when=move || selected.with(|s| !s.is_empty())>
            <section class="bulk-bar" aria-label="Map selected numbers">
                <div class="bulk-inner">
                    <p class="bulk-count" role="status">
                        <strong>{move || {
                            let n = selected.with(HashSet::len);
                            format!("{} selected", plural(n, "number", "numbers"))
                        }}</strong>
                        {move || match hidden_selected() {
                            0 => None,
                            h => Some(view! { <span class="hint">{format!(" ({} not shown by the filters)", grouped(h))}</span> }),
                        }}
                    </p>
                    <div class="bulk-fields">
                        <div>
                            <label for="bulk-identity">"Identity document"</label>
                            <select id="bulk-identity" on:change:target=move |ev| bulk_identity.set(ev.target().value().parse().ok())>
                                <option value="" selected=move || bulk_identity.get().is_none()>"Keep current"</option>
                                {move || data.get().and_then(|r| r.ok()).map(|s| {
                                    let mut choices: Vec<_> = s.documents.iter().map(|d| (d.name_and_status(), d.sid)).collect();
                                    sort_by(&mut choices, |(label, _)| label.clone());
                                    choices.into_iter().map(|(label, sid)| view! {
                                        <option value=sid.to_string() selected=move || bulk_identity.get_untracked() == Some(sid)>{label}</option>
                                    }).collect_view()
                                })}
                            </select>
                        </div>
                        <div>
                            <label for="bulk-address">"Address"</label>
                            <select id="bulk-address" on:change:target=move |ev| bulk_address.set(ev.target().value().parse().ok())>
                                <option value="" selected=move || bulk_address.get().is_none()>"Keep current"</option>
                                {move || data.get().and_then(|r| r.ok()).map(|s| {
                                    let mut choices: Vec<_> = s.addresses.iter().map(|a| (address_choice(a), a.sid)).collect();
                                    sort_by(&mut choices, |(label, _)| label.clone());
                                    choices.into_iter().map(|(label, sid)| view! {
                                        <option value=sid.to_string() selected=move || bulk_address.get_untracked() == Some(sid)>{label}</option>
                                    }).collect_view()
                                })}
                            </select>
                        </div>
                        <div class="bulk-actions">
                            <button type="button" disabled=move || bulk_busy.get() on:click=map_selected>
                                {move || if bulk_busy.get() { "Mapping…" } else { "Map selected" }}
                            </button>
                            <button type="button" class="secondary" on:click=move |_| {
                                selected.set(HashSet::new());
                                focus_later("select-page");
                            }>"Clear selection"</button>
                        </div>
                    </div>
                    <p class="hint bulk-hint">"Each number is mapped only where the document or address fits it; the others are listed with the reasons and left as they are."</p>
                    <div aria-live="assertive">
                        {move || bulk_problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                    </div>
                </div>
            </section>
        </Show>
        <div class="table-wrap">
        <table class="stack selectable">
            <caption class="visually-hidden">"Owned numbers"</caption>
            <thead><tr>
                <th scope="col" class="select-cell">
                    <input type="checkbox" id="select-page" aria-label="Select all on this page" title="Select all on this page"
                        prop:checked=move || { let (c, t) = page_selected(); t > 0 && c == t }
                        prop:indeterminate=move || { let (c, t) = page_selected(); c > 0 && c < t }
                        disabled=move || page_selected().1 == 0
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            let sids = page_sids();
                            selected.update(|s| for sid in sids {
                                if on { s.insert(sid); } else { s.remove(&sid); }
                            });
                        }/>
                    // Shown on a phone only, where the column headings are hidden; the checkbox
                    // has its own accessible name, so this text is not read twice.
                    <span class="select-all-text" aria-hidden="true">"Select all on this page"</span>
                </th>
                <th scope="col">"Number"</th><th scope="col">"Type"</th><th scope="col">"Locality"</th>
                <th scope="col">"Compliance"</th><th scope="col">"Identity document"</th><th scope="col">"Bought"</th>
            </tr></thead>
            <tbody>
                {move || {
                    // A cold start: the first rows from the stored slugs, until the list is read.
                    if rows.with(Option::is_none) && let Some(first) = first_rows.get() {
                        return first.into_iter().map(|(number, compliance, document)| view! {
                            <NumberRow number compliance document selected/>
                        }).collect_view().into_any();
                    }
                    filtered.with(|f| {
                        f.iter().skip(page.get() * PAGE).take(PAGE).map(|(n, c, doc)| view! {
                            <NumberRow number=n.clone() compliance=c.clone() document=doc.clone() selected/>
                        }).collect_view()
                    }).into_any()
                }}
            </tbody>
        </table>
        </div>
        <nav class="pager" aria-label="Pages">
            <button class="secondary" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
            <span>{move || format!("Page {} of {}", page.get() + 1, pages())}</span>
            <button class="secondary" disabled=on_last_page on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
        </nav>
    }
}
