//! Deleting a stored identity document, from its form or its page.

use leptos::prelude::*;

use crate::domain::records::activity::{Event, EventKind};
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::sid::EventSid;
use crate::domain::rules::problem::Problem;
use crate::domain::time::clock::PROMISED_HOURS;
use crate::store::changes::{self, Change};
use crate::store::documents;
use crate::store::platform::BrowserRandom;
use crate::ui::state::{confirm, now, use_app};

/// Delete for a stored document: asks first, and when the lifecycle rules keep the document,
/// is disabled with their reason beside it.
#[component]
pub fn DeleteDocument(document: IdentityDocument, not_deletable: Option<Problem>) -> impl IntoView {
    let state = use_app();
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let sid = document.sid;
    let again = if document.status == Status::Passed {
        format!(
            " It has passed verification: a new one is usually verified within {PROMISED_HOURS} business hours."
        )
    } else {
        String::new()
    };
    let question = format!(
        "Delete the identity document \"{}\"?{again} This cannot be undone.",
        document.display_name()
    );
    let delete = move |_| {
        if !confirm(&question) {
            return;
        }
        let db = state.db();
        leptos::task::spawn_local(async move {
            let event = Event {
                sid: EventSid::generate(&mut BrowserRandom),
                at: now(),
                kind: EventKind::DocumentDeleted,
                subject: sid.to_string(),
                summary: "Document deleted".into(),
                callback: None,
                bulk: None,
            };
            match documents::delete(&db, sid, &event).await {
                Ok(()) => {
                    changes::publish(Change::Documents);
                    let _ = web_sys::window().map(|w| w.location().set_href("/documents"));
                }
                Err(e) => failure.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <button type="button" class="secondary" disabled=not_deletable.is_some() aria-describedby=not_deletable.as_ref().map(|_| "delete-why") on:click=delete>"Delete"</button>
        {not_deletable.map(|p| view! { <p id="delete-why" class="hint">{p.message}</p> })}
        <div aria-live="polite">{move || failure.get().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}</div>
    }
}
