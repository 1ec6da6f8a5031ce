//! A number's own part of the log: every entry about it, bulk ones included (read through the
//! log's `by_number` index), and the form that changes its label.

use leptos::prelude::*;

use crate::domain::records::activity::Event;
use crate::domain::records::number::{PhoneNumber, checked_label};
use crate::domain::records::sid::{EventSid, NumberSid};
use crate::domain::rules::compliance::Compliance;
use crate::store::changes::{self, Change};
use crate::store::platform::BrowserRandom;
use crate::store::{activity, numbers};
use crate::ui::state::{now, use_app, when};

/// Every log entry about the number, newest first.
#[component]
pub fn NumberHistory(sid: NumberSid) -> impl IntoView {
    let state = use_app();
    let entries = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { activity::about_number(&db, sid).await }
    });
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || entries.get().map(|r| match r {
                    Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">"Nothing logged about this number yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ol class="log history" data-testid="number-history">
                            {list.into_iter().map(|e| view! {
                                <li>
                                    <time>{when(e.at)}</time>
                                    <span class="tag">{e.kind.label()}</span>
                                    <span>{e.summary}</span>
                                    {e.bulk.map(|b| view! {
                                        <span class="hint">{if b.undoes.is_some() { " (an undo of a bulk change)" } else if b.undone_by.is_some() { " (bulk change, undone)" } else { " (bulk change)" }}</span>
                                    })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// The label form: Twilio's friendly name, shown in lists and reports. `said` lives above the
/// page's detail, which a saved label redraws.
#[component]
pub fn LabelForm(
    number: PhoneNumber,
    compliance: Compliance,
    said: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let state = use_app();
    let typed = RwSignal::new(number.friendly_name.clone());
    let number = StoredValue::new(number);
    let compliance = StoredValue::new(compliance);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let label = match checked_label(&typed.get_untracked()) {
            Ok(label) => label,
            Err(e) => {
                said.set(Some(Err(e)));
                return;
            }
        };
        let mut updated = number.get_value();
        let old = std::mem::replace(&mut updated.friendly_name, label);
        if old == updated.friendly_name {
            said.set(Some(Ok("The label is unchanged.".into())));
            return;
        }
        let event = Event::number_labelled(
            EventSid::generate(&mut BrowserRandom),
            now(),
            &updated,
            &old,
        );
        let db = state.db();
        leptos::task::spawn_local(async move {
            match numbers::update(&db, &[(updated, compliance.get_value())], &event).await {
                Ok(()) => {
                    said.set(Some(Ok("Label saved.".into())));
                    changes::publish(Change::Numbers);
                }
                Err(e) => said.set(Some(Err(e.to_string()))),
            }
        });
    };
    view! {
        <form class="inline-form" on:submit=save aria-label="Label">
            <div class="field">
                <label for="number-label">"Label"</label>
                <input id="number-label" aria-describedby="number-label-said"
                    prop:value=move || typed.get() on:input:target=move |ev| typed.set(ev.target().value())/>
            </div>
            <button type="submit" class="secondary">"Save label"</button>
            <p id="number-label-said" aria-live="polite">{move || said.get().map(|r| match r {
                Ok(m) => view! { <span class="hint">{m}</span> }.into_any(),
                Err(m) => view! { <span class="field-error" role="alert">{m}</span> }.into_any(),
            })}</p>
        </form>
    }
}
