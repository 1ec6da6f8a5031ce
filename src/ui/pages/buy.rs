//! Buy a number: search the inventory, see each number's requirements, buy it or learn exactly
//! what is missing and where to fix it.

use leptos::prelude::*;
use std::collections::HashSet;

use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::domain::phone::inventory::{Offer, Query, search};
use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::activity::{Event, EventKind};
use crate::domain::records::kinds::NumberType;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{EventSid, NumberSid};
use crate::domain::rules::compliance::{FixTarget, Refusal, compliance, offered, purchase};
use crate::domain::rules::regulation::{Catalog, Regulation};
use crate::domain::wording::plural;
use crate::store::changes::{self, Change};
use crate::store::numbers;
use crate::store::platform::BrowserRandom;
use crate::ui::components::problems::ProblemList;
use crate::ui::data::{Snapshot, number_ref, use_snapshot};
use crate::ui::state::{now, today, use_app};

/// `text` for a URL's query: the search is typed text, which may hold `&`, `#` or spaces.
fn url_encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// How many offers a search shows.
const LIMIT: usize = 30;

/// What a regulation asks, in a few words, for the results table.
fn requirement_summary(r: &Regulation) -> String {
    let mut parts = Vec::new();
    if r.identity_required {
        parts.push("verified identity document".to_string());
    }
    if r.address.requires_address() {
        parts.push(r.describe_address());
    }
    let what = if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(" + ")
    };
    format!("{}: {what}", r.key.end_user_type.label())
}

/// The link that fixes a refused purchase, with the form preset for this number.
pub fn fix_link(fix: &FixTarget) -> (String, &'static str) {
    match fix {
        FixTarget::AddDocument {
            country,
            number_type,
            area,
        } => (
            format!(
                "/documents/new?country={country}&type={}{}",
                number_type.slug(),
                area.as_ref()
                    .map(|a| format!("&area={a}"))
                    .unwrap_or_default()
            ),
            "Add an identity document for this number",
        ),
        FixTarget::ViewDocument { sid } => {
            (format!("/documents/{sid}"), "Open the identity document")
        }
        FixTarget::AddAddress { country, area } => (
            format!(
                "/addresses?new=1&country={country}{}",
                area.as_ref()
                    .map(|a| format!("&area={a}"))
                    .unwrap_or_default()
            ),
            "Add an address for this number",
        ),
    }
}

/// The result of a purchase attempt: the success, or the Twilio error with the link that fixes it.
#[component]
fn Outcome(e164: String, result: Result<String, Refusal>) -> impl IntoView {
    match result {
        Ok(message) => view! { <p class="notice ok" role="status">{message}</p> }.into_any(),
        Err(refusal) => {
            let fix = refusal.fix.as_ref().map(fix_link);
            view! {
                <div class="notice error" role="alert" data-testid="purchase-error">
                    <p><strong>{format!("Error {} — {}", refusal.problem.code, refusal.problem.title())}</strong></p>
                    <p>{format!("Cannot buy {e164}: {}", refusal.problem.message)}</p>
                    {(!refusal.details.is_empty()).then(|| view! { <ProblemList problems=refusal.details.clone()/> })}
                    {fix.map(|(href, label)| view! { <a class="button" href=href>{label}</a> })}
                </div>
            }
            .into_any()
        }
    }
}

