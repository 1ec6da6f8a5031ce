//! An identity document: the form to add or correct one (the regulation decides its fields), and
//! the read-only view of one under review or passed, with its history.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use wasm_bindgen::JsCast;

use crate::domain::activity::{Event, EventKind};
use crate::domain::address::Address;
use crate::domain::clock::{BusinessClock, DemoSpeed, PROMISED_HOURS};
use crate::domain::document::{IdentityDocument, ScanAddress, ScanShows, Status, SupportingFile};
use crate::domain::evaluation::stored_details;
use crate::domain::files::{FileFacts, FileFormat, sha256_hex, upload_problems};
use crate::domain::kinds::{EndUserType, NumberType};
use crate::domain::lifecycle::may_delete_document;
use crate::domain::locality::resolve_area;
use crate::domain::number::PhoneNumber;
use crate::domain::numbering::NumberingPlan;
use crate::domain::ordering::sort_by;
use crate::domain::problem::Problem;
use crate::domain::regulation::{Catalog, DocumentType, FieldKind, RegulationKey};
use crate::domain::reviewer;
use crate::domain::sid::{AddressSid, EventSid, IdentitySid};
use crate::review::{facts, speed, submit, worker};
use crate::store::changes::{self, Change};
use crate::store::documents::{self, Scan};
use crate::store::platform::BrowserRandom;
use crate::store::queue;
use crate::ui::components::badges::StatusBadge;
use crate::ui::components::field::on_field;
use crate::ui::components::problems::ProblemList;
use crate::ui::components::scan_preview::ScanPreview;
use crate::ui::data::{Snapshot, use_snapshot};
use crate::ui::state::{confirm, now, today, use_app, when};

/// One scan in the form: its metadata, and for a new upload its bytes and what was measured.
#[derive(Clone)]
struct FileEntry {
    meta: SupportingFile,
    blob: Option<web_sys::Blob>,
    preview: Option<String>,
    facts: Option<FileFacts>,
}

/// What `/documents/new` or `/documents/:sid` shows, for one snapshot of the workspace.
#[derive(Clone)]
enum Shown {
    /// The workspace could not be read.
    Error(String),
    /// No document has this SID.
    NotFound,
    /// The add form (no document yet) or the correct form of an editable one.
    Form(Option<IdentityDocument>),
    /// A document under review or decided, read-only.
    View(Snapshot, IdentityDocument),
}

impl Shown {
    fn of(snapshot: Result<Snapshot, String>, sid: Option<&str>) -> Shown {
        let s = match snapshot {
            Err(e) => return Shown::Error(e),
            Ok(s) => s,
        };
        let Some(text) = sid else {
            return Shown::Form(None);
        };
        match text
            .parse::<IdentitySid>()
            .ok()
            .and_then(|sid| s.document(Some(sid)).cloned())
        {
            None => Shown::NotFound,
            Some(doc) if doc.editable() => Shown::Form(Some(doc)),
            Some(doc) => Shown::View(s, doc),
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
    let data = use_snapshot();
    let shown: RwSignal<Option<(Option<String>, Shown)>> = RwSignal::new(None);
    let addresses: RwSignal<Vec<Address>> = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        let sid = params.get().get("sid");
        let Some(snapshot) = data.get() else {
            return;
        };
        if let Ok(s) = &snapshot {
            addresses.set(s.addresses.clone());
        }
        let next = Shown::of(snapshot.map_err(|e| e.to_string()), sid.as_deref());
        let keep = matches!(next, Shown::Form(..))
            && shown.with_untracked(|s| matches!(s, Some((k, Shown::Form(..))) if *k == sid));
        if !keep {
            shown.set(Some((sid, next)));
        }
    });
    view! {
        {move || match shown.get().map(|(_, s)| s) {
            None => view! { <p>"Loading…"</p> }.into_any(),
            Some(Shown::Error(e)) => view! { <p class="notice error" role="alert">{e}</p> }.into_any(),
            Some(Shown::NotFound) => view! { <h1>"Document not found"</h1><p><a href="/documents">"Back to Identity documents"</a></p> }.into_any(),
            Some(Shown::Form(existing)) => view! { <DocumentForm addresses=addresses.into() existing=existing/> }.into_any(),
            Some(Shown::View(s, doc)) => view! { <DocumentView snapshot=s document=doc/> }.into_any(),
        }}
    }
}

