//! My numbers: every owned number with its compliance and, when it lacks something, what, a page
//! at a time. The filters and the page live in the URL (Back from a number returns to the same
//! page of the same list); numbers can be selected across pages, all matching ones at once, and
//! mapped or unmapped together, with an undo.

use std::collections::{BTreeSet, HashMap, HashSet};

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::ordering::sort_by;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::kinds::NumberType;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{EntitySid, IdentitySid, NumberSid};
use crate::domain::rules::compliance::{Compliance, NumberRef};
use crate::domain::rules::gap::{Gap, reason};
use crate::domain::rules::number_filter::NumberFilter;
use crate::domain::wording::{grouped, plural};
use crate::store::{documents, numbers};
use crate::ui::components::bulk_bar::{BulkBar, BulkOutcome, BulkResult};
use crate::ui::components::number_filters::{FilterChoices, NumberFilters};
use crate::ui::components::number_row::NumberRow;
use crate::ui::components::report_export::ReportExport;
use crate::ui::data::Snapshot;
use crate::ui::state::{next_paint, today, use_app};

/// Rows per page: enough to scan, few enough that 50,000 numbers render instantly.
const PAGE: usize = 50;

/// A number as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// The number.
    pub number: PhoneNumber,
    /// Its compliance.
    pub compliance: Compliance,
    /// What it lacks, in a few words.
    pub why: Option<String>,
    /// Its document's name.
    pub document: Option<String>,
    /// What it lacks, for the filter and the report.
    pub gap: Option<Gap>,
    /// The entity behind its document, for the filter and the report.
    pub entity: Option<EntitySid>,
}

/// A cold start's first page: the first numbers in the list's order with their stored compliance
/// and their documents' names, read without decoding the rest of the workspace.
async fn first_page(db: &crate::store::Db) -> Result<Vec<Listed>, crate::store::StoreError> {
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
        .map(|(number, slug)| Listed {
            compliance: Compliance::from_slug(&slug).unwrap_or(Compliance::NotRegulated),
            document: name(number.identity_sid),
            number,
            why: None,
            gap: None,
            entity: None,
        })
        .collect())
}

/// Every number of a snapshot, sorted, each judged once (compliance and gap) per snapshot, not
/// once per keystroke.
fn listed(s: &Snapshot) -> Vec<Listed> {
    let today = today();
    let lookup = s.lookup();
    let entity_of: HashMap<IdentitySid, EntitySid> = s
        .documents
        .iter()
        .filter_map(|d| Some((d.sid, d.entity_sid?)))
        .collect();
    let mut sorted: Vec<&PhoneNumber> = s.numbers.iter().collect();
    sort_by(&mut sorted, |n| n.e164.clone());
    sorted
        .into_iter()
        .map(|n| {
            let (compliance, gap) = lookup.assess(n, today);
            Listed {
                why: reason(&compliance, gap.as_ref(), &NumberRef::of(n), today),
                document: lookup.document(n.identity_sid).map(|d| d.display_name()),
                entity: n.identity_sid.and_then(|d| entity_of.get(&d).copied()),
                number: n.clone(),
                compliance,
                gap,
            }
        })
        .collect()
}

/// The drop-downs' choices, from a snapshot.
fn choices(s: &Snapshot) -> FilterChoices {
    let sorted = |mut v: Vec<(String, String)>| {
        sort_by(&mut v, |(_, label)| label.to_lowercase());
        v.dedup();
        v
    };
    FilterChoices {
        entities: sorted(
            s.entities
                .iter()
                .map(|e| (e.sid.to_string(), e.name()))
                .collect(),
        ),
        documents: sorted(
            s.documents
                .iter()
                .map(|d| (d.sid.to_string(), d.name_and_status()))
                .collect(),
        ),
        addresses: sorted(
            s.addresses
                .iter()
                .map(|a| {
                    let label = if a.friendly_name.is_empty() {
                        a.label()
                    } else {
                        format!("{} ({} {})", a.label(), a.postal_code, a.city)
                    };
                    (a.sid.to_string(), label)
                })
                .collect(),
        ),
        areas: sorted(
            s.numbers
                .iter()
                .filter_map(|n| n.area.as_ref())
                .map(|a| (a.prefix.clone(), format!("{} (+{})", a.name, a.prefix)))
                .collect(),
        ),
        types: {
            let held: BTreeSet<NumberType> = s.numbers.iter().map(|n| n.number_type).collect();
            NumberType::ALL
                .into_iter()
                .filter(|t| NumberType::SOLD.contains(t) || held.contains(t))
                .map(|t| (t.slug().to_string(), t.label().to_string()))
                .collect()
        },
    }
}

