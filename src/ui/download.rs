//! Offering a file the app made (a backup, a report) to save.

use wasm_bindgen::JsCast;

/// Offers `blob` as a download called `name`: a temporary link, clicked, removed; the object URL
/// is revoked once the browser has had time to start the download.
pub fn download(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let fail = |_| "The browser refused to start the download.".to_string();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "There is no page to download from.".to_string())?;
    let body = document
        .body()
        .ok_or_else(|| "There is no page to download from.".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(fail)?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    let appended = body.append_child(&link).map_err(fail);
    if appended.is_ok() {
        link.click();
        link.remove();
    }
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(30_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    appended.map(|_| ())
}

/// Offers `bytes` of MIME type `kind` as a download called `name` (the report, the log's exports).
pub fn download_bytes(bytes: &[u8], kind: &str, name: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| "The browser could not make the file.".to_string())?;
    download(&blob, name)
}
