//! One row of My numbers: the number with its label and selection box, type, area, compliance
//! with what is missing, document and purchase time. The same row shows a cold start's first rows (from stored slugs) and the full
//! list, so nothing moves when the full list replaces them.

use std::collections::HashSet;

use leptos::prelude::*;

use crate::domain::records::sid::NumberSid;
use crate::ui::components::badges::ComplianceBadge;
use crate::ui::pages::numbers::Listed;
use crate::ui::state::when;

/// A number's row; `selected` is the page's selection, which the checkbox reads and changes;
/// `list` is the list's query (`?digits=030&page=3`), which the number's page keeps for its way
/// back and its *Next non-compliant*.
#[component]
pub fn NumberRow(
    row: Listed,
    selected: RwSignal<HashSet<NumberSid>>,
    #[prop(into)] list: Signal<String>,
) -> impl IntoView {
    let Listed {
        number,
        compliance,
        why,
        document,
        ..
    } = row;
    let sid = number.sid;
    let shown_number = number.e164.format_grouped();
    view! {
        <tr class:selected=move || selected.with(|s| s.contains(&sid))>
            <td class="select-cell">
                <input type="checkbox" aria-label=format!("Select {shown_number}")
                    prop:checked=move || selected.with(|s| s.contains(&sid))
                    on:change:target=move |ev| {
                        let on = ev.target().checked();
                        selected.update(|s| { if on { s.insert(sid); } else { s.remove(&sid); } });
                    }/>
            </td>
            <td data-label="Number"><a href=move || format!("/numbers/{sid}{}", list.get())>{shown_number.clone()}</a>
                {number.legacy.then_some(view! { <span class="tag" title="Bought before the requirements applied">"pre-rules"</span> })}
                {(!number.friendly_name.is_empty()).then(|| view! { <span class="number-label">{number.friendly_name.clone()}</span> })}</td>
            <td data-label="Type">{format!("{} {}", number.country.name(), number.number_type.label())}</td>
            <td data-label="Locality">{number.locality().unwrap_or("—").to_string()}</td>
            <td data-label="Compliance"><ComplianceBadge compliance=compliance/>
                {why.map(|w| view! { <span class="why">{w}</span> })}</td>
            <td data-label="Identity document">{document.unwrap_or_else(|| "—".into())}</td>
            <td data-label="Bought">{when(number.bought)}</td>
        </tr>
    }
}
