//! One number, with its Regulatory Information (map it to an address and an identity document),
//! its label, its history, and the way back to the list it was opened from and on to that list's
//! next non-compliant number.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::domain::records::activity::Event;
use crate::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid};
use crate::domain::rules::compliance::{Candidate, Compliance, MappingChoice, mapping_options};
use crate::domain::rules::number_filter::NumberFilter;
use crate::domain::rules::regulation::Catalog;
use crate::store::changes::{self, Change};
use crate::store::numbers;
use crate::store::platform::BrowserRandom;
use crate::ui::components::badges::ComplianceBadge;
use crate::ui::components::number_history::{LabelForm, NumberHistory};
use crate::ui::components::problems::ProblemList;
use crate::ui::data::{Snapshot, number_ref, use_snapshot};
use crate::ui::state::{now, today, use_app, when};

/// The number's details and its Regulatory Information section.
#[component]
pub fn NumberPage() -> impl IntoView {
    let params = use_params_map();
    let sid = move || {
        params
            .get()
            .get("sid")
            .and_then(|s| s.parse::<NumberSid>().ok())
    };
    let data = use_snapshot();
    // The list the number was opened from (its filters and page), kept for the way back.
    let query = use_query_map();
    let list_query = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k);
            let filter = NumberFilter::from_query(get);
            let href = filter.href(NumberFilter::page_from_query(get));
            let list = href
                .strip_prefix("/numbers")
                .unwrap_or_default()
                .to_string();
            (filter, list)
        })
    };
    // Lives above the detail: saving reloads the snapshot, which redraws the detail, and the
    // confirmation must survive that.
    let saved: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);
    // So does the choice not saved yet: a change anywhere in the workspace (another tab saving, a
    // review decided) redraws the detail, and must not throw away what was picked here.
    let draft: StoredValue<Option<Draft>> = StoredValue::new(None);
    // What the label form last said, which a saved label's redraw keeps.
    let label_said: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);
    // Another number (Next non-compliant keeps this page): what was said was about the last one.
    Effect::new(move |before: Option<Option<NumberSid>>| {
        let now = sid();
        if before.is_some_and(|b| b != now) {
            saved.set(None);
            label_said.set(None);
        }
        now
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(s) => match sid().and_then(|sid| s.numbers.iter().find(|n| n.sid == sid).cloned()) {
                    None => view! { <h1>"Number not found"</h1><p><a href="/numbers">"Back to My numbers"</a></p> }.into_any(),
                    Some(n) => {
                        let (filter, list) = list_query();
                        view! { <NumberDetail snapshot=s.clone() number=n saved=saved draft=draft filter list label_said/> }.into_any()
                    }
                },
            })}
        </Suspense>
    }
}

/// A mapping picked in the form and not saved yet.
#[derive(Clone, Copy, PartialEq)]
struct Draft {
    /// The number it is for.
    number: NumberSid,
    /// What the number was mapped to when the choice was made. When that changes (another tab
    /// saved a mapping), the choice is carried over to the new mapping side by side
    /// ([`MappingChoice::rebase`]).
    kept: MappingChoice,
    /// The choice.
    chosen: MappingChoice,
}