/// The shop.
#[component]
pub fn BuyPage() -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    let q = query.get_untracked();
    let country = RwSignal::new(q.get("country").unwrap_or_else(|| "DE".into()));
    let kind = RwSignal::new(q.get("type").unwrap_or_default());
    let area = RwSignal::new(q.get("area").unwrap_or_default());
    let digits = RwSignal::new(String::new());
    // The search lives in the URL too, so that Back from a fix link (or a reload) returns to it.
    let navigate = use_navigate();
    Effect::new(move |first: Option<()>| {
        let url = format!(
            "/buy?country={}&type={}&area={}",
            url_encode(&country.get()),
            url_encode(&kind.get()),
            url_encode(&area.get())
        );
        if first.is_some() {
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    // What is owned already is not for sale again: its row says so instead of offering "Buy".
    let data = use_snapshot();
    let owned = Memo::new(move |_| {
        data.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|s| {
                    s.numbers
                        .iter()
                        .map(|n| n.e164.clone())
                        .collect::<HashSet<_>>()
                })
                .unwrap_or_default()
        })
    });
    let results = Memo::new(move |_| {
        let query = Query {
            country: country.get().parse().ok(),
            number_type: NumberType::from_slug(&kind.get()),
            area: area.get(),
            digits: digits.get(),
        };
        search(NumberingPlan::builtin(), Catalog::shared(), &query, LIMIT)
    });
    let outcome: RwSignal<Option<(String, Result<String, Refusal>)>> = RwSignal::new(None);
    let buy = move |offer: Offer| {
        let db = state.db();
        leptos::task::spawn_local(async move {
            // Written as people read it, in every message and as the key of the outcome row.
            let e164 = offer.e164.format_grouped();
            // Read the workspace afresh: the guard must see the documents as they are now.
            let snapshot = match Snapshot::load(&db).await {
                Ok(s) => s,
                Err(e) => return outcome.set(Some((e164, Ok(e.to_string())))),
            };
            if snapshot.numbers.iter().any(|n| n.e164 == offer.e164) {
                return outcome.set(Some((e164, Ok("You already own this number.".into()))));
            }
            let mut number = PhoneNumber::new(
                NumberSid::generate(&mut BrowserRandom),
                offer.e164.clone(),
                offer.class.clone(),
                now(),
            );
            let approval = match purchase(
                Catalog::shared(),
                number_ref(&number),
                &snapshot.documents,
                &snapshot.addresses,
                today(),
            ) {
                Err(refusal) => return outcome.set(Some((e164, Err(refusal)))),
                Ok(approval) => approval,
            };
            number.identity_sid = approval.identity;
            number.address_sid = approval.address;
            let state_after = compliance(
                Catalog::shared(),
                number_ref(&number),
                snapshot.mapped(&number),
                today(),
            );
            let event = Event {
                sid: EventSid::generate(&mut BrowserRandom),
                at: now(),
                kind: EventKind::NumberBought,
                subject: number.sid.to_string(),
                summary: format!("Bought {e164}"),
                callback: None,
                bulk: None,
            };
            match numbers::add(&db, &[(number, state_after)], &event).await {
                Ok(()) => {
                    outcome.set(Some((
                        e164.clone(),
                        Ok(format!("Bought {e164}. It is in My numbers.")),
                    )));
                    state.toast(format!("Bought {e164}."), "ok");
                    changes::publish(Change::Numbers);
                }
                Err(e) => outcome.set(Some((e164, Ok(e.to_string())))),
            }
        });
    };
    view! {
        <h1>"Buy a number"</h1>
        <p class="lede">"Search available numbers and see what each one requires before you buy."</p>
        <form class="filters" on:submit=|ev| ev.prevent_default() aria-label="Search numbers">
            <div>
                <label for="buy-country">"Country"</label>
                <select id="buy-country" on:change:target=move |ev| country.set(ev.target().value())>
                    {Catalog::shared().countries().into_iter().map(|c| view! {
                        <option value=c.code().to_string() selected=move || country.get() == c.code()>{c.name()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="buy-type">"Number type"</label>
                <select id="buy-type" on:change:target=move |ev| kind.set(ev.target().value())>
                    <option value="">"Any"</option>
                    {NumberType::SOLD.into_iter().map(|t| view! {
                        <option value=t.slug() selected=move || kind.get() == t.slug()>{t.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="buy-area">"Area"</label>
                <input id="buy-area" type="search" placeholder="030 or Berlin" prop:value=move || area.get()
                    on:input:target=move |ev| area.set(ev.target().value())/>
            </div>
            <div>
                <label for="buy-digits">"Digits"</label>
                <input id="buy-digits" type="search" inputmode="numeric" prop:value=move || digits.get()
                    on:input:target=move |ev| digits.set(ev.target().value())/>
            </div>
        </form>
        <p role="status" class="hint">{move || match results.with(Vec::len) {
            0 => "No available number matches. Try an area code such as 030 or a town such as Berlin, or another number type.".to_string(),
            n => plural(n, "number found", "numbers found"),
        }}</p>
        <div class="table-wrap">
        <table class="stack">
            <caption class="visually-hidden">"Available numbers"</caption>
            <thead><tr><th scope="col">"Number"</th><th scope="col">"Type"</th><th scope="col">"Locality"</th><th scope="col">"Requirements"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
            <tbody>
                {move || results.get().into_iter().map(|offer| {
                    let regs: Vec<String> = offered(Catalog::shared(), crate::domain::rules::compliance::NumberRef {
                        target: crate::domain::rules::evaluation::Target { country: offer.class.country, area: offer.class.area.as_ref() },
                        number_type: offer.class.number_type,
                    }).into_iter().map(requirement_summary).collect();
                    let e164 = offer.e164.format_grouped();
                    let label = format!("Buy {e164}");
                    let for_buy = offer.clone();
                    // The outcome shows right under the row that was bought, where the eye is.
                    let result = outcome.get().filter(|(n, _)| *n == e164);
                    view! {
                        <tr>
                            <td data-label="Number" class="nowrap">{e164.clone()}</td>
                            <td data-label="Type">{offer.class.number_type.label()}</td>
                            <td data-label="Locality">{offer.class.area.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Requirements"><ul class="plain">{regs.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul></td>
                            <td>{if owned.with(|o| o.contains(&offer.e164)) {
                                view! { <a href="/numbers">"Owned"</a> }.into_any()
                            } else {
                                view! { <button aria-label=label on:click=move |_| buy(for_buy.clone())>"Buy"</button> }.into_any()
                            }}</td>
                        </tr>
                        {result.map(|(e164, r)| view! { <tr class="outcome"><td colspan="5"><Outcome e164=e164 result=r/></td></tr> })}
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
