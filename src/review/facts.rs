//! Measuring a stored scan the way a reviewer looks at it: its size, what its first bytes say it
//! is, and, for an image, whether the browser can decode it and how large it is.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ImageBitmap};

use crate::domain::records::document::IdentityDocument;
use crate::domain::records::files::{FileFacts, FileFormat};
use crate::store::{Db, StoreError, documents};

/// The first bytes of a blob (enough for any magic number regdesk checks).
async fn head(blob: &Blob) -> Vec<u8> {
    let Ok(slice) = blob.slice_with_i32_and_i32(0, 16) else {
        return Vec::new();
    };
    match JsFuture::from(slice.array_buffer()).await {
        Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
        Err(_) => Vec::new(),
    }
}

/// An image's width and height, decoded by the browser; `None` if it does not decode.
async fn pixels(blob: &Blob) -> Option<(u32, u32)> {
    let promise = web_sys::window()?
        .create_image_bitmap_with_blob(blob)
        .ok()?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let size = (bitmap.width(), bitmap.height());
    bitmap.close();
    Some(size)
}

/// What the browser measures of one file.
pub async fn measure(blob: &Blob) -> FileFacts {
    let sniffed = FileFormat::sniff(&head(blob).await);
    let pixels = match sniffed {
        Some(format) if format.is_image() => pixels(blob).await,
        _ => None,
    };
    FileFacts {
        size: blob.size() as u64,
        sniffed,
        pixels,
    }
}

/// What the reviewer finds of one stored scan, with its bytes. A file whose bytes are missing from
/// storage counts as empty, which the reviewer rejects as unprocessable (18024); a database that
/// cannot be read is an error, not a verdict on the file.
pub async fn of_stored(db: &Db, sha256: &str) -> Result<(Option<Blob>, FileFacts), StoreError> {
    Ok(match documents::scan(db, sha256).await? {
        Some(blob) => {
            let facts = measure(&blob).await;
            (Some(blob), facts)
        }
        None => (
            None,
            FileFacts {
                size: 0,
                sniffed: None,
                pixels: None,
            },
        ),
    })
}

/// The facts of every file of a stored document, in order (see [`of_stored`]).
pub async fn of_document(
    db: &Db,
    document: &IdentityDocument,
) -> Result<Vec<FileFacts>, StoreError> {
    let mut out = Vec::with_capacity(document.files.len());
    for file in &document.files {
        out.push(of_stored(db, &file.sha256).await?.1);
    }
    Ok(out)
}
