//! The parts of the identity-document form around the regulation: choosing it (country, type,
//! end user, area), its detail fields and the address on file, each showing what the live
//! pre-check says about it.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::domain::phone::numbering::LocalArea;
use crate::domain::records::address::Address;
use crate::domain::records::kinds::{EndUserType, NumberType};
use crate::domain::records::sid::AddressSid;
use crate::domain::rules::problem::Problem;
use crate::domain::rules::problem::codes::{MISSING_DOCUMENT, MISSING_INFORMATION};
use crate::domain::rules::regulation::{Catalog, FieldKind, Regulation};
use crate::ui::components::field::on_field;

/// What the form shows under each field: the pre-check's problems for it, and, until the first
/// attempt to save, only wrong values ("missing" is not an error before anyone tried).
#[derive(Clone, Copy)]
pub struct FieldCheck {
    /// The pre-check: what the reviewer would say now.
    pub precheck: Memo<Vec<Problem>>,
    /// Whether saving or submitting was tried.
    pub attempted: RwSignal<bool>,
}

impl FieldCheck {
    /// The problems to show for `field`.
    pub fn on(&self, field: &str) -> Vec<Problem> {
        let mut out = on_field(&self.precheck.get(), field);
        if !self.attempted.get() {
            out.retain(|p| p.code != MISSING_INFORMATION && p.code != MISSING_DOCUMENT);
        }
        out
    }
}

