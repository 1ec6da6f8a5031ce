//! The identity-document form's supporting documents: what the regulation asks for, uploading
//! scans (checked for type and size, measured as the reviewer measures them), reusing scans the
//! entity's other documents hold, and each scan's type and what it shows.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::records::document::{IdentityDocument, ScanShows, SupportingFile};
use crate::domain::records::files::{FileFormat, sha256_hex, upload_problems};
use crate::domain::records::sid::{EntitySid, IdentitySid};
use crate::domain::rules::problem::Problem;
use crate::domain::rules::problem::codes::UNPROCESSABLE_FILE;
use crate::domain::rules::regulation::{DocumentType, Regulation};
use crate::review::facts;
use crate::store::Db;
use crate::ui::components::document_fields::FieldCheck;
use crate::ui::components::entity_picker::StoredFilePicker;
use crate::ui::components::scan_editor::{FileEntry, ScanEditor};
use crate::ui::upload::file_bytes;

/// Reads the chosen files: each one of a refused type or size, or unreadable, becomes a problem
/// naming it; each other one is measured and added to `files` as the first accepted type.
async fn add_files(
    chosen: Vec<web_sys::File>,
    accepted: Vec<DocumentType>,
    files: RwSignal<Vec<FileEntry>>,
) -> Vec<Problem> {
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
        let bytes = match file_bytes(&file).await {
            Ok(bytes) => bytes,
            Err(why) => {
                problems.push(Problem::at(UNPROCESSABLE_FILE, "upload", why));
                continue;
            }
        };
        let blob: web_sys::Blob = file.clone().into();
        let measured = facts::measure(&blob).await;
        let meta = SupportingFile {
            document_type: accepted.first().copied().unwrap_or(DocumentType::Passport),
            file_name: file.name(),
            mime_type: mime,
            size,
            sha256: sha256_hex(&bytes),
            pixels: measured.pixels,
            shows: ScanShows::default(),
        };
        files.update(|f| f.push(FileEntry::with_bytes(meta, blob, measured)));
    }
    problems
}

/// Measures the stored scans in `files` as the reviewer measures them, so the pre-check judges
/// their bytes too (a PNG saved as a PDF is 18024 after reopening the draft, not only before
/// saving); with `copying`, also takes their bytes, to store them under the new document.
pub fn measure_stored(db: Db, files: RwSignal<Vec<FileEntry>>, copying: bool) {
    let stored: Vec<SupportingFile> =
        files.with_untracked(|f| f.iter().map(|e| e.meta.clone()).collect());
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

/// The supporting-documents fieldset of `regulation`'s form for the document `this`.
#[component]
pub fn SupportingScans(
    regulation: Regulation,
    files: RwSignal<Vec<FileEntry>>,
    documents: Signal<Vec<IdentityDocument>>,
    entity: Signal<Option<EntitySid>>,
    this: IdentitySid,
    check: FieldCheck,
) -> impl IntoView {
    let accepted: Vec<DocumentType> = regulation
        .requirements
        .iter()
        .flat_map(|q| q.accepted.clone())
        .collect();
    let upload_errors: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let types = accepted.clone();
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev
            .target()
            .and_then(|t| t.dyn_into().ok())
            .expect("file input");
        let Some(list) = input.files() else { return };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        let accepted = accepted.clone();
        leptos::task::spawn_local(async move {
            upload_errors.set(add_files(chosen, accepted, files).await);
        });
    };
    let scan_indices = move || (0..files.with(Vec::len)).collect::<Vec<usize>>();
    view! {
        <fieldset>
            <legend>"Supporting documents"</legend>
            <ul class="plain requirements">
                {regulation.requirements.iter().map(|q| {
                    let key = format!("requirement:{}", q.name);
                    view! {
                        <li><strong>{q.label.clone()}</strong>": "{q.accepted.iter().map(|t| t.label()).collect::<Vec<_>>().join(" or ")}
                            {q.max_age_months.map(|m| format!(" (issued within {m} months)"))}
                            {move || check.on(&key).into_iter().map(|p| view! { <span class="field-error">{format!(" — {}", p.message)}</span> }).collect_view()}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="field">
                <label for="doc-upload">"Add a scan (PDF, JPEG or PNG, up to 10 MB)"</label>
                <input id="doc-upload" type="file" accept=FileFormat::ACCEPT multiple=true on:change=on_file aria-describedby="doc-upload-error"/>
                <div id="doc-upload-error" class="field-error" role="alert">{move || upload_errors.get().into_iter().map(|p| view! { <p>{p.message}</p> }).collect_view()}</div>
            </div>
            <StoredFilePicker documents=documents entity=entity this=this files=files/>
            <For each=scan_indices key=|i| *i let:index>
                <ScanEditor index=index files=files types=types.clone() problems=Signal::derive(move || check.on(&format!("file:{index}")))/>
            </For>
        </fieldset>
    }
}
