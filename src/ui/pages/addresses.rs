//! Addresses: list, create, edit and delete, with the local areas each one satisfies.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::phone::locality::AreasByName;
use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::activity::{Event, EventKind};
use crate::domain::records::address::{Address, AddressDraft, name_clash};
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::kinds::Country;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EventSid};
use crate::domain::rules::lifecycle::may_delete_address;
use crate::domain::rules::problem::Problem;
use crate::store::changes::{self, Change};
use crate::store::platform::BrowserRandom;
use crate::store::{StoreError, addresses};
use crate::ui::components::field::{TextField, on_field};
use crate::ui::data::use_snapshot;
use crate::ui::state::{confirm, now, use_app};

/// The local areas whose rule an address meets (a Munich address meets München's, not
/// Dachau's), for many addresses: one index of names per country, built when first needed.
#[derive(Default)]
struct AreasOf(HashMap<Country, AreasByName<'static>>);

impl AreasOf {
    fn of(&mut self, address: &Address) -> Vec<String> {
        self.0
            .entry(address.country)
            .or_insert_with(|| AreasByName::new(NumberingPlan::builtin().areas(address.country)))
            .of(&address.city)
            .iter()
            .map(|a| format!("{} (+{})", a.name, a.prefix))
            .collect()
    }
}

fn log(kind: EventKind, address: &Address, summary: String) -> Event {
    Event {
        sid: EventSid::generate(&mut BrowserRandom),
        at: now(),
        kind,
        subject: address.sid.to_string(),
        summary,
        callback: None,
        bulk: None,
    }
}

/// Every address, the form to add or change one, and delete (refused while in use).
#[component]
pub fn AddressesPage() -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    let data = use_snapshot();
    // `?new=1&country=DE&area=4930`: arrived from a refused purchase; open the form preset.
    let editing: RwSignal<Option<Option<Address>>> = RwSignal::new(None);
    let preset_area = Memo::new(move |_| query.get().get("area"));
    Effect::new(move |_| {
        if query.get().get("new").is_some() {
            editing.set(Some(None));
        }
    });
    let message: RwSignal<Option<(String, &'static str)>> = RwSignal::new(None);
    // The addresses on file, for the form's check that a friendly name is not taken.
    let others = Signal::derive(move || {
        data.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|s| s.addresses.clone())
                .unwrap_or_default()
        })
    });
    let delete = move |address: Address| {
        if !confirm(&format!(
            "Delete the address {}? This cannot be undone.",
            address.label()
        )) {
            return;
        }
        let db = state.db();
        leptos::task::spawn_local(async move {
            let event = log(
                EventKind::AddressDeleted,
                &address,
                format!("Address deleted: {}", address.label()),
            );
            match addresses::delete(&db, address.sid, &event).await {
                Ok(()) => {
                    message.set(Some((format!("Deleted {}.", address.label()), "ok")));
                    changes::publish(Change::Addresses);
                }
                Err(e) => message.set(Some((e.to_string(), "error"))),
            }
        });
    };
    view! {
        <div class="page-head">
            <h1>"Addresses"</h1>
            <button on:click=move |_| editing.set(Some(None))>"Add address"</button>
        </div>
        <p class="lede">"Addresses on file, and which numbers' local areas each one satisfies."</p>
        <div aria-live="polite">
            {move || message.get().map(|(m, tone)| view! { <p class=format!("notice {tone}") role="status">{m}</p> })}
        </div>
        {move || editing.get().map(|existing| view! {
            <AddressForm
                existing=existing
                others=others
                preset_country=query.get_untracked().get("country").unwrap_or_default()
                preset_area=preset_area.get_untracked()
                on_done=Callback::new(move |saved: Option<String>| {
                    editing.set(None);
                    if let Some(m) = saved { message.set(Some((m, "ok"))); }
                })
            />
        })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(s) if s.addresses.is_empty() => view! { <p class="empty">"No addresses yet."</p> }.into_any(),
                Ok(s) => {
                    // Who uses each address, read once for the whole list (with 1,000 addresses
                    // and 10,000 numbers, a search per address took seconds).
                    let mut numbers_of: HashMap<AddressSid, Vec<PhoneNumber>> = HashMap::new();
                    for n in &s.numbers {
                        if let Some(a) = n.address_sid {
                            numbers_of.entry(a).or_default().push(n.clone());
                        }
                    }
                    let mut documents_of: HashMap<AddressSid, Vec<IdentityDocument>> = HashMap::new();
                    for d in &s.documents {
                        if let Some(a) = d.address_sid {
                            documents_of.entry(a).or_default().push(d.clone());
                        }
                    }
                    let mut areas_of = AreasOf::default();
                    view! {
                    <ul class="cards list">
                        {s.addresses.iter().map(|a| {
                            let documents = documents_of.get(&a.sid).map(Vec::as_slice).unwrap_or_default();
                            let locked = documents.iter().any(|d| d.status == Status::Passed);
                            let using = numbers_of.remove(&a.sid).unwrap_or_default();
                            let used: Vec<String> = using.iter().map(|n| n.e164.to_string()).collect();
                            // The store asks the same rule inside the deleting transaction; here it
                            // lets the button say why before anyone clicks.
                            let not_deletable = may_delete_address(a, &using, documents).err();
                            let why_id = format!("delete-why-{}", a.sid);
                            let areas = areas_of.of(a);
                            let for_edit = a.clone();
                            let for_delete = a.clone();
                            view! {
                                <li class="card">
                                    <h2>{a.label()}</h2>
                                    <p>{a.one_line()}</p>
                                    <p class="hint">"Satisfies local areas: "{if areas.is_empty() { "none known".to_string() } else { areas.join(", ") }}</p>
                                    {(!used.is_empty()).then(|| view! { <p class="hint">"Used by "{used.join(", ")}</p> })}
                                    {locked.then(|| view! { <p class="notice info">"Read-only: a verified identity document relies on this address (21630). Create a new address to use another one."</p> })}
                                    <div class="actions">
                                        <button class="secondary" disabled=locked on:click=move |_| editing.set(Some(Some(for_edit.clone())))>"Edit"</button>
                                        <button class="secondary" disabled=not_deletable.is_some() aria-describedby=not_deletable.as_ref().map(|_| why_id.clone()) on:click=move |_| delete(for_delete.clone())>"Delete"</button>
                                    </div>
                                    {not_deletable.map(|p| view! { <p id=why_id class="hint">{p.message}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The create/edit form. The country is fixed once the address exists.
#[component]
fn AddressForm(
    existing: Option<Address>,
    others: Signal<Vec<Address>>,
    preset_country: String,
    preset_area: Option<String>,
    on_done: Callback<Option<String>>,
) -> impl IntoView {
    let state = use_app();
    let draft = existing
        .as_ref()
        .map(AddressDraft::of)
        .unwrap_or(AddressDraft {
            country: preset_country,
            ..Default::default()
        });
    let customer_name = RwSignal::new(draft.customer_name);
    let street = RwSignal::new(draft.street);
    let street_secondary = RwSignal::new(draft.street_secondary);
    let city = RwSignal::new(draft.city);
    let region = RwSignal::new(draft.region);
    let postal_code = RwSignal::new(draft.postal_code);
    let country = RwSignal::new(draft.country);
    let friendly_name = RwSignal::new(draft.friendly_name);
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let is_edit = existing.is_some();
    let existing = StoredValue::new(existing);
    let area_hint =
        preset_area.and_then(|p| NumberingPlan::builtin().area(&p).map(|a| a.name.clone()));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = AddressDraft {
            customer_name: customer_name.get(),
            street: street.get(),
            street_secondary: street_secondary.get(),
            city: city.get(),
            region: region.get(),
            postal_code: postal_code.get(),
            country: country.get().trim().to_uppercase(),
            friendly_name: friendly_name.get(),
        };
        let result = match existing.get_value() {
            Some(a) => a.updated(&draft).map(|n| (n, true)),
            None => Address::create(AddressSid::generate(&mut BrowserRandom), &draft, now())
                .map(|n| (n, false)),
        };
        let result = result.and_then(|(address, update)| {
            match others.with_untracked(|o| name_clash(&address, o)) {
                Some(clash) => Err(vec![clash]),
                None => Ok((address, update)),
            }
        });
        match result {
            Err(p) => problems.set(p),
            Ok((address, update)) => {
                problems.set(Vec::new());
                let db = state.db();
                leptos::task::spawn_local(async move {
                    let kind = if update {
                        EventKind::AddressUpdated
                    } else {
                        EventKind::AddressCreated
                    };
                    let event = log(
                        kind,
                        &address,
                        format!(
                            "Address {}: {}",
                            if update { "updated" } else { "created" },
                            address.label()
                        ),
                    );
                    let r: Result<(), StoreError> = if update {
                        addresses::update(&db, &address, &event).await
                    } else {
                        addresses::create(&db, &address, &event).await
                    };
                    match r {
                        Ok(()) => {
                            changes::publish(Change::Addresses);
                            on_done.run(Some(format!("Saved {}.", address.label())));
                        }
                        Err(e) => failure.set(Some(e.to_string())),
                    }
                });
            }
        }
    };
    let p = move |f: &'static str| Signal::derive(move || on_field(&problems.get(), f));
    let countries: Vec<Country> = crate::domain::rules::regulation::Catalog::shared().countries();
    view! {
        <form class="card form" on:submit=save novalidate>
            <h2>{if is_edit { "Edit address" } else { "New address" }}</h2>
            {area_hint.map(|a| view! { <p class="notice info">{format!("The number you want needs an address in the {a} local area.")}</p> })}
            <TextField id="customer_name".into() label="Customer name".into() mandatory=true value=customer_name problems=p("customer_name")/>
            <TextField id="street".into() label="Street and number".into() mandatory=true value=street problems=p("street")/>
            <TextField id="street_secondary".into() label="Street line 2".into() value=street_secondary problems=p("street_secondary")/>
            <TextField id="postal_code".into() label="Postal code".into() mandatory=true value=postal_code problems=p("postal_code")/>
            <TextField id="city".into() label="City".into() mandatory=true value=city problems=p("city")
                hint="Local numbers are matched to the city's local network area (Ortsnetz)."/>
            <TextField id="region".into() label="Region or state".into() value=region problems=p("region")/>
            <div class="field">
                <label for="country">"Country"<span class="req" aria-hidden="true">" *"</span></label>
                <select id="country" disabled=is_edit aria-describedby="country-hint"
                    aria-invalid=move || (!on_field(&problems.get(), "country").is_empty()).to_string()
                    on:change:target=move |ev| country.set(ev.target().value())>
                    <option value="" selected=move || country.get().is_empty()>"Choose a country"</option>
                    {countries.into_iter().map(|c| view! {
                        <option value=c.code().to_string() selected=move || country.get() == c.code()>{c.name()}</option>
                    }).collect_view()}
                </select>
                <p id="country-hint" class="hint">{if is_edit { "The country cannot change once the address exists." } else { "Fixed once the address is created." }}</p>
                {move || on_field(&problems.get(), "country").into_iter().map(|p| view! { <p class="field-error">{p.message}</p> }).collect_view()}
            </div>
            <TextField id="friendly_name".into() label="Friendly name".into() value=friendly_name problems=p("friendly_name") hint="A name for lists, such as Berlin office."/>
            <div aria-live="assertive">{move || failure.get().map(|f| view! { <p class="notice error" role="alert">{f}</p> })}</div>
            <div class="actions">
                <button type="submit">"Save address"</button>
                <button type="button" class="secondary" on:click=move |_| on_done.run(None)>"Cancel"</button>
            </div>
        </form>
    }
}
