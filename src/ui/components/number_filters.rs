//! My numbers' filter form. It holds no state of its own: it shows a [`NumberFilter`] (read from
//! the URL by the page) and hands every change back as a whole new filter, which the page writes
//! to the URL, so Back, a reload and a shared link keep the list.

use leptos::prelude::*;

use crate::domain::records::kinds::NumberType;
use crate::domain::rules::gap::GapKind;
use crate::domain::rules::number_filter::{
    ComplianceFilter, Mapping, NOTHING, NumberFilter, read_yes_no, yes_no,
};
use crate::domain::rules::regulation::Catalog;

/// What the drop-downs offer, from the workspace: `(value, label)` pairs in display order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterChoices {
    /// Entities.
    pub entities: Vec<(String, String)>,
    /// Identity documents.
    pub documents: Vec<(String, String)>,
    /// Addresses.
    pub addresses: Vec<(String, String)>,
    /// Local areas the numbers are in.
    pub areas: Vec<(String, String)>,
    /// The types the shop sells and any other type a number has.
    pub types: Vec<(String, String)>,
}

/// A select whose options are `(value, label)`, showing `current`; `first` is the "any" option.
fn choice_select(
    id: &'static str,
    label: &'static str,
    first: &'static str,
    options: impl Fn() -> Vec<(String, String)> + Send + Sync + 'static,
    current: impl Fn() -> String + Send + Sync + Copy + 'static,
    set: impl Fn(String) + 'static,
) -> impl IntoView {
    // Each option reads this select's own value, not the whole filter: a keystroke in Digits
    // then touches no option. Reading the filter, every option of the area, document and address
    // lists (8,000 on the bench data set) re-ran per keystroke: 400 ms (BENCHMARKS.md, figure 4).
    let current = Memo::new(move |_| current());
    view! {
        <div>
            <label for=id>{label}</label>
            <select id=id on:change:target=move |ev| set(ev.target().value())>
                <option value="" selected=move || current.with(String::is_empty)>{first}</option>
                {move || options().into_iter().map(|(value, text)| {
                    let v = value.clone();
                    view! { <option value=value selected=move || current.with(|c| *c == v)>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Which filters sit behind *More filters*: the ones that narrow by record rather than by kind.
fn secondary_set(f: &NumberFilter) -> bool {
    f.entity.is_some()
        || f.document != Mapping::Any
        || f.address != Mapping::Any
        || f.mapped.is_some()
        || f.legacy.is_some()
        || !f.label.is_empty()
}

/// The filter form.
#[component]
pub fn NumberFilters(
    #[prop(into)] filter: Signal<NumberFilter>,
    choices: Memo<FilterChoices>,
    on_change: Callback<NumberFilter>,
) -> impl IntoView {
    // Each control changes one key of the current filter.
    let change = move |edit: fn(&mut NumberFilter, String)| {
        move |value: String| {
            let mut next = filter.get_untracked();
            edit(&mut next, value);
            on_change.run(next);
        }
    };
    let countries: Vec<(String, String)> = Catalog::shared()
        .countries()
        .into_iter()
        .map(|c| (c.code().to_string(), c.name().to_string()))
        .collect();
    let more_open = secondary_set(&filter.get_untracked());
    let compliance = Memo::new(move |_| filter.with(|f| f.compliance));
    view! {
        <form class="filters number-filters" role="search" aria-label="Filter numbers" on:submit=|ev| ev.prevent_default()>
            <div>
                <label for="filter-compliance">"Compliance"</label>
                <select id="filter-compliance" on:change:target=move |ev| change(|f, v| {
                    f.compliance = ComplianceFilter::ALL.into_iter().find(|c| c.slug() == v).unwrap_or_default();
                })(ev.target().value())>
                    {ComplianceFilter::ALL.into_iter().map(|c| view! {
                        <option value=c.slug() selected=move || compliance.get() == c>{c.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            {choice_select("filter-missing", "What is missing", "Anything",
                || GapKind::ALL.into_iter().map(|k| (k.slug().to_string(), k.label().to_string())).collect(),
                move || filter.get().missing.map(|k| k.slug().to_string()).unwrap_or_default(),
                change(|f, v| f.missing = GapKind::from_slug(&v)))}
            {choice_select("filter-country", "Country", "All countries",
                move || countries.clone(),
                move || filter.get().country.map(|c| c.code().to_string()).unwrap_or_default(),
                change(|f, v| f.country = v.parse().ok()))}
            {choice_select("filter-type", "Type", "All types",
                move || choices.get().types,
                move || filter.get().number_type.map(|t| t.slug().to_string()).unwrap_or_default(),
                change(|f, v| f.number_type = NumberType::from_slug(&v)))}
            {choice_select("filter-area", "Local area", "Any area",
                move || choices.get().areas,
                move || filter.get().area.unwrap_or_default(),
                change(|f, v| f.area = Some(v).filter(|v| !v.is_empty())))}
            <div>
                <label for="filter-digits">"Digits"</label>
                <input id="filter-digits" type="search" inputmode="tel" autocomplete="off"
                    aria-describedby="filter-digits-hint"
                    prop:value=move || filter.get().digits
                    on:input:target=move |ev| change(|f, v| f.digits = v)(ev.target().value())/>
                <span id="filter-digits-hint" class="visually-hidden">"With a leading 0 or +, the number's start as dialled; otherwise digits anywhere."</span>
            </div>
            <details class="more-filters" open=more_open>
                <summary>"More filters"</summary>
                <div class="filters">
                    {choice_select("filter-entity", "For", "Any individual or business",
                        move || choices.get().entities,
                        move || filter.get().entity.map(|e| e.to_string()).unwrap_or_default(),
                        change(|f, v| f.entity = v.parse().ok()))}
                    {choice_select("filter-document", "Identity document", "Any",
                        move || std::iter::once((NOTHING.to_string(), "None mapped".to_string())).chain(choices.get().documents).collect(),
                        move || filter.get().document.slug(),
                        change(|f, v| f.document = Mapping::from_slug(&v)))}
                    {choice_select("filter-address", "Address", "Any",
                        move || std::iter::once((NOTHING.to_string(), "None mapped".to_string())).chain(choices.get().addresses).collect(),
                        move || filter.get().address.slug(),
                        change(|f, v| f.address = Mapping::from_slug(&v)))}
                    {choice_select("filter-mapped", "Mapped", "Either",
                        || vec![("yes".into(), "Mapped to something".into()), ("no".into(), "Mapped to nothing".into())],
                        move || yes_no(filter.get().mapped),
                        change(|f, v| f.mapped = read_yes_no(&v)))}
                    {choice_select("filter-pre", "Bought before the rules", "Either",
                        || vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())],
                        move || yes_no(filter.get().legacy),
                        change(|f, v| f.legacy = read_yes_no(&v)))}
                    <div>
                        <label for="filter-label">"Label"</label>
                        <input id="filter-label" type="search" autocomplete="off"
                            prop:value=move || filter.get().label
                            on:input:target=move |ev| change(|f, v| f.label = v)(ev.target().value())/>
                    </div>
                </div>
            </details>
            <button type="button" class="secondary" disabled=move || filter.get().is_empty()
                on:click=move |_| on_change.run(NumberFilter::default())>"Clear filters"</button>
        </form>
    }
}
