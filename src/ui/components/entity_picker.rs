//! Who a document is for, typed once: the document form's choice of entity, which fills the
//! details from what was typed for it before, and the files its other documents already hold,
//! which can be attached again without uploading.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::domain::ordering::sort_by;
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::entity::Entity;
use crate::domain::records::sid::{EntitySid, IdentitySid};
use crate::review::facts;
use crate::ui::components::scan_editor::FileEntry;
use crate::ui::state::use_app;

/// The entity select: "a new individual or business", or one typed before. Choosing one fills
/// the form's details from it (what the form has that the entity lacks stays) and its end-user
/// type.
#[component]
pub fn EntityPicker(
    entities: Signal<Vec<Entity>>,
    entity: RwSignal<Option<EntitySid>>,
    details: RwSignal<BTreeMap<String, String>>,
    end_user: RwSignal<String>,
    #[prop(optional)] locked: bool,
) -> impl IntoView {
    let choose = move |value: String| {
        let chosen: Option<EntitySid> = value.parse().ok();
        entity.set(chosen);
        let Some(found) =
            entities.with_untracked(|all| all.iter().find(|e| Some(e.sid) == chosen).cloned())
        else {
            return;
        };
        details.update(|d| d.extend(found.details));
        end_user.set(found.end_user_type.slug().to_string());
    };
    view! {
        <div class="field">
            <label for="doc-entity">"Who it is for"</label>
            <select id="doc-entity" disabled=locked aria-describedby="doc-entity-hint"
                on:change:target=move |ev| choose(ev.target().value())>
                <option value="" selected=move || entity.get().is_none_or(|sid| entities.with(|all| !all.iter().any(|e| e.sid == sid)))>
                    "A new individual or business"
                </option>
                {move || entities.get().into_iter().map(|e| {
                    let sid = e.sid;
                    view! { <option value=sid.to_string() selected=move || entity.get() == Some(sid)>{format!("{} ({})", e.name(), e.end_user_type.label())}</option> }
                }).collect_view()}
            </select>
            <p id="doc-entity-hint" class="hint">"Details typed once for an individual or business fill every new document for it."</p>
        </div>
    }
}

/// The files other documents of the same entity hold (a register excerpt, an ID card), to attach
/// to this one without uploading again. The bytes are stored once, by their hash: this document
/// lists the same file.
#[component]
pub fn StoredFilePicker(
    documents: Signal<Vec<IdentityDocument>>,
    entity: Signal<Option<EntitySid>>,
    this: IdentitySid,
    files: RwSignal<Vec<FileEntry>>,
) -> impl IntoView {
    let state = use_app();
    // (document, file index) of every file the entity's other documents hold, by SHA-256 once.
    let offered = Memo::new(move |_| {
        let Some(entity) = entity.get() else {
            return Vec::new();
        };
        // Files attached already, and each file once however many documents hold it.
        let mut seen: std::collections::HashSet<String> =
            files.with(|f| f.iter().map(|e| e.meta.sha256.clone()).collect());
        let mut out: Vec<(IdentitySid, usize, String)> = Vec::new();
        documents.with(|all| {
            // One file held by several documents is offered with what a Passed one declares it
            // shows, never first with a declaration a review refused.
            let mut holders: Vec<&IdentityDocument> = all
                .iter()
                .filter(|d| d.entity_sid == Some(entity) && d.sid != this)
                .collect();
            sort_by(&mut holders, |d| match d.status {
                Status::Passed => 0u8,
                Status::Replaced => 1,
                Status::Pending => 2,
                Status::Draft => 3,
                Status::Failed => 4,
            });
            for d in holders {
                for (i, f) in d.files.iter().enumerate() {
                    if seen.insert(f.sha256.clone()) {
                        let label = format!(
                            "{} — {} (from {})",
                            f.document_type.label(),
                            f.file_name,
                            d.display_name()
                        );
                        out.push((d.sid, i, label));
                    }
                }
            }
        });
        out
    });
    let attach = move |value: String| {
        let Some((doc, index)) = value
            .split_once(':')
            .and_then(|(d, i)| Some((d.parse::<IdentitySid>().ok()?, i.parse::<usize>().ok()?)))
        else {
            return;
        };
        let Some(meta) = documents.with_untracked(|all| {
            all.iter()
                .find(|d| d.sid == doc)
                .and_then(|d| d.files.get(index).cloned())
        }) else {
            return;
        };
        let db = state.db();
        leptos::task::spawn_local(async move {
            let Ok((Some(blob), measured)) = facts::of_stored(&db, &meta.sha256).await else {
                return;
            };
            files.update(|f| f.push(FileEntry::with_bytes(meta, blob, measured)));
        });
    };
    view! {
        <Show when=move || !offered.with(Vec::is_empty)>
            <div class="field">
                <label for="doc-stored-file">"Attach a file this entity's documents already hold"</label>
                <select id="doc-stored-file" prop:value="" on:change:target=move |ev| { attach(ev.target().value()); ev.target().set_value(""); }>
                    <option value="">"Choose a file…"</option>
                    {move || offered.get().into_iter().map(|(doc, i, label)| view! { <option value=format!("{doc}:{i}")>{label}</option> }).collect_view()}
                </select>
            </div>
        </Show>
    }
}
