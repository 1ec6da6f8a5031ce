//! One scan in the document form: its preview, its type and what it shows.

use leptos::prelude::*;

use crate::domain::ordering::sort_by;
use crate::domain::records::document::{ScanAddress, SupportingFile};
use crate::domain::records::files::FileFacts;
use crate::domain::rules::problem::Problem;
use crate::domain::rules::regulation::DocumentType;
use crate::ui::components::scan_preview::ScanPreview;

/// One scan in the form: its metadata, and for a new upload its bytes and what was measured.
#[derive(Clone)]
pub struct FileEntry {
    /// Its metadata.
    pub meta: SupportingFile,
    /// The bytes of a new upload (a stored scan has none here).
    pub blob: Option<web_sys::Blob>,
    /// An object URL previewing a new image upload.
    pub preview: Option<String>,
    /// What was measured in a new upload.
    pub facts: Option<FileFacts>,
}

impl FileEntry {
    /// An object URL previewing `blob`, for an image whose bytes say it is one and that decoded
    /// (`facts`); nothing for a PDF or a file that does not decode.
    pub fn preview_of(blob: &web_sys::Blob, facts: &FileFacts) -> Option<String> {
        match facts.sniffed {
            Some(f) if f.is_image() && facts.pixels.is_some() => {
                web_sys::Url::create_object_url_with_blob(blob).ok()
            }
            _ => None,
        }
    }

    /// A scan whose bytes are at hand, measured: with its preview when it is an image.
    pub fn with_bytes(meta: SupportingFile, blob: web_sys::Blob, facts: FileFacts) -> FileEntry {
        FileEntry {
            preview: FileEntry::preview_of(&blob, &facts),
            meta,
            blob: Some(blob),
            facts: Some(facts),
        }
    }
}

/// One scan in the form: preview, type, and what it shows.
#[component]
pub fn ScanEditor(
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
    let date_value = |d: Option<crate::domain::time::calendar::Date>| {
        d.map(|d| d.to_string()).unwrap_or_default()
    };
    view! {
        <div class="scan card" role="group" aria-label=format!("Scan {}: {}", index + 1, entry.meta.file_name)>
            <div class="preview">
                {match (entry.preview.clone(), entry.blob.is_some()) {
                    (Some(url), _) => view! { <img src=url alt=format!("Preview of {}", entry.meta.file_name)/> }.into_any(),
                    // Stored earlier: show it from the file store.
                    (None, false) => view! { <ScanPreview file=entry.meta.clone()/> }.into_any(),
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