/// The add / correct form.
#[component]
fn DocumentForm(
    addresses: Signal<Vec<Address>>,
    existing: Option<IdentityDocument>,
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
    let existing = StoredValue::new(existing);
    let start = existing.get_value();
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
    let regulation = Memo::new(move |_| key.get().and_then(|k| catalog.get(&k).cloned()));
    let area = Memo::new(move |_| {
        country
            .get()
            .parse()
            .ok()
            .and_then(|c| resolve_area(NumberingPlan::builtin(), c, &area_text.get()).cloned())
    });
    let needs_area = move || number_type.get() == "local";
    let draft = Memo::new(move |_| {
        let key = key.get()?;
        Some(IdentityDocument {
            sid,
            end_user_type: key.end_user_type,
            regulation: key,
            intended_area: area.get().map(|a| a.prefix),
            // Phone numbers are kept in E.164 however they were typed.
            details: details.with(|d| match catalog.get(&key) {
                Some(r) => stored_details(r, d),
                None => d.clone(),
            }),
            files: files.get().into_iter().map(|f| f.meta).collect(),
            address_sid: address.get(),
            status: existing
                .with_value(|e| e.as_ref().map(|d| d.status))
                .unwrap_or(Status::Draft),
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
            use crate::domain::problem::codes::{MISSING_DOCUMENT, MISSING_INFORMATION};
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
                            crate::domain::problem::codes::UNPROCESSABLE_FILE,
                            "upload",
                            format!("{} could not be read.", file.name()),
                        ));
                        continue;
                    }
                };
                let measured = facts::measure(&blob).await;
                let preview = match FileFormat::from_mime(&mime) {
                    Some(f) if f.is_image() && measured.pixels.is_some() => {
                        web_sys::Url::create_object_url_with_blob(&blob).ok()
                    }
                    _ => None,
                };
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
    } else if existing.with_value(Option::is_some) {
        "Edit identity document"
    } else {
        "Add new identity document"
    };
    view! {
        <p><a href="/documents">"← Identity documents"</a></p>
        <h1>{heading}</h1>
        {is_failed.then(|| view! {
            <div class="notice error" role="alert">
                <p><strong>"This document failed verification."</strong>" Correct what is listed, then resubmit:"</p>
                <ProblemList problems=previous_reasons.clone()/>
            </div>
        })}
        <form class="card form" on:submit=move |ev| { ev.prevent_default(); save(true); } novalidate>
            <fieldset>
                <legend>"The number you intend to buy"</legend>
                <div class="row">
                    <div class="field">
                        <label for="doc-country">"Country"</label>
                        <select id="doc-country" on:change:target=move |ev| country.set(ev.target().value())>
                            {countries.into_iter().map(|c| view! { <option value=c.code().to_string() selected=move || country.get() == c.code()>{c.name()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="doc-type">"Number type"</label>
                        <select id="doc-type" on:change:target=move |ev| number_type.set(ev.target().value())>
                            {NumberType::ALL.into_iter().map(|t| view! { <option value=t.slug() selected=move || number_type.get() == t.slug()>{t.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="doc-enduser">"End user"</label>
                        <select id="doc-enduser" on:change:target=move |ev| end_user.set(ev.target().value())>
                            {EndUserType::ALL.into_iter().map(|t| view! { <option value=t.slug() selected=move || end_user.get() == t.slug()>{t.label()}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <Show when=needs_area>
                    <div class="field">
                        <label for="doc-area">"Local area (area code or town)"</label>
                        <input id="doc-area" prop:value=move || area_text.get() on:input:target=move |ev| area_text.set(ev.target().value())
                            aria-describedby="doc-area-hint" placeholder="030 or Berlin"/>
                        <p id="doc-area-hint" class="hint">{move || match area.get() {
                            Some(a) => format!("Local area: {} (+{})", a.name, a.prefix),
                            None if area_text.get().trim().is_empty() => "The address must be in this area.".to_string(),
                            None => "No local area with this code or name.".to_string(),
                        }}</p>
                    </div>
                </Show>
            </fieldset>
            {move || match regulation.get() {
                None => view! { <p class="notice error">"There is no regulation for this combination."</p> }.into_any(),
                Some(r) if !r.offered => view! { <p class="notice error" role="alert">{format!("{} — not offered. {}", r.friendly_name(), r.not_offered_reason.clone().unwrap_or_default())}</p> }.into_any(),
                Some(r) => {
                    let accepted_types: Vec<DocumentType> = r.requirements.iter().flat_map(|q| q.accepted.clone()).collect();
                    let provenance = match &r.provenance {
                        crate::domain::regulation::Provenance::Sourced { .. } => "Requirements from a published source.",
                        crate::domain::regulation::Provenance::Assumed { .. } => "Requirements assumed for this simulation (no published source).",
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
                                        <select id="doc-address" aria-describedby="doc-address-hint doc-address-error"
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
                            <For each=scan_indices key=|i| *i let:index>
                                <ScanEditor owner=sid index=index files=files types=accepted_types.clone() problems=Signal::derive(move || field_problems(&format!("file:{index}")))/>
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

/// Delete for a stored document: asks first, and when the lifecycle rules keep the document,
/// is disabled with their reason beside it.
#[component]
fn DeleteDocument(document: IdentityDocument, not_deletable: Option<Problem>) -> impl IntoView {
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
        "Delete the identity document of {}?{again} This cannot be undone.",
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

/// One scan in the form: preview, type, and what it shows.
#[component]
fn ScanEditor(
    owner: IdentitySid,
    index: usize,
    files: RwSignal<Vec<FileEntry>>,
    types: Vec<DocumentType>,
    problems: Signal<Vec<Problem>>,
) -> impl IntoView {
    let get = move || files.with(|f| f.get(index).cloned());
    let update = move |f: Box<dyn FnOnce(&mut SupportingFile)>| {
        files.update(|all| {
            if let Some(e) = all.get_mut(index) {
                f(&mut e.meta)
            }
        })
    };
    let Some(entry) = get() else {
        return ().into_any();
    };
    let mut types = types;
    sort_by(&mut types, |t| *t as u8);
    types.dedup();
    let id = |s: &str| format!("scan{index}-{s}");
    let date_value =
        |d: Option<crate::domain::calendar::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <div class="scan card" role="group" aria-label=format!("Scan {}: {}", index + 1, entry.meta.file_name)>
            <div class="preview">
                {match (entry.preview.clone(), entry.blob.is_some()) {
                    (Some(url), _) => view! { <img src=url alt=format!("Preview of {}", entry.meta.file_name)/> }.into_any(),
                    // Stored earlier: show it from the file store.
                    (None, false) => view! { <ScanPreview document=owner file=entry.meta.clone()/> }.into_any(),
                    (None, true) => view! { <div class="placeholder" aria-hidden="true">{if entry.meta.mime_type == "application/pdf" { "PDF" } else { "No preview" }}</div> }.into_any(),
                }}
                // A stored scan's preview has this line as its caption already.
                {(entry.preview.is_some() || entry.blob.is_some()).then(|| view! {
                    <p class="hint">{format!("{} — {} KB", entry.meta.file_name, entry.meta.size.div_ceil(1024))}</p>
                })}
            </div>
            <div class="scan-fields">
                <label for=id("type")>"Document type"</label>
                <select id=id("type") on:change:target=move |ev| { let v = ev.target().value(); update(Box::new(move |m| if let Some(t) = DocumentType::from_slug(&v) { m.document_type = t; })); }>
                    {types.into_iter().map(|t| { let sel = entry.meta.document_type == t; view! { <option value=t.slug() selected=sel>{t.label()}</option> } }).collect_view()}
                </select>
                <label for=id("name")>"Name shown on the document"</label>
                <input id=id("name") prop:value=entry.meta.shows.name.clone() on:input:target=move |ev| { let v = ev.target().value(); update(Box::new(move |m| m.shows.name = v)); }/>
                <label for=id("address")>"Address shown on the document"</label>
                <select id=id("address") on:change:target=move |ev| { let v = ev.target().value(); update(Box::new(move |m| m.shows.address = match v.as_str() { "on-file" => ScanAddress::OnFile, "other" => ScanAddress::Other, _ => ScanAddress::None })); }>
                    <option value="none" selected=entry.meta.shows.address == ScanAddress::None>"No address"</option>
                    <option value="on-file" selected=entry.meta.shows.address == ScanAddress::OnFile>"The address on file"</option>
                    <option value="other" selected=entry.meta.shows.address == ScanAddress::Other>"Another address"</option>
                </select>
                <label for=id("number")>"Document number shown"</label>
                <input id=id("number") prop:value=entry.meta.shows.document_number.clone() on:input:target=move |ev| { let v = ev.target().value(); update(Box::new(move |m| m.shows.document_number = v)); }/>
                <label for=id("issued")>"Issue date"</label>
                <input id=id("issued") type="date" prop:value=date_value(entry.meta.shows.issue_date) on:input:target=move |ev| { let v = ev.target().value().parse().ok(); update(Box::new(move |m| m.shows.issue_date = v)); }/>
                <label for=id("expires")>"Expiry date"</label>
                <input id=id("expires") type="date" prop:value=date_value(entry.meta.shows.expiry_date) on:input:target=move |ev| { let v = ev.target().value().parse().ok(); update(Box::new(move |m| m.shows.expiry_date = v)); }/>
                <div class="field-error">{move || problems.get().into_iter().map(|p| view! { <p>{format!("{} ({})", p.message, p.code)}</p> }).collect_view()}</div>
                <button type="button" class="secondary" on:click=move |_| files.update(|f| { if index < f.len() { f.remove(index); } })>"Remove scan"</button>
            </div>
        </div>
    }.into_any()
}

/// A document under review or passed: read-only, with history, scans and the numbers using it.
#[component]
fn DocumentView(snapshot: Snapshot, document: IdentityDocument) -> impl IntoView {
    let state = use_app();
    let message: RwSignal<Option<(String, &'static str)>> = RwSignal::new(None);
    let sid = document.sid;
    let regulation = Catalog::shared()
        .get(&document.regulation)
        .map(|r| r.friendly_name())
        .unwrap_or_else(|| document.regulation.stable_name());
    let using: Vec<PhoneNumber> = snapshot
        .numbers_of_document(sid)
        .into_iter()
        .cloned()
        .collect();
    let numbers: Vec<String> = using.iter().map(|n| n.e164.to_string()).collect();
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
    // When the queue will decide it: at a demo speed much sooner than the business-hours
    // promise, which would then be wrong (the queue entry's due time is not the real-time one).
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
    view! {
        <p><a href="/documents">"← Identity documents"</a></p>
        <h1>{document.display_name()}" "<StatusBadge status=document.status/></h1>
        <div aria-live="polite">{move || message.get().map(|(m, t)| view! { <p class=format!("notice {t}") role="status">{m}</p> })}</div>
        {pending.then(|| {
            let clock = BusinessClock::reviewer();
            let promise = document.submitted_at().map(|at| format!(
                "Submitted {}; usually decided within {PROMISED_HOURS} business hours, by {}. ",
                when(at),
                clock.local_text(clock.usually_decided_by(at)),
            )).unwrap_or_else(|| format!("Usually decided within {PROMISED_HOURS} business hours. "));
            view! {
                <p class="notice info">"Pending review. "{promise}{at_demo_speed}"The reviewer works "{clock.hours_text()}". The document cannot be edited while under review."</p>
            }
        })}
        <dl class="facts">
            <dt>"Regulation"</dt><dd>{regulation}</dd>
            <dt>"End user"</dt><dd>{document.end_user_type.label()}</dd>
            {document.intended_area.clone().map(|a| view! { <dt>"Local area"</dt><dd>{NumberingPlan::builtin().area(&a).map(|x| format!("{} (+{})", x.name, x.prefix)).unwrap_or(a)}</dd> })}
            {document.details.iter().map(|(k, v)| view! { <dt>{k.replace('_', " ")}</dt><dd>{v.clone()}</dd> }).collect_view()}
            <dt>"Address"</dt><dd>{address.unwrap_or_else(|| "—".into())}</dd>
            <dt>"Numbers using it"</dt><dd>{if numbers.is_empty() { "none".to_string() } else { numbers.join(", ") }}</dd>
        </dl>
        <h2>"Scans"</h2>
        <div class="scans">
            {document.files.iter().map(|f| view! { <ScanPreview document=sid file=f.clone()/> }).collect_view()}
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
            <DeleteDocument document=document.clone() not_deletable=not_deletable/>
        </div>
    }
}
