//! An identity document's page: the form to add or correct one (the regulation decides its
//! fields), or the read-only view of one under review or decided (`document_view`).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use wasm_bindgen::JsCast;

use crate::domain::phone::locality::resolve_area;
use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::activity::{Event, EventKind};
use crate::domain::records::address::Address;
use crate::domain::records::document::{
    IdentityDocument, NAME_MAX, ScanShows, Status, SupportingFile, checked_name, holder,
    open_renewal, proposed_name,
};
use crate::domain::records::entity::Entity;
use crate::domain::records::files::{FileFacts, FileFormat, sha256_hex, upload_problems};
use crate::domain::records::kinds::{EndUserType, NumberType};
use crate::domain::records::sid::{AddressSid, EntitySid, EventSid, IdentitySid};
use crate::domain::rules::evaluation::stored_details;
use crate::domain::rules::lifecycle::may_delete_document;
use crate::domain::rules::problem::Problem;
use crate::domain::rules::regulation::{Catalog, DocumentType, FieldKind, RegulationKey};
use crate::domain::rules::reviewer;
use crate::review::{facts, speed, submit};
use crate::store::changes::{self, Change};
use crate::store::documents::{self, Scan};
use crate::store::platform::BrowserRandom;
use crate::ui::components::delete_document::DeleteDocument;
use crate::ui::components::entity_picker::{EntityPicker, StoredFilePicker};
use crate::ui::components::field::on_field;
use crate::ui::components::problems::ProblemList;
use crate::ui::components::scan_editor::{FileEntry, ScanEditor};
use crate::ui::data::{Snapshot, use_snapshot};
use crate::ui::pages::document_view::DocumentView;
use crate::ui::state::{now, today, use_app};

