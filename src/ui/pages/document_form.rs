//! The form to add or correct an identity document (the regulation decides its fields), or to
//! start one from another (a copy, a renewal). Its parts are components: the regulation's
//! fields and address (`document_fields`), the scans (`scan_uploads`).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::domain::phone::locality::resolve_area;
use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::activity::{Event, EventKind};
use crate::domain::records::address::Address;
use crate::domain::records::document::{
    IdentityDocument, NAME_MAX, Status, checked_name, holder, proposed_name,
};
use crate::domain::records::entity::Entity;
use crate::domain::records::files::FileFacts;
use crate::domain::records::kinds::{EndUserType, NumberType};
use crate::domain::records::sid::{AddressSid, EntitySid, EventSid, IdentitySid};
use crate::domain::rules::evaluation::stored_details;
use crate::domain::rules::lifecycle::may_delete_document;
use crate::domain::rules::regulation::{Catalog, RegulationKey};
use crate::domain::rules::reviewer;
use crate::review::{speed, submit};
use crate::store::changes::{self, Change};
use crate::store::documents::{self, Scan};
use crate::store::platform::BrowserRandom;
use crate::ui::components::delete_document::DeleteDocument;
use crate::ui::components::document_fields::{
    DocumentAddress, FieldCheck, RegulationFields, RegulationPicker,
};
use crate::ui::components::entity_picker::EntityPicker;
use crate::ui::components::problems::ProblemList;
use crate::ui::components::scan_editor::FileEntry;
use crate::ui::components::scan_uploads::{SupportingScans, measure_stored};
use crate::ui::state::{now, today, use_app};

/// What a new document is copied from: `/documents/new?from=RI…` (a starting point for another
/// area or regulation) or `?renew=RI…` (a renewal that replaces the original when it passes).
#[derive(Clone)]
pub struct CopyOf {
    /// The document copied.
    pub source: IdentityDocument,
    /// Whether the copy renews it.
    pub renew: bool,
}

/// The add / correct form; with `copy`, a new document filled from another one.
#[component]
pub fn DocumentForm(
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
    measure_stored(state.db(), files, copying);
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
    let check = FieldCheck {
        precheck,
        attempted,
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
                <RegulationPicker country number_type end_user area_text area locked/>
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
                Some(r) => view! {
                    <RegulationFields regulation=r.clone() details check/>
                    {r.address.requires_address().then(|| view! {
                        <DocumentAddress regulation=r.clone() area=area.get() addresses address locked check/>
                    })}
                    <SupportingScans regulation=r files documents entity=entity.into() this=sid check/>
                }.into_any(),
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