/// The numbers table with its filters, selection and bulk actions.
#[component]
pub fn NumbersPage() -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    // The list's state is read from the URL and written back with `history.replaceState`, not a
    // router navigation: navigating on every keystroke took 400 ms over 10,000 numbers
    // (BENCHMARKS.md, figure 4). Back, a reload or a shared link bring the URL's state back.
    let read = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k);
            (
                NumberFilter::from_query(get),
                NumberFilter::page_from_query(get),
            )
        })
    };
    let (first_filter, first_page_shown) = untrack(read);
    let filter = RwSignal::new(first_filter);
    // The page shown, 0-based; the URL counts from 1.
    let page = RwSignal::new(first_page_shown);
    // A navigation from elsewhere to this list with another query (the navigation's link, a
    // plan's group): follow it.
    Effect::new(move |first: Option<()>| {
        let (f, p) = read();
        if first.is_some() {
            filter.set(f);
            page.set(p);
        }
    });
    let go = move |f: NumberFilter, p: usize| {
        let url = f.href(p);
        filter.set(f);
        page.set(p);
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    };
    // The first rows of the unfiltered list, shown before the whole workspace is read and every
    // number evaluated (a filtered list has no cheap first page: it waits for the full read).
    let first_rows: RwSignal<Option<Vec<Listed>>> = RwSignal::new(None);
    let cold = StoredValue::new(filter.get_untracked().is_empty() && page.get_untracked() == 0);
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
    let snapshot = Memo::new(move |_| data.get().and_then(|r| r.ok()));
    let rows = Memo::new(move |_| snapshot.with(|s| s.as_ref().map(listed)));
    let filter_choices =
        Memo::new(move |_| snapshot.with(|s| s.as_ref().map(choices).unwrap_or_default()));
    let filtered = Memo::new(move |_| {
        let f = filter.get();
        let m = f.matcher();
        rows.with(|r| {
            r.iter()
                .flatten()
                .filter(|l| m.matches(&l.number, &l.compliance, l.gap.as_ref(), l.entity))
                .map(|l| l.number.sid)
                .collect::<Vec<NumberSid>>()
        })
    });
    let pages = move || filtered.with(|f| f.len().div_ceil(PAGE).max(1));
    // The page asked for may be past the end (a bulk mapping takes numbers out of a filtered
    // list, an old link): show the last page that exists.
    let shown_page = move || page.get().min(pages() - 1);

    // Selection: a set of SIDs, independent of the page and the filters.
    let selected: RwSignal<HashSet<NumberSid>> = RwSignal::new(HashSet::new());
    // Numbers gone from the workspace (released, replaced) leave the selection.
    Effect::new(move |_| {
        rows.with(|r| {
            if let Some(all) = r {
                let live: HashSet<NumberSid> = all.iter().map(|l| l.number.sid).collect();
                if selected.with_untracked(|s| s.iter().any(|sid| !live.contains(sid))) {
                    selected.update(|s| s.retain(|sid| live.contains(sid)));
                }
            }
        })
    });
    // The numbers on the page shown: a cold start's first rows until the whole list is read, so
    // "Select all on this page" works on them too.
    let page_sids = move || {
        if rows.with(Option::is_none) {
            return first_rows
                .with(|f| f.iter().flatten().map(|l| l.number.sid).collect::<Vec<_>>());
        }
        filtered.with(|f| {
            f.iter()
                .skip(shown_page() * PAGE)
                .take(PAGE)
                .copied()
                .collect::<Vec<_>>()
        })
    };
    let page_selected = move || {
        let on_page = page_sids();
        let chosen = selected.with(|s| on_page.iter().filter(|sid| s.contains(sid)).count());
        (chosen, on_page.len())
    };
    let matching_selected = move || {
        filtered.with(|f| selected.with(|s| f.iter().filter(|sid| s.contains(sid)).count()))
    };
    let hidden = Signal::derive(move || selected.with(HashSet::len) - matching_selected());
    let outcome: RwSignal<Option<BulkOutcome>> = RwSignal::new(None);
    let by_sid = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .flatten()
                .enumerate()
                .map(|(i, l)| (l.number.sid, i))
                .collect::<HashMap<NumberSid, usize>>()
        })
    });

    // The list's query, which a number's page keeps.
    let list = Signal::derive(move || {
        let href = filter.get().href(shown_page());
        href.strip_prefix("/numbers")
            .unwrap_or_default()
            .to_string()
    });
    let previous_page =
        move |_: web_sys::MouseEvent| go(filter.get_untracked(), shown_page().saturating_sub(1));
    let on_last_page = move || shown_page() + 1 >= pages();
    let next_page = move |_: web_sys::MouseEvent| go(filter.get_untracked(), shown_page() + 1);

    view! {
        <h1>"My numbers"</h1>
        <p class="lede">"The numbers you own, whether each has the address and identity document it needs, and what is missing where it does not."</p>
        <NumberFilters filter choices=filter_choices on_change=Callback::new(move |f| go(f, 0))/>
        <div class="list-status">
            <p id="numbers-count" role="status" aria-live="polite" class="hint">{move || if rows.with(Option::is_some) {
                plural(filtered.with(Vec::len), "number", "numbers")
            } else {
                "Reading every number…".to_string()
            }}</p>
            {move || {
                let total = filtered.with(Vec::len);
                let chosen = matching_selected();
                (rows.with(Option::is_some) && total > PAGE && chosen < total).then(|| view! {
                    <button type="button" class="link-button" id="select-matching" on:click=move |_| {
                        let all = filtered.get_untracked();
                        selected.update(|s| s.extend(all));
                    }>{format!("Select all {} matching", grouped(total))}</button>
                })
            }}
        </div>
        <ReportExport rows shown=filtered snapshot/>
        <BulkResult outcome/>
        <Show when=move || selected.with(|s| !s.is_empty())>
            <BulkBar selected hidden outcome
                documents=Signal::derive(move || filter_choices.get().documents)
                addresses=Signal::derive(move || filter_choices.get().addresses)/>
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
                    if rows.with(Option::is_none) {
                        return first_rows.get().into_iter().flatten().map(|row| view! {
                            <NumberRow row selected list/>
                        }).collect_view().into_any();
                    }
                    let at = by_sid.get();
                    let on_page: Vec<Listed> = filtered.with(|f| rows.with(|r| {
                        let all = r.as_deref().unwrap_or_default();
                        f.iter()
                            .skip(shown_page() * PAGE)
                            .take(PAGE)
                            .filter_map(|sid| at.get(sid).map(|&i| all[i].clone()))
                            .collect()
                    }));
                    on_page.into_iter().map(|row| view! { <NumberRow row selected list/> }).collect_view().into_any()
                }}
            </tbody>
        </table>
        </div>
        <nav class="pager" aria-label="Pages">
            <button class="secondary" disabled=move || shown_page() == 0 on:click=previous_page>"Previous"</button>
            <span>{move || format!("Page {} of {}", shown_page() + 1, pages())}</span>
            <button class="secondary" disabled=on_last_page on:click=next_page>"Next"</button>
        </nav>
    }
}
