//! A document under review or decided: read-only, with its name (which can change at any time),
//! how long it counts, the numbers relying on it, its scans and its history.

use leptos::prelude::*;

use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::document::{
    ExpiryCause, IdentityDocument, NAME_MAX, Standing, Status, open_renewal,
};
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::EventSid;
use crate::domain::rules::lifecycle::may_delete_document;
use crate::domain::rules::regulation::Catalog;
use crate::domain::time::calendar::Date;
use crate::domain::time::clock::{BusinessClock, DemoSpeed, PROMISED_HOURS};
use crate::domain::wording::plural;
use crate::review::worker;
use crate::store::changes::{self, Change};
use crate::store::documents;
use crate::store::platform::BrowserRandom;
use crate::store::queue;
use crate::ui::components::badges::StandingBadge;
use crate::ui::components::delete_document::DeleteDocument;
use crate::ui::components::problems::ProblemList;
use crate::ui::components::scan_preview::ScanPreview;
use crate::ui::data::Snapshot;
use crate::ui::state::{now, today, use_app, when};

/// A document under review or decided: read-only, with history, scans and the numbers using it.
#[component]
pub fn DocumentView(snapshot: Snapshot, document: IdentityDocument) -> impl IntoView {
    let state = use_app();
    let message: RwSignal<Option<(String, &'static str)>> = RwSignal::new(None);
    let sid = document.sid;
    let using: Vec<PhoneNumber> = snapshot
        .numbers_of_document(sid)
        .into_iter()
        .cloned()
        .collect();
    // The store asks the same rule again inside the deleting transaction; asking it here too
    // lets the button say why it cannot be used instead of failing after a click.
    let not_deletable = may_delete_document(&document, &using).err();
    let address = snapshot.address(document.address_sid).map(|a| a.one_line());
    let decide_now = move |_| {
        let db = state.db();
        leptos::task::spawn_local(async move {
            match worker::decide(&db, sid, now(), "decided now").await {
                Ok(_) => message.set(Some(("Decided.".into(), "ok"))),
                Err(e) => message.set(Some((e.to_string(), "error"))),
            }
        });
    };
    let pending = document.status == Status::Pending;
    let numbers: Vec<String> = using.iter().map(|n| n.e164.format_grouped()).collect();
    view! {
        <p><a href="/documents">"← Identity documents"</a></p>
        <h1>{document.display_name()}" "<StandingBadge standing=document.standing(today())/></h1>
        <div aria-live="polite">{move || message.get().map(|(m, t)| view! { <p class=format!("notice {t}") role="status">{m}</p> })}</div>
        {pending.then(|| view! { <PendingNotice document=document.clone()/> })}
        <Validity document=document.clone() numbers=numbers.clone()/>
        <Renewal snapshot=snapshot.clone() document=document.clone()/>
        <EntityChanged snapshot=snapshot.clone() document=document.clone()/>
        <Rename document=document.clone()/>
        <dl class="facts">
            <dt>"For"</dt><dd>{snapshot.entity(document.entity_sid).map(|e| view! { <a href=format!("/documents?entity={}", e.sid)>{e.name()}</a> })}</dd>
            <dt>"Regulation"</dt><dd>{document.regulation.friendly_name()}</dd>
            <dt>"End user"</dt><dd>{document.end_user_type.label()}</dd>
            {document.intended_area.clone().map(|a| view! { <dt>"Local area"</dt><dd>{NumberingPlan::builtin().area(&a).map(|x| format!("{} (+{})", x.name, x.prefix)).unwrap_or(a)}</dd> })}
            {document.details.iter().map(|(k, v)| view! { <dt>{k.replace('_', " ")}</dt><dd>{v.clone()}</dd> }).collect_view()}
            <dt>"Address"</dt><dd>{address.unwrap_or_else(|| "—".into())}</dd>
            <dt>"Numbers using it"</dt><dd>{if numbers.is_empty() { "none".to_string() } else { numbers.join(", ") }}</dd>
        </dl>
        <h2>"Scans"</h2>
        <div class="scans">
            {document.files.iter().map(|f| view! { <ScanPreview file=f.clone()/> }).collect_view()}
        </div>
        <h2>"History"</h2>
        <ol class="log">
            {document.history.iter().rev().map(|t| view! {
                <li><time>{when(t.at)}</time>" "{format!("{}: {} → {}", t.cause, t.from.label(), t.to.label())}
                    {(!t.reasons.is_empty()).then(|| view! { <ProblemList problems=t.reasons.clone()/> })}
                </li>
            }).collect_view()}
        </ol>
        <div class="actions">
            {pending.then(|| view! { <button on:click=decide_now>"Decide now (demo)"</button> })}
            <a class="button secondary" href=format!("/documents/new?from={sid}")>"Use as a starting point"</a>
            <DeleteDocument document=document.clone() not_deletable=not_deletable/>
        </div>
    }
}

/// When a Pending document will be decided: the business-hours promise, and at a demo speed the
/// much earlier time the queue will actually decide it (the promise would then be wrong).
#[component]
fn PendingNotice(document: IdentityDocument) -> impl IntoView {
    let state = use_app();
    let sid = document.sid;
    let queued = LocalResource::new(move || {
        let db = state.db();
        async move { queue::get(&db, sid).await.ok().flatten() }
    });
    let at_demo_speed = move || {
        let clock = BusinessClock::reviewer();
        queued
            .get()
            .flatten()
            .filter(|e| e.due != DemoSpeed::RealTime.due(&clock, e.submitted, e.delay_minutes))
            .map(|e| {
                format!(
                    "At the current demo speed it will be decided at {}. ",
                    when(e.due)
                )
            })
    };
    let clock = BusinessClock::reviewer();
    let promise = document
        .submitted_at()
        .map(|at| {
            format!(
                "Submitted {}; usually decided within {PROMISED_HOURS} business hours, by {}. ",
                when(at),
                clock.local_text(clock.usually_decided_by(at)),
            )
        })
        .unwrap_or_else(|| format!("Usually decided within {PROMISED_HOURS} business hours. "));
    view! {
        <p class="notice info">"Pending review. "{promise}{at_demo_speed}"The reviewer works "{clock.hours_text()}". The document cannot be edited while under review."</p>
    }
}

/// How long a Passed document counts, and what stops when it ends: its last day and why, the
/// numbers that become non-compliant then, a warning once its end is announced, and
/// after it, that it has expired.
#[component]
fn Validity(document: IdentityDocument, numbers: Vec<String>) -> impl IntoView {
    if document.status != Status::Passed {
        return ().into_any();
    }
    let today: Date = today();
    let affected = if numbers.is_empty() {
        "No number is mapped to it.".to_string()
    } else {
        format!(
            "{}: {}.",
            plural(numbers.len(), "number relies on it", "numbers rely on it"),
            numbers.join(", ")
        )
    };
    match (document.standing(today), document.expiry()) {
        (Standing::Expired(e), _) => view! {
            <div class="notice error" role="alert" data-testid="validity">
                <p><strong>{format!("Expired after {} ({}).", e.last_day, e.why())}</strong>
                    " It no longer counts, so the numbers mapped to it are non-compliant."</p>
                <p>{affected}</p>
            </div>
        }.into_any(),
        (_, Some(e)) => {
            let left = e.days_left(today);
            let warn = e.announced(today);
            let after = if numbers.is_empty() {
                String::new()
            } else {
                format!(
                    " From {} these become non-compliant unless it is renewed: {}.",
                    e.last_day.add_days(1),
                    numbers.join(", ")
                )
            };
            view! {
                <div class=if warn { "notice warning" } else { "notice info" } data-testid="validity">
                    <p><strong>{format!("Counts until {} ({}), {}.", e.last_day, e.why(), plural(left as usize, "day from today", "days from today"))}</strong>{after}</p>
                    {change_summary(&document, e.cause).map(|c| view! { <p data-testid="regulation-change">{c}" Renew it under the new rules before then."</p> })}
                </div>
            }.into_any()
        }
        (_, None) => view! {
            <p class="notice ok" data-testid="validity">{format!("Passed; nothing ends it. {affected}")}</p>
        }.into_any(),
    }
}

/// Where the document stands among its renewals: *Renew* on a Passed one (or the link to the
/// renewal under way), what a renewal will replace and move, and what replaced a Replaced one.
#[component]
fn Renewal(snapshot: Snapshot, document: IdentityDocument) -> impl IntoView {
    let link = |d: &IdentityDocument| {
        view! { <a href=format!("/documents/{}", d.sid)>{d.name_and_status()}</a> }
    };
    let original = document
        .renews
        .and_then(|sid| snapshot.document(Some(sid)).cloned());
    let replaced_by = document
        .replaced_by
        .and_then(|sid| snapshot.document(Some(sid)).cloned());
    let under_way = open_renewal(&snapshot.documents, document.sid).cloned();
    let moving = original
        .as_ref()
        .map(|o| snapshot.numbers_of_document(o.sid).len())
        .unwrap_or(0);
    view! {
        {(document.status == Status::Replaced).then(|| view! {
            <p class="notice info" data-testid="replaced-by">"Replaced by its renewal "{replaced_by.as_ref().map(link)}"; its numbers moved there. Kept for its history."</p>
        })}
        {original.map(|o| match o.status {
            Status::Passed if document.status != Status::Passed => view! {
                <p class="notice info" data-testid="renews">"Renews "{link(&o)}{format!(", which keeps counting meanwhile. When this one passes, {} here.", plural(moving, "number moves", "numbers move"))}</p>
            }.into_any(),
            Status::Replaced => view! {
                <p class="hint" data-testid="renewal-of">"The renewal of "{link(&o)}"; its numbers moved here when this one passed."</p>
            }.into_any(),
            _ => ().into_any(),
        })}
        {(document.status == Status::Passed).then(|| match under_way {
            Some(r) => view! { <p class="notice info" data-testid="renewal-under-way">"Renewal under way: "{link(&r)}</p> }.into_any(),
            None => view! {
                <p class="actions"><a class="button" href=format!("/documents/new?renew={}", document.sid)>"Renew"</a>
                    <span class="hint">" A copy goes through review while this one keeps counting; when it passes, the numbers move to it."</span></p>
            }.into_any(),
        })}
    }
}

/// What the regulation change that ends a document says, when a change ends it.
fn change_summary(document: &IdentityDocument, cause: ExpiryCause) -> Option<String> {
    let ExpiryCause::RegulationChange { effective } = cause else {
        return None;
    };
    Catalog::shared()
        .get(&document.regulation)?
        .changes
        .iter()
        .find(|c| c.effective == effective)
        .map(|c| c.summary.clone())
}

/// A Passed document whose entity's details have changed since it passed: it still counts with
/// what review judged, and says which details differ, so the change is not silent; a renewal
/// takes the entity's details to review.
#[component]
fn EntityChanged(snapshot: Snapshot, document: IdentityDocument) -> Option<impl IntoView> {
    let entity = snapshot
        .entity(document.entity_sid)
        .filter(|_| document.status == Status::Passed)?;
    let fields = entity.changed_since(&document);
    if fields.is_empty() {
        return None;
    }
    let names: Vec<String> = fields.iter().map(|f| f.replace('_', " ")).collect();
    Some(view! {
        <p class="notice warning" data-testid="entity-changed">
            {format!("What is typed for {} has changed since this document passed ({}). It counts with what review judged; renew it to have the new details reviewed.", entity.name(), names.join(", "))}
        </p>
    })
}

/// The name, changeable at any time: a name is not something review checks, so renaming a
/// Pending or Passed document is allowed and leaves one log entry.
#[component]
fn Rename(document: IdentityDocument) -> impl IntoView {
    let state = use_app();
    let sid = document.sid;
    let typed = RwSignal::new(document.display_name());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let db = state.db();
        let name = typed.get_untracked();
        leptos::task::spawn_local(async move {
            let event = EventSid::generate(&mut BrowserRandom);
            match documents::rename(&db, sid, &name, event, now()).await {
                Ok(_) => {
                    error.set(None);
                    state.toast("Renamed.", "ok");
                    changes::publish(Change::Documents);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <form class="inline-form" on:submit=rename novalidate>
            <label for="doc-name">"Name"</label>
            <input id="doc-name" maxlength=NAME_MAX.to_string() prop:value=move || typed.get()
                on:input:target=move |ev| typed.set(ev.target().value())
                aria-invalid=move || error.get().is_some().to_string() aria-describedby="doc-name-error"/>
            <button type="submit" class="secondary">"Rename"</button>
            <div id="doc-name-error" class="field-error" aria-live="polite">{move || error.get().map(|e| view! { <p>{e}</p> })}</div>
        </form>
    }
}
