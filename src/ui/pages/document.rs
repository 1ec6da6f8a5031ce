//! An identity document's page, `/documents/new` and `/documents/:sid`: the form to add or
//! correct one (`document_form`), or the read-only view of one under review or decided
//! (`document_view`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::domain::records::address::Address;
use crate::domain::records::document::{IdentityDocument, open_renewal};
use crate::domain::records::entity::Entity;
use crate::domain::records::sid::IdentitySid;
use crate::ui::data::{Snapshot, use_snapshot};
use crate::ui::pages::document_form::{CopyOf, DocumentForm};
use crate::ui::pages::document_view::DocumentView;

/// What `/documents/new` or `/documents/:sid` shows, for one snapshot of the workspace.
#[derive(Clone)]
enum Shown {
    /// The workspace could not be read.
    Error(String),
    /// No document has this SID.
    NotFound,
    /// The add form (no document yet, or a copy of one) or the correct form of an editable one.
    Form(Option<IdentityDocument>, Option<CopyOf>),
    /// A document under review or decided, read-only.
    View(Snapshot, IdentityDocument),
}

impl Shown {
    fn of(
        snapshot: Result<Snapshot, String>,
        sid: Option<&str>,
        from: Option<&str>,
        renew: Option<&str>,
    ) -> Shown {
        let s = match snapshot {
            Err(e) => return Shown::Error(e),
            Ok(s) => s,
        };
        let find = |text: &str| {
            text.parse::<IdentitySid>()
                .ok()
                .and_then(|sid| s.document(Some(sid)).cloned())
        };
        let Some(text) = sid else {
            // A second renewal of one document is the one already under way.
            if let Some(original) = renew.and_then(find)
                && let Some(open) = open_renewal(&s.documents, original.sid).cloned()
            {
                return Shown::of_document(s, open);
            }
            let copy = match (renew.or(from).map(find), renew.is_some()) {
                (None, _) => None,
                (Some(None), _) => return Shown::NotFound,
                (Some(Some(source)), renew) => Some(CopyOf { source, renew }),
            };
            return Shown::Form(None, copy);
        };
        match find(text) {
            None => Shown::NotFound,
            Some(doc) => Shown::of_document(s, doc),
        }
    }

    fn of_document(s: Snapshot, doc: IdentityDocument) -> Shown {
        if doc.editable() {
            Shown::Form(Some(doc), None)
        } else {
            Shown::View(s, doc)
        }
    }
}

/// `/documents/new` and `/documents/:sid`.
///
/// The page follows every change to the workspace (a review decided, another tab saving), except
/// while it shows a form that is still a form after the change: rebuilding it would throw away
/// what is being typed. A form is replaced only when its URL changes or its document stops being
/// editable (it was submitted) or disappears. A kept form still follows the address list, so an
/// address added meanwhile (in the tab its "Add an address" link opens) can be chosen at once.
#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = use_snapshot();
    let shown: RwSignal<Option<(String, Shown)>> = RwSignal::new(None);
    let addresses: RwSignal<Vec<Address>> = RwSignal::new(Vec::new());
    let entities: RwSignal<Vec<Entity>> = RwSignal::new(Vec::new());
    let documents: RwSignal<Vec<IdentityDocument>> = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        let sid = params.get().get("sid");
        let (from, renew) = query.with(|q| (q.get("from"), q.get("renew")));
        let Some(snapshot) = data.get() else {
            return;
        };
        if let Ok(s) = &snapshot {
            addresses.set(s.addresses.clone());
            entities.set(s.entities.clone());
            documents.set(s.documents.clone());
        }
        let next = Shown::of(
            snapshot.map_err(|e| e.to_string()),
            sid.as_deref(),
            from.as_deref(),
            renew.as_deref(),
        );
        let key = format!("{sid:?} {from:?} {renew:?}");
        let keep = matches!(next, Shown::Form(..))
            && shown.with_untracked(|s| matches!(s, Some((k, Shown::Form(..))) if *k == key));
        if !keep {
            shown.set(Some((key, next)));
        }
    });
    view! {
        {move || match shown.get().map(|(_, s)| s) {
            None => view! { <p>"Loading…"</p> }.into_any(),
            Some(Shown::Error(e)) => view! { <p class="notice error" role="alert">{e}</p> }.into_any(),
            Some(Shown::NotFound) => view! { <h1>"Document not found"</h1><p><a href="/documents">"Back to Identity documents"</a></p> }.into_any(),
            Some(Shown::Form(existing, copy)) => view! { <DocumentForm addresses=addresses.into() entities=entities.into() documents=documents.into() existing=existing copy=copy/> }.into_any(),
            Some(Shown::View(s, doc)) => view! { <DocumentView snapshot=s document=doc/> }.into_any(),
        }}
    }
}
