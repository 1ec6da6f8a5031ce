//! Reading a file the user chose (a backup, a CSV export, a scan).

/// The first file chosen in a file input, which is then cleared so the same file can be chosen
/// again after it was fixed.
pub fn take_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
    let file = input.files().and_then(|list| list.get(0));
    input.set_value("");
    file
}

/// The file's bytes, or why they could not be read (naming the file).
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let blob: &web_sys::Blob = file.as_ref();
    wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
        .map_err(|_| format!("{} could not be read.", file.name()))
}
