//! My numbers: every owned number with its compliance, filterable, a page at a time.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::compliance::Compliance;
use crate::ui::components::badges::ComplianceBadge;
use crate::ui::data::Snapshot;
use crate::ui::state::{today, use_app, when};

/// Rows per page: enough to scan, few enough that 10,000 numbers render instantly.
const PAGE: usize = 50;

/// The numbers table with its filters (non-compliant only, country, document, digits).
#[component]
pub fn NumbersPage() -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    let data = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { Snapshot::load(&db).await }
    });
    let only_noncompliant = RwSignal::new(query.get_untracked().get("noncompliant").is_some());
    let country = RwSignal::new(String::new());
    let document = RwSignal::new(query.get_untracked().get("document").unwrap_or_default());
    let digits = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    // Each number's compliance is computed once per snapshot, not once per keystroke.
    let rows = Memo::new(move |_| {
        data.get().and_then(|r| r.ok()).map(|s| {
            let today = today();
            let mut sorted: Vec<_> = s.numbers.iter().collect();
            sorted.sort_by(|a, b| a.e164.cmp(&b.e164));
            sorted
                .into_iter()
                .map(|n| {
                    (
                        n.clone(),
                        s.compliance(n, today),
                        s.document(n.identity_sid).map(|d| d.display_name()),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let filtered = Memo::new(move |_| {
        let digits_q: String = digits.get().chars().filter(char::is_ascii_digit).collect();
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
                    && (digits_q.is_empty() || n.e164.digits().contains(&digits_q))
            })
            .collect::<Vec<_>>()
    });
    // A new filter starts again at the first page.
    Effect::new(move |_| {
        only_noncompliant.track();
        country.track();
        document.track();
        digits.track();
        page.set(0);
    });
    let pages = move || filtered.with(|f| f.len().div_ceil(PAGE).max(1));
    let on_last_page = move || page.get() + 1 >= pages();
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
                    {crate::domain::regulation::Catalog::shared().countries().into_iter().map(|c| view! {
                        <option value=c.code().to_string()>{c.name()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-document">"Identity document"</label>
                <select id="filter-document" on:change:target=move |ev| document.set(ev.target().value())>
                    <option value="">"Any"</option>
                    {move || data.get().and_then(|r| r.ok()).map(|s| s.documents.iter().map(|d| {
                        let sid = d.sid.to_string();
                        let selected = document.get_untracked() == sid;
                        view! { <option value=sid selected=selected>{d.display_name()}</option> }
                    }).collect_view())}
                </select>
            </div>
            <div>
                <label for="filter-digits">"Digits"</label>
                <input id="filter-digits" type="search" inputmode="numeric" prop:value=move || digits.get()
                    on:input:target=move |ev| digits.set(ev.target().value())/>
            </div>
        </form>
        <p role="status" aria-live="polite" class="hint">{move || format!("{} numbers", filtered.with(Vec::len))}</p>
        <div class="table-wrap">
        <table>
            <caption class="visually-hidden">"Owned numbers"</caption>
            <thead><tr>
                <th scope="col">"Number"</th><th scope="col">"Type"</th><th scope="col">"Locality"</th>
                <th scope="col">"Compliance"</th><th scope="col">"Identity document"</th><th scope="col">"Bought"</th>
            </tr></thead>
            <tbody>
                {move || filtered.with(|f| {
                    f.iter().skip(page.get() * PAGE).take(PAGE).map(|(n, c, doc)| view! {
                        <tr>
                            <td><a href=format!("/numbers/{}", n.sid)>{n.e164.format_grouped()}</a>
                                {n.legacy.then_some(view! { <span class="tag" title="Bought before the requirements applied">"pre-rules"</span> })}</td>
                            <td>{format!("{} {}", n.country.name(), n.number_type.label())}</td>
                            <td>{n.locality().unwrap_or("—").to_string()}</td>
                            <td><ComplianceBadge compliance=c.clone()/></td>
                            <td>{doc.clone().unwrap_or_else(|| "—".into())}</td>
                            <td>{when(n.bought)}</td>
                        </tr>
                    }).collect_view()
                })}
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