/// The detail and mapping form of one number.
#[component]
fn NumberDetail(
    snapshot: Snapshot,
    number: crate::domain::records::number::PhoneNumber,
    saved: RwSignal<Option<Result<String, String>>>,
    draft: StoredValue<Option<Draft>>,
    /// The list's filter, and its query (`?digits=030&page=3`).
    filter: NumberFilter,
    list: String,
    label_said: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let state = use_app();
    let next = next_noncompliant(&snapshot, &number, &filter);
    let kept = MappingChoice {
        document: number.identity_sid,
        address: number.address_sid,
    };
    let (start, replaced) = draft
        .get_value()
        .filter(|d| d.number == number.sid)
        .map_or((kept, false), |d| d.chosen.rebase(d.kept, kept));
    // The carried-over choice is the draft now, based on what is saved now.
    draft.set_value(Some(Draft {
        number: number.sid,
        kept,
        chosen: start,
    }));
    if replaced {
        saved.set(Some(Err(
            "This number's mapping was saved in another tab meanwhile: the form now shows what \
             was saved there where it differs from your choice."
                .into(),
        )));
    }
    let number_sid = number.sid;
    let snapshot = StoredValue::new(snapshot);
    let number = StoredValue::new(number);
    let chosen_document: RwSignal<Option<IdentitySid>> = RwSignal::new(start.document);
    let chosen_address: RwSignal<Option<AddressSid>> = RwSignal::new(start.address);
    let chosen = move || MappingChoice {
        document: chosen_document.get(),
        address: chosen_address.get(),
    };
    let remember = move || {
        draft.set_value(Some(Draft {
            number: number_sid,
            kept,
            chosen: chosen(),
        }))
    };
    let options = Memo::new(move |_| {
        let doc = chosen_document.get();
        snapshot.with_value(|s| {
            number.with_value(|n| {
                mapping_options(
                    Catalog::shared(),
                    number_ref(n),
                    &s.documents,
                    &s.addresses,
                    doc,
                    today(),
                )
            })
        })
    });
    let current = Memo::new(move |_| {
        snapshot.with_value(|s| number.with_value(|n| s.compliance(n, today())))
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let refusals = options.with_untracked(|o| o.refusals(kept, chosen()));
        if !refusals.is_empty() {
            let reasons: Vec<String> = refusals.into_iter().map(|p| p.message).collect();
            saved.set(Some(Err(format!(
                "Not saved: a choice is no longer offered. {}",
                reasons.join(" ")
            ))));
            return;
        }
        let mut updated = number.get_value();
        updated.identity_sid = chosen_document.get();
        updated.address_sid = chosen_address.get();
        let (state_after, event) = snapshot.with_value(|s| {
            let state_after = s.compliance(&updated, today());
            let event = Event::number_mapped(
                EventSid::generate(&mut BrowserRandom),
                now(),
                &updated,
                s.document(updated.identity_sid),
                s.address(updated.address_sid),
                &state_after,
            );
            (state_after, event)
        });
        let db = state.db();
        leptos::task::spawn_local(async move {
            match numbers::update(&db, &[(updated, state_after)], &event).await {
                Ok(()) => {
                    saved.set(Some(Ok("Saved.".into())));
                    changes::publish(Change::Numbers);
                }
                Err(e) => saved.set(Some(Err(e.to_string()))),
            }
        });
    };
    let n = number.get_value();
    view! {
        <nav class="number-nav" aria-label="Numbers">
            <a href=format!("/numbers{list}")>"← My numbers"</a>
            {match next {
                Some(sid) => view! { <a href=format!("/numbers/{sid}{list}") rel="next">"Next non-compliant →"</a> }.into_any(),
                None => view! { <span class="hint">"No further non-compliant number in this list."</span> }.into_any(),
            }}
        </nav>
        <h1>{n.e164.format_grouped()}</h1>
        <LabelForm number=n.clone() compliance=current.get_untracked() said=label_said/>
        <dl class="facts">
            <dt>"Type"</dt><dd>{format!("{} {}", n.country.name(), n.number_type.label())}</dd>
            <dt>"Locality"</dt><dd>{n.area.as_ref().map(|a| format!("{} (+{})", a.name, a.prefix)).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Bought"</dt><dd>{when(n.bought)}{n.legacy.then_some(" — before the requirements applied")}</dd>
            <dt>"Compliance"</dt><dd><ComplianceBadge compliance=current.get_untracked()/></dd>
        </dl>
        {move || match current.get() {
            Compliance::NonCompliant(missing) => view! { <div class="notice error"><p>"What is missing:"</p><ProblemList problems=missing/></div> }.into_any(),
            _ => ().into_any(),
        }}
        <form class="card form" on:submit=save aria-labelledby="regulatory-heading">
            <h2 id="regulatory-heading">"Regulatory Information"</h2>
            <div class="field">
                <label for="map-identity">"Identity document"</label>
                <select id="map-identity" on:change:target=move |ev| {
                    chosen_document.set(ev.target().value().parse().ok());
                    remember();
                }>
                    {move || choice_list(options.get().documents, chosen_document.get())}
                </select>
            </div>
            <div class="field">
                <label for="map-address">"Address"</label>
                <div class="with-notice">
                    <select id="map-address" on:change:target=move |ev| {
                        chosen_address.set(ev.target().value().parse().ok());
                        remember();
                    }>
                        {move || choice_list(options.get().addresses, chosen_address.get())}
                    </select>
                    <Show when=move || matches!(current.get(), Compliance::Compliant)>
                        <span class="badge compliant" data-testid="compliant-notice">"✓ compliant"</span>
                    </Show>
                </div>
            </div>
            <details class="excluded" open>
                <summary>"Not offered, and why"</summary>
                <ul>
                    {move || {
                        let o = options.get();
                        let docs = o.documents.into_iter().filter(|c| !c.eligible()).map(|c| view! {
                            <li><strong>{c.label}</strong>" — "{c.reasons.iter().map(|r| r.message.clone()).collect::<Vec<_>>().join(" ")}</li>
                        });
                        let addrs = o.addresses.into_iter().filter(|c| !c.eligible()).map(|c| view! {
                            <li><strong>{c.label}</strong>" — "{c.reasons.iter().map(|r| format!("{} ({})", r.message, r.code)).collect::<Vec<_>>().join(" ")}</li>
                        });
                        docs.chain(addrs).collect_view()
                    }}
                </ul>
            </details>
            <div aria-live="polite">{move || saved.get().map(|r| match r {
                Ok(m) => view! { <p class="notice ok" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="notice error" role="alert">{m}</p> }.into_any(),
            })}</div>
            <button type="submit">"Save"</button>
        </form>
        <NumberHistory sid=number_sid/>
    }
}

/// The first non-compliant number after `number` (in the list's E.164 order) that the list
/// `filter` shows: what *Next non-compliant* opens.
fn next_noncompliant(
    snapshot: &Snapshot,
    number: &crate::domain::records::number::PhoneNumber,
    filter: &NumberFilter,
) -> Option<NumberSid> {
    let matcher = filter.matcher();
    let lookup = snapshot.lookup();
    let today = today();
    let entity_of = |n: &crate::domain::records::number::PhoneNumber| {
        lookup.document(n.identity_sid).and_then(|d| d.entity_sid)
    };
    snapshot
        .numbers
        .iter()
        .filter(|n| n.e164 > number.e164)
        .filter(|n| {
            let (state, gap) = lookup.assess(n, today);
            matches!(state, Compliance::NonCompliant(_))
                && matcher.matches(n, &state, gap.as_ref(), entity_of(n))
        })
        .min_by(|a, b| a.e164.cmp(&b.e164))
        .map(|n| n.sid)
}

/// A drop-down's options: "None" and the offered records, and the chosen record when it is not
/// offered (mapped before it stopped fitting, or picked before another tab changed it), marked
/// so. Without that entry the browser would show "None" while the form still held the record,
/// and Save would store something other than what is on the screen.
fn choice_list<S>(candidates: Vec<Candidate<S>>, chosen: Option<S>) -> impl IntoView
where
    S: Copy + PartialEq + std::fmt::Display + Send + Sync + 'static,
{
    let stale = chosen.and_then(|sid| {
        candidates
            .iter()
            .find(|c| c.sid == sid && !c.eligible())
            .map(|c| c.label.clone())
            .or_else(|| (!candidates.iter().any(|c| c.sid == sid)).then(|| sid.to_string()))
    });
    let offered = candidates
        .into_iter()
        .filter(|c| c.eligible())
        .map(|c| {
            view! { <option value=c.sid.to_string() selected=chosen == Some(c.sid)>{c.label}</option> }
        })
        .collect_view();
    view! {
        <option value="" selected=chosen.is_none()>"None"</option>
        {chosen.zip(stale).map(|(sid, label)| view! {
            <option value=sid.to_string() selected=true disabled=true>{format!("{label} — not offered (see below)")}</option>
        })}
        {offered}
    }
}