/// What a new document is copied from: `/documents/new?from=RI…` (a starting point for another
/// area or regulation) or `?renew=RI…` (a renewal that replaces the original when it passes).
#[derive(Clone)]
struct CopyOf {
    source: IdentityDocument,
    renew: bool,
}

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
pub fn DocumentFormPage() -> impl IntoView {
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

/// The add / correct form; with `copy`, a new document filled from another one.
#[component]
fn DocumentForm(
    addresses: Signal<Vec<Address>>,
    entities: Signal<Vec<Entity>>,
    documents: Signal<Vec<IdentityDocument>>,
    existing: Option<IdentityDocument>,
    copy: Option<CopyOf>,
) -> impl IntoView {
    let state = use_app();
    let query = use_query_map().get_untracked();
    let navigate = use_navigate();
    let catalog = Catalog::shared();
    let plan = NumberingPlan::builtin();
    let sid = existing
        .as_ref()
        .map(|d| d.sid)
        .unwrap_or_else(|| IdentitySid::generate(&mut BrowserRandom));
    let copying = copy.is_some();
    let copied = copy.as_ref().map(|c| {
        if c.renew {
            c.source
                .renewal(sid, now())
                .unwrap_or_else(|_| c.source.starting_point(sid, now()))
        } else {
            c.source.starting_point(sid, now())
        }
    });
    let source = copy.map(|c| c.source);
    let existing = StoredValue::new(existing);
    // A copy starts from what is typed for its entity now: a renewal takes that to review.
    let copied = copied.map(|mut d| {
        let typed = entities.with_untracked(|all| {
            all.iter()
                .find(|e| Some(e.sid) == d.entity_sid)
                .map(|e| e.details.clone())
        });
        d.details.extend(typed.unwrap_or_default());
        d
    });
    let start = existing.get_value().or(copied);
    let renews = start.as_ref().and_then(|d| d.renews);
    // A renewal keeps the regulation, area and address, so its numbers can move to it.
    let locked = renews.is_some();
    let country = RwSignal::new(
        start
            .as_ref()
            .map(|d| d.regulation.country.to_string())
            .or_else(|| query.get("country"))
            .unwrap_or_else(|| "DE".into()),
    );
    let number_type = RwSignal::new(
        start
            .as_ref()
            .map(|d| d.regulation.number_type.slug().to_string())
            .or_else(|| query.get("type"))
            .unwrap_or_else(|| "local".into()),
    );
    let end_user = RwSignal::new(
        start
            .as_ref()
            .map(|d| d.end_user_type.slug().to_string())
            .or_else(|| query.get("end_user"))
            .unwrap_or_else(|| "business".into()),
    );
    let area_text = RwSignal::new(
        start
            .as_ref()
            .and_then(|d| d.intended_area.clone())
            .or_else(|| query.get("area"))
            .map(|p| format!("+{p}"))
            .unwrap_or_default(),
    );
    let details: RwSignal<BTreeMap<String, String>> = RwSignal::new(
        start
            .as_ref()
            .map(|d| d.details.clone())
            .unwrap_or_default(),
    );
    // The entity it is for; a document for a new one gets a new entity when it is saved.
    let entity: RwSignal<Option<EntitySid>> =
        RwSignal::new(start.as_ref().and_then(|d| d.entity_sid));
    let new_entity = EntitySid::generate(&mut BrowserRandom);
    let address: RwSignal<Option<AddressSid>> =
        RwSignal::new(start.as_ref().and_then(|d| d.address_sid));
    // An address deleted in another tab is no longer a choice: the field goes back to empty (and
    // the pre-check says an address is needed) rather than keeping a SID that points nowhere.
    Effect::new(move |_| {
        addresses.with(|list| {
            if let Some(sid) = address.get_untracked()
                && !list.iter().any(|a| a.sid == sid)
            {
                address.set(None);
            }
        })
    });
    let files: RwSignal<Vec<FileEntry>> = RwSignal::new(
        start
            .as_ref()
            .map(|d| {
                d.files
                    .iter()
                    .map(|f| FileEntry {
                        meta: f.clone(),
                        blob: None,
                        preview: None,
                        facts: None,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    );
    // Stored scans are measured as the reviewer measures them, so the pre-check judges their
    // bytes too (a PNG saved as a PDF is 18024 after reopening the draft, not only before
    // saving). A copy also takes the bytes, to store them under the new document.
    {
        let stored: Vec<SupportingFile> =
            files.with_untracked(|f| f.iter().map(|e| e.meta.clone()).collect());
        let db = state.db();
        leptos::task::spawn_local(async move {
            for meta in stored {
                // Unreadable now: the pre-check goes on without the bytes' facts.
                let Ok((blob, measured)) = facts::of_stored(&db, &meta.sha256).await else {
                    continue;
                };
                let preview = blob
                    .as_ref()
                    .filter(|_| copying)
                    .and_then(|b| FileEntry::preview_of(b, &measured));
                files.try_update(|all| {
                    for e in all
                        .iter_mut()
                        .filter(|e| e.meta.sha256 == meta.sha256 && e.facts.is_none())
                    {
                        e.facts = Some(measured);
                        if copying {
                            e.blob = blob.clone();
                            e.preview = preview.clone();
                        }
                    }
                });
            }
        });
    }
    let upload_errors: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let attempted = RwSignal::new(false);
    let previous_reasons = start
        .as_ref()
        .map(|d| d.reasons.clone())
        .unwrap_or_default();
    let is_failed = start.as_ref().is_some_and(|d| d.status == Status::Failed);

    let key = Memo::new(move |_| {
        Some(RegulationKey {
            country: country.get().parse().ok()?,
            number_type: NumberType::from_slug(&number_type.get())?,
            end_user_type: EndUserType::from_slug(&end_user.get())?,
        })
    });
    // The rules in force today, a change to the regulation included: what review will judge.
    let regulation = Memo::new(move |_| {
        key.get()
            .and_then(|k| catalog.get(&k).map(|r| r.as_of(today()).into_owned()))
    });
    let area = Memo::new(move |_| {
        country
            .get()
            .parse()
            .ok()
            .and_then(|c| resolve_area(NumberingPlan::builtin(), c, &area_text.get()).cloned())
    });
    let needs_area = move || number_type.get() == "local";
    // The name follows the proposal (who, regulation, area) until someone types one.
    let proposal = Memo::new(move |_| {
        let key = key.get()?;
        let who = details.with(holder);
        Some(proposed_name(
            &who,
            key,
            area.get().as_ref().map(|a| a.name.as_str()),
        ))
    });
    let name = RwSignal::new(
        start
            .as_ref()
            .map(|d| d.name.clone())
            .filter(|n| !n.trim().is_empty())
            .or_else(|| proposal.get_untracked())
            .unwrap_or_default(),
    );
    let named = RwSignal::new(start.as_ref().is_some_and(|d| !d.name.trim().is_empty()));
    Effect::new(move |_| {
        if let Some(p) = proposal.get()
            && !named.get_untracked()
        {
            name.set(p);
        }
    });
    let name_problems = Signal::derive(move || {
        checked_name(&name.get())
            .err()
            .into_iter()
            .collect::<Vec<_>>()
    });
    let draft = Memo::new(move |_| {
        let key = key.get()?;
        Some(IdentityDocument {
            sid,
            name: name.get().trim().to_string(),
            end_user_type: key.end_user_type,
            entity_sid: Some(entity.get().unwrap_or(new_entity)),
            regulation: key,
            area_name: area.get().map(|a| a.name),
            intended_area: area.get().map(|a| a.prefix),
            // Phone numbers are kept in E.164 however they were typed.
            // Only the regulation's own fields: an entity knows more (a VAT number for another
            // country's document), and the form keeps what was typed for other regulations.
            details: details.with(|d| match regulation.get() {
                Some(r) => stored_details(&r, d)
                    .into_iter()
                    .filter(|(field, _)| r.field(field).is_some())
                    .collect(),
                None => d.clone(),
            }),
            files: files.get().into_iter().map(|f| f.meta).collect(),
            address_sid: address.get(),
            status: existing
                .with_value(|e| e.as_ref().map(|d| d.status))
                .unwrap_or(Status::Draft),
            renews,
            replaced_by: None,
            valid_until: None,
            reasons: Vec::new(),
            history: existing
                .with_value(|e| e.as_ref().map(|d| d.history.clone()))
                .unwrap_or_default(),
            created: existing
                .with_value(|e| e.as_ref().map(|d| d.created))
                .unwrap_or_else(now),
        })
    });
    // The live pre-check: exactly what the reviewer would say now. File facts are included once
    // every scan was measured in this session (new uploads are).
    let precheck = Memo::new(move |_| {
        let Some(doc) = draft.get() else {
            return Vec::new();
        };
        let entries = files.get();
        let facts: Option<Vec<FileFacts>> = entries.iter().map(|e| e.facts).collect();
        addresses.with(|list| {
            reviewer::reasons(
                catalog,
                plan,
                &doc,
                list.iter().find(|a| Some(a.sid) == doc.address_sid),
                facts.as_deref(),
                today(),
            )
        })
    });
    let field_problems = move |field: &str| {
        let mut out = on_field(&precheck.get(), field);
        if out.is_empty() && !attempted.get() {
            return Vec::new();
        }
        // Until the first attempt, "missing" is not yet an error: only wrong values are shown.
        if !attempted.get() {
            use crate::domain::rules::problem::codes::{MISSING_DOCUMENT, MISSING_INFORMATION};
            out.retain(|p| p.code != MISSING_INFORMATION && p.code != MISSING_DOCUMENT);
        }
        out
    };

    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev
            .target()
            .and_then(|t| t.dyn_into().ok())
            .expect("file input");
        let Some(list) = input.files() else { return };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        let accepted = regulation
            .get_untracked()
            .map(|r| {
                r.requirements
                    .iter()
                    .flat_map(|q| q.accepted.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        leptos::task::spawn_local(async move {
            let mut problems = Vec::new();
            for file in chosen {
                let mime = file.type_();
                let size = file.size() as u64;
                let found = upload_problems("upload", &mime, size);
                if !found.is_empty() {
                    problems.extend(found.into_iter().map(|mut p| {
                        p.message = format!("{}: {}", file.name(), p.message);
                        p
                    }));
                    continue;
                }
                let blob: web_sys::Blob = file.clone().into();
                let bytes = match wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await {
                    Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                    Err(_) => {
                        problems.push(Problem::at(
                            crate::domain::rules::problem::codes::UNPROCESSABLE_FILE,
                            "upload",
                            format!("{} could not be read.", file.name()),
                        ));
                        continue;
                    }
                };
                let measured = facts::measure(&blob).await;
                let preview = FileEntry::preview_of(&blob, &measured);
                let meta = SupportingFile {
                    document_type: accepted.first().copied().unwrap_or(DocumentType::Passport),
                    file_name: file.name(),
                    mime_type: mime,
                    size,
                    sha256: sha256_hex(&bytes),
                    pixels: measured.pixels,
                    shows: ScanShows::default(),
                };
                files.update(|f| {
                    f.push(FileEntry {
                        meta,
                        blob: Some(blob),
                        preview,
                        facts: Some(measured),
                    })
                });
            }
            upload_errors.set(problems);
        });
    };

    let save = move |submit_now: bool| {
        attempted.set(true);
        let Some(doc) = draft.get_untracked() else {
            return;
        };
        if let Err(p) = checked_name(&doc.name) {
            failure.set(Some(p.message));
            return;
        }
        if regulation.get_untracked().is_none_or(|r| !r.offered) {
            failure.set(Some(
                "This combination is not offered; choose another number type or end-user type."
                    .into(),
            ));
            return;
        }
        if submit_now && !precheck.get_untracked().is_empty() {
            failure.set(Some(
                "The review would fail for the reasons listed. Fix them, or save a draft.".into(),
            ));
            return;
        }
        let scans: Vec<Scan> = files
            .get_untracked()
            .into_iter()
            .filter_map(|f| {
                f.blob.map(|blob| Scan {
                    sha256: f.meta.sha256,
                    blob,
                })
            })
            .collect();
        let db = state.db();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = if submit_now {
                submit::submit(&db, &doc, &scans, now(), speed::current())
                    .await
                    .map(|_| ())
            } else {
                let event = Event {
                    sid: EventSid::generate(&mut BrowserRandom),
                    at: now(),
                    kind: EventKind::DocumentCreated,
                    subject: doc.sid.to_string(),
                    summary: format!("Draft saved: {}", doc.display_name()),
                    callback: None,
                    bulk: None,
                };
                documents::save(&db, &doc, &scans, None, &[event]).await
            };
            match result {
                Ok(()) => {
                    changes::publish(Change::Documents);
                    state.toast(
                        if submit_now {
                            "Submitted for review."
                        } else {
                            "Draft saved."
                        },
                        "ok",
                    );
                    navigate(&format!("/documents/{}", doc.sid), Default::default());
                }
                Err(e) => failure.set(Some(e.to_string())),
            }
        });
    };
    let save_draft = save.clone();
    let scan_indices = move || (0..files.with(Vec::len)).collect::<Vec<usize>>();

    let countries = catalog.countries();
    let heading = if is_failed {
        "Correct identity document"
    } else if locked {
        "Renew identity document"
    } else if existing.with_value(Option::is_some) {
        "Edit identity document"
    } else {
        "Add new identity document"
    };
    view! {
        <p><a href="/documents">"← Identity documents"</a></p>
        <h1>{heading}</h1>
        {renews.map(|original| view! {
            <div class="notice info" data-testid="renewal-notice">
                <p>"A renewal of "<a href=format!("/documents/{original}")>{source.as_ref().filter(|s| s.sid == original).map(|s| s.display_name()).unwrap_or_else(|| "the document it renews".into())}</a>
                    ". When it passes review it replaces that document, and every number mapped to it moves here in the same step; until then that document keeps counting."</p>
                <p>"It keeps the regulation, the local area and the address, so the numbers fit it. Replace the scans that have aged: a new proof of address, an ID card or passport that expires."</p>
            </div>
        })}
        {(!locked).then(|| source.as_ref().map(|s| view! {
            <p class="notice info" data-testid="copy-notice">{format!("Starting from \"{}\": the same holder, details, scans and address. Change the area or regulation, and the scans that differ.", s.display_name())}</p>
        })).flatten()}
        {is_failed.then(|| view! {
            <div class="notice error" role="alert">
                <p><strong>"This document failed verification."</strong>" Correct what is listed, then resubmit:"</p>
                <ProblemList problems=previous_reasons.clone()/>
            </div>
        })}
        <form class="card form" on:submit=move |ev| { ev.prevent_default(); save(true); } novalidate>
            <fieldset>
                <legend>"The number you intend to buy"</legend>
                <EntityPicker entities=entities entity=entity details=details end_user=end_user locked=locked/>
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
            </fieldset>
            <div class="field">
                <label for="doc-name">"Name"<span class="req" aria-hidden="true">" *"</span></label>
                <input id="doc-name" maxlength=NAME_MAX.to_string() aria-describedby="doc-name-hint doc-name-error"
                    aria-invalid=move || (!name_problems.get().is_empty()).to_string()
                    prop:value=move || name.get()
                    on:input:target=move |ev| { named.set(true); name.set(ev.target().value()); }/>
                <p id="doc-name-hint" class="hint">"Shown in lists and drop-downs. Proposed from who, regulation and area until you change it; it can be renamed at any time, without review."</p>
                <div id="doc-name-error" class="field-error">{move || name_problems.get().into_iter().map(|p| view! { <p>{p.message}</p> }).collect_view()}</div>
            </div>
            {move || match regulation.get() {
                None => view! { <p class="notice error">"There is no regulation for this combination."</p> }.into_any(),
                Some(r) if !r.offered => view! { <p class="notice error" role="alert">{format!("{} — not offered. {}", r.friendly_name(), r.not_offered_reason.clone().unwrap_or_default())}</p> }.into_any(),
                Some(r) => {
                    let accepted_types: Vec<DocumentType> = r.requirements.iter().flat_map(|q| q.accepted.clone()).collect();
                    let provenance = match &r.provenance {
                        crate::domain::rules::regulation::Provenance::Sourced { .. } => "Requirements from a published source.",
                        crate::domain::rules::regulation::Provenance::Assumed { .. } => "Requirements assumed for this simulation (no published source).",
                    };
                    view! {
                        <fieldset>
                            <legend>{format!("{} — details", r.friendly_name())}</legend>
                            <p class="hint">{provenance}" Fields marked "<span class="req">"*"</span>" are mandatory."</p>
                            {r.fields.iter().map(|f| {
                                let name = f.name.clone();
                                let id = format!("detail-{}", f.name);
                                let err_id = format!("{id}-error");
                                let kind = match f.kind { FieldKind::Email => "email", FieldKind::Phone => "tel", FieldKind::Date => "date", _ => "text" };
                                let n1 = name.clone(); let n2 = name.clone(); let n3 = name.clone(); let n4 = name.clone();
                                let input = match &f.kind {
                                    FieldKind::Choice { options } => {
                                        let options = options.clone();
                                        view! {
                                            <select id=id.clone() required=f.mandatory aria-invalid=move || (!field_problems(&n3).is_empty()).to_string() aria-describedby=err_id.clone()
                                                on:change:target=move |ev| { let v = ev.target().value(); details.update(|d| { d.insert(n1.clone(), v); }); }>
                                                <option value="">"Choose…"</option>
                                                {options.into_iter().map(|o| { let o2 = o.clone(); let value = o.clone(); let n = n2.clone(); view! { <option value=value selected=move || details.with(|d| d.get(&n) == Some(&o2))>{o}</option> } }).collect_view()}
                                            </select>
                                        }.into_any()
                                    }
                                    _ => view! {
                                        <input id=id.clone() type=kind required=f.mandatory aria-required=f.mandatory.to_string()
                                            aria-invalid=move || (!field_problems(&n3).is_empty()).to_string() aria-describedby=err_id.clone()
                                            prop:value=move || details.with(|d| d.get(&n2).cloned().unwrap_or_default())
                                            on:input:target=move |ev| { let v = ev.target().value(); details.update(|d| { d.insert(n1.clone(), v); }); }/>
                                    }.into_any(),
                                };
                                view! {
                                    <div class="field">
                                        <label for=id>{f.label.clone()}{f.mandatory.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
                                        {input}
                                        {f.help.clone().map(|h| view! { <p class="hint">{h}</p> })}
                                        <div id=err_id class="field-error">{move || field_problems(&n4).into_iter().map(|p| view! { <p>{format!("{} ({})", p.message, p.code)}</p> }).collect_view()}</div>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        {r.address.requires_address().then(|| {
                            let rule = r.describe_address();
                            let link = format!("/addresses?new=1&country={}{}", r.key.country, area.get().map(|a| format!("&area={}", a.prefix)).unwrap_or_default());
                            view! {
                                <fieldset>
                                    <legend>"Address"</legend>
                                    <div class="field">
                                        <label for="doc-address">"Address on file"<span class="req" aria-hidden="true">" *"</span></label>
                                        <select id="doc-address" disabled=locked aria-describedby="doc-address-hint doc-address-error"
                                            aria-invalid=move || (!field_problems("address").is_empty()).to_string()
                                            on:change:target=move |ev| address.set(ev.target().value().parse().ok())>
                                            <option value="" selected=move || address.get().is_none()>"Choose an address"</option>
                                            {move || addresses.with(|list| list.iter().map(|a| { let sid = a.sid; view! { <option value=a.sid.to_string() selected=move || address.get() == Some(sid)>{a.label()}</option> } }).collect_view())}
                                        </select>
                                        <p id="doc-address-hint" class="hint">{format!("This regulation needs {rule}; the scans must show the same address. ")}<a href=link target="_blank">"Add an address (opens a new tab, this form stays)"</a></p>
                                        <div id="doc-address-error" class="field-error">{move || field_problems("address").into_iter().map(|p| view! { <p>{format!("{} ({})", p.message, p.code)}</p> }).collect_view()}</div>
                                    </div>
                                </fieldset>
                            }
                        })}
                        <fieldset>
                            <legend>"Supporting documents"</legend>
                            <ul class="plain requirements">
                                {r.requirements.iter().map(|q| {
                                    let key = format!("requirement:{}", q.name);
                                    view! {
                                        <li><strong>{q.label.clone()}</strong>": "{q.accepted.iter().map(|t| t.label()).collect::<Vec<_>>().join(" or ")}
                                            {q.max_age_months.map(|m| format!(" (issued within {m} months)"))}
                                            {move || field_problems(&key).into_iter().map(|p| view! { <span class="field-error">{format!(" — {}", p.message)}</span> }).collect_view()}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <div class="field">
                                <label for="doc-upload">"Add a scan (PDF, JPEG or PNG, up to 10 MB)"</label>
                                <input id="doc-upload" type="file" accept=FileFormat::ACCEPT multiple=true on:change=on_file aria-describedby="doc-upload-error"/>
                                <div id="doc-upload-error" class="field-error" role="alert">{move || upload_errors.get().into_iter().map(|p| view! { <p>{p.message}</p> }).collect_view()}</div>
                            </div>
                            <StoredFilePicker documents=documents entity=entity.into() this=sid files=files/>
                            <For each=scan_indices key=|i| *i let:index>
                                <ScanEditor index=index files=files types=accepted_types.clone() problems=Signal::derive(move || field_problems(&format!("file:{index}")))/>
                            </For>
                        </fieldset>
                    }.into_any()
                }
            }}
            <section class="precheck" aria-live="polite" aria-labelledby="precheck-heading">
                <h2 id="precheck-heading">"Pre-check"</h2>
                {move || {
                    let found = precheck.get();
                    if found.is_empty() {
                        view! { <p class="notice ok">"Nothing found that would make the review fail."</p> }.into_any()
                    } else {
                        view! { <div class="notice info"><p>"The review would fail for these reasons:"</p><ProblemList problems=found/></div> }.into_any()
                    }
                }}
            </section>
            <div aria-live="assertive">{move || failure.get().map(|f| view! { <p class="notice error" role="alert">{f}</p> })}</div>
            <div class="actions">
                <button type="submit">{if is_failed { "Correct and resubmit" } else { "Submit for review" }}</button>
                <button type="button" class="secondary" on:click=move |_| save_draft(false)>"Save draft"</button>
                {existing.get_value().map(|d| {
                    // Numbers using it are checked by the store when deleting (the form does not
                    // read them); the status rule can be told here.
                    let not_deletable = may_delete_document(&d, &[]).err();
                    view! { <DeleteDocument document=d not_deletable=not_deletable/> }
                })}
            </div>
        </form>
    }
}
