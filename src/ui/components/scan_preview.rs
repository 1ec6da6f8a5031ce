//! A stored scan, shown the only two safe ways: as an image (PNG/JPEG) or as a download. Never
//! as HTML or SVG, so a crafted file cannot run script in the app's origin.

use leptos::prelude::*;

use crate::domain::records::document::SupportingFile;
use crate::domain::records::files::FileFormat;
use crate::store::documents;
use crate::ui::state::use_app;

/// The preview of one stored scan, loaded from the file store.
#[component]
pub fn ScanPreview(file: SupportingFile) -> impl IntoView {
    let state = use_app();
    let sha = file.sha256.clone();
    let url = LocalResource::new(move || {
        let db = state.db();
        let sha = sha.clone();
        async move {
            let blob = documents::scan(&db, &sha).await.ok().flatten()?;
            web_sys::Url::create_object_url_with_blob(&blob).ok()
        }
    });
    // Object URLs hold the blob in memory until revoked.
    on_cleanup(move || {
        if let Some(Some(u)) = url.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&u);
        }
    });
    let is_image = FileFormat::from_mime(&file.mime_type).is_some_and(|f| f.is_image());
    let name = file.file_name.clone();
    view! {
        <figure class="scan-preview">
            {move || match url.get() {
                None => view! { <div class="placeholder">"Loading…"</div> }.into_any(),
                Some(None) => view! { <div class="placeholder">"The file is missing from storage."</div> }.into_any(),
                Some(Some(u)) if is_image => view! { <img src=u alt=format!("Scan: {name}")/> }.into_any(),
                Some(Some(u)) => view! {
                    <div class="placeholder">"PDF"</div>
                    <a href=u download=name.clone()>{format!("Download {name}")}</a>
                }.into_any(),
            }}
            <figcaption>{format!("{} — {} ({} KB)", file.document_type.label(), file.file_name, file.size.div_ceil(1024))}</figcaption>
        </figure>
    }
}