/// What the document is for: the number's country, type and (for a local number) area, and the
/// end user; `locked` for a renewal, which keeps them. `area` is what `area_text` names.
#[component]
pub fn RegulationPicker(
    country: RwSignal<String>,
    number_type: RwSignal<String>,
    end_user: RwSignal<String>,
    area_text: RwSignal<String>,
    area: Memo<Option<LocalArea>>,
    locked: bool,
) -> impl IntoView {
    let countries = Catalog::shared().countries();
    let needs_area = move || number_type.get() == NumberType::Local.slug();
    view! {
        <div class="row">
            <div class="field">
                <label for="doc-country">"Country"</label>
                <select id="doc-country" disabled=locked on:change:target=move |ev| country.set(ev.target().value())>
                    {countries.into_iter().map(|c| view! { <option value=c.code().to_string() selected=move || country.get() == c.code()>{c.name()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="doc-type">"Number type"</label>
                <select id="doc-type" disabled=locked on:change:target=move |ev| number_type.set(ev.target().value())>
                    {NumberType::SOLD.into_iter().map(|t| view! { <option value=t.slug() selected=move || number_type.get() == t.slug()>{t.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="doc-enduser">"End user"</label>
                <select id="doc-enduser" disabled=locked on:change:target=move |ev| end_user.set(ev.target().value())>
                    {EndUserType::ALL.into_iter().map(|t| view! { <option value=t.slug() selected=move || end_user.get() == t.slug()>{t.label()}</option> }).collect_view()}
                </select>
            </div>
        </div>
        <Show when=needs_area>
            <div class="field">
                <label for="doc-area">"Local area (area code or town)"</label>
                <input id="doc-area" disabled=locked prop:value=move || area_text.get() on:input:target=move |ev| area_text.set(ev.target().value())
                    aria-describedby="doc-area-hint" placeholder="030 or Berlin"/>
                <p id="doc-area-hint" class="hint">{move || match area.get() {
                    Some(a) => format!("Local area: {} (+{})", a.name, a.prefix),
                    None if area_text.get().trim().is_empty() => "The address must be in this area.".to_string(),
                    None => "No local area with this code or name.".to_string(),
                }}</p>
            </div>
        </Show>
    }
}

/// The regulation's detail fields.
#[component]
pub fn RegulationFields(
    regulation: Regulation,
    details: RwSignal<BTreeMap<String, String>>,
    check: FieldCheck,
) -> impl IntoView {
    let provenance = match &regulation.provenance {
        crate::domain::rules::regulation::Provenance::Sourced { .. } => {
            "Requirements from a published source."
        }
        crate::domain::rules::regulation::Provenance::Assumed { .. } => {
            "Requirements assumed for this simulation (no published source)."
        }
    };
    view! {
        <fieldset>
            <legend>{format!("{} — details", regulation.friendly_name())}</legend>
            <p class="hint">{provenance}" Fields marked "<span class="req">"*"</span>" are mandatory."</p>
            {regulation.fields.iter().map(|f| {
                let name = f.name.clone();
                let id = format!("detail-{}", f.name);
                let err_id = format!("{id}-error");
                let kind = match f.kind { FieldKind::Email => "email", FieldKind::Phone => "tel", FieldKind::Date => "date", _ => "text" };
                let n1 = name.clone(); let n2 = name.clone(); let n3 = name.clone(); let n4 = name.clone();
                let input = match &f.kind {
                    FieldKind::Choice { options } => {
                        let options = options.clone();
                        view! {
                            <select id=id.clone() required=f.mandatory aria-invalid=move || (!check.on(&n3).is_empty()).to_string() aria-describedby=err_id.clone()
                                on:change:target=move |ev| { let v = ev.target().value(); details.update(|d| { d.insert(n1.clone(), v); }); }>
                                <option value="">"Choose…"</option>
                                {options.into_iter().map(|o| { let o2 = o.clone(); let value = o.clone(); let n = n2.clone(); view! { <option value=value selected=move || details.with(|d| d.get(&n) == Some(&o2))>{o}</option> } }).collect_view()}
                            </select>
                        }.into_any()
                    }
                    _ => view! {
                        <input id=id.clone() type=kind required=f.mandatory aria-required=f.mandatory.to_string()
                            aria-invalid=move || (!check.on(&n3).is_empty()).to_string() aria-describedby=err_id.clone()
                            prop:value=move || details.with(|d| d.get(&n2).cloned().unwrap_or_default())
                            on:input:target=move |ev| { let v = ev.target().value(); details.update(|d| { d.insert(n1.clone(), v); }); }/>
                    }.into_any(),
                };
                view! {
                    <div class="field">
                        <label for=id>{f.label.clone()}{f.mandatory.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
                        {input}
                        {f.help.clone().map(|h| view! { <p class="hint">{h}</p> })}
                        <div id=err_id class="field-error">{move || check.on(&n4).into_iter().map(|p| view! { <p>{format!("{} ({})", p.message, p.code)}</p> }).collect_view()}</div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The address on file, for a regulation that needs one; `area` is the document's local area
/// (the "Add an address" link proposes it).
#[component]
pub fn DocumentAddress(
    regulation: Regulation,
    area: Option<LocalArea>,
    addresses: Signal<Vec<Address>>,
    address: RwSignal<Option<AddressSid>>,
    locked: bool,
    check: FieldCheck,
) -> impl IntoView {
    let rule = regulation.describe_address();
    let link = format!(
        "/addresses?new=1&country={}{}",
        regulation.key.country,
        area.map(|a| format!("&area={}", a.prefix))
            .unwrap_or_default()
    );
    view! {
        <fieldset>
            <legend>"Address"</legend>
            <div class="field">
                <label for="doc-address">"Address on file"<span class="req" aria-hidden="true">" *"</span></label>
                <select id="doc-address" disabled=locked aria-describedby="doc-address-hint doc-address-error"
                    aria-invalid=move || (!check.on("address").is_empty()).to_string()
                    on:change:target=move |ev| address.set(ev.target().value().parse().ok())>
                    <option value="" selected=move || address.get().is_none()>"Choose an address"</option>
                    {move || addresses.with(|list| list.iter().map(|a| { let sid = a.sid; view! { <option value=a.sid.to_string() selected=move || address.get() == Some(sid)>{a.label()}</option> } }).collect_view())}
                </select>
                <p id="doc-address-hint" class="hint">{format!("This regulation needs {rule}; the scans must show the same address. ")}<a href=link target="_blank">"Add an address (opens a new tab, this form stays)"</a></p>
                <div id="doc-address-error" class="field-error">{move || check.on("address").into_iter().map(|p| view! { <p>{format!("{} ({})", p.message, p.code)}</p> }).collect_view()}</div>
            </div>
        </fieldset>
    }
}
