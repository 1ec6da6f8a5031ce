//! Supporting-file checks that need only bytes and numbers: which formats are accepted, how big a
//! file may be, what its first bytes say it is, and whether an image is large enough to read.
//!
//! The browser measures (reads the first bytes, decodes the image for its pixel size); the rules
//! about what those measurements mean live here.

use serde::{Deserialize, Serialize};

use crate::domain::rules::problem::{Problem, codes};
use crate::domain::wording::{grouped, plural};

/// The largest scan accepted, checked before anything is written: 10 MiB.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The smallest image side, in pixels, a reviewer can read a document at.
pub const MIN_IMAGE_SIDE: u32 = 600;

/// The file formats a scan may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// A PDF document.
    Pdf,
    /// A JPEG image.
    Jpeg,
    /// A PNG image.
    Png,
}

impl FileFormat {
    /// The MIME types accepted for upload, for the file input's `accept` attribute.
    pub const ACCEPT: &'static str = "application/pdf,image/jpeg,image/png";

    /// The format a MIME type names, if it is an accepted one.
    pub fn from_mime(mime: &str) -> Option<FileFormat> {
        match mime.trim().to_ascii_lowercase().as_str() {
            "application/pdf" => Some(FileFormat::Pdf),
            "image/jpeg" | "image/jpg" => Some(FileFormat::Jpeg),
            "image/png" => Some(FileFormat::Png),
            _ => None,
        }
    }

    /// The format the file's first bytes (its magic number) say it has.
    pub fn sniff(head: &[u8]) -> Option<FileFormat> {
        if head.starts_with(b"%PDF-") {
            Some(FileFormat::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileFormat::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileFormat::Png)
        } else {
            None
        }
    }

    /// Whether the format is an image whose pixel size matters.
    pub fn is_image(&self) -> bool {
        !matches!(self, FileFormat::Pdf)
    }
}

/// What the browser measured of one stored file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Its size in bytes.
    pub size: u64,
    /// What its first bytes say it is.
    pub sniffed: Option<FileFormat>,
    /// An image's width and height, if it could be decoded.
    pub pixels: Option<(u32, u32)>,
}

/// The SHA-256 of a file's bytes, as lowercase hex: how its metadata names it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The problems an upload has before it is stored: wrong type or too large. Nothing is written
/// when this returns any.
pub fn upload_problems(field: &str, mime: &str, size: u64) -> Vec<Problem> {
    let mut out = Vec::new();
    if FileFormat::from_mime(mime).is_none() {
        out.push(Problem::at(
            codes::UNPROCESSABLE_FILE,
            field,
            format!("Only PDF, JPEG and PNG files are accepted, not \"{mime}\"."),
        ));
    }
    if size > MAX_FILE_BYTES {
        out.push(Problem::at(
            codes::UNPROCESSABLE_FILE,
            field,
            too_large(size),
        ));
    }
    out
}

/// Why a file of `size` bytes is too large. In tenths of a megabyte a file just over the limit
/// reads as the limit itself ("10.0 MB; the limit is 10 MB"), so then the bytes say by how much.
fn too_large(size: u64) -> String {
    let limit_mb = MAX_FILE_BYTES / 1_048_576;
    let mb = format!("{:.1}", size as f64 / 1_048_576.0);
    if mb != format!("{limit_mb}.0") {
        return format!("The file is {mb} MB; the limit is {limit_mb} MB.");
    }
    // Here the size is within a twentieth of a megabyte of the limit, so it fits a `usize`.
    let bytes = |n: u64| grouped(n as usize);
    format!(
        "The file is {} bytes, {} over the {limit_mb} MB limit ({} bytes).",
        bytes(size),
        plural((size - MAX_FILE_BYTES) as usize, "byte", "bytes"),
        bytes(MAX_FILE_BYTES)
    )
}

/// The problems a reviewer finds in a file's bytes: empty (18024), not the format its MIME type
/// claims (18024), or an image too small to read (18002).
pub fn content_problems(field: &str, mime: &str, facts: &FileFacts) -> Vec<Problem> {
    if facts.size == 0 {
        return vec![Problem::at(
            codes::UNPROCESSABLE_FILE,
            field,
            "The file is empty.",
        )];
    }
    let claimed = FileFormat::from_mime(mime);
    if claimed.is_none() || facts.sniffed != claimed {
        let found = match facts.sniffed {
            Some(f) => format!("{f:?}").to_uppercase(),
            None => "not a PDF, JPEG or PNG".to_string(),
        };
        return vec![Problem::at(
            codes::UNPROCESSABLE_FILE,
            field,
            format!("The file claims to be {mime} but its content is {found}."),
        )];
    }
    match (claimed, facts.pixels) {
        (Some(f), Some((w, h))) if f.is_image() && w.min(h) < MIN_IMAGE_SIDE => vec![Problem::at(
            codes::ILLEGIBLE,
            field,
            format!(
                "The image is {w}×{h} pixels, too small to read; scan it at least {MIN_IMAGE_SIDE} pixels on each side."
            ),
        )],
        (Some(f), None) if f.is_image() => vec![Problem::at(
            codes::UNPROCESSABLE_FILE,
            field,
            "The image could not be decoded.",
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn magic_numbers() {
        assert_eq!(FileFormat::sniff(b"%PDF-1.7\n"), Some(FileFormat::Pdf));
        assert_eq!(
            FileFormat::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileFormat::Jpeg)
        );
        assert_eq!(
            FileFormat::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(FileFormat::Png)
        );
        assert_eq!(FileFormat::sniff(b"<html>"), None);
        assert_eq!(FileFormat::sniff(b""), None);
    }

    #[test]
    fn uploads_are_checked_before_writing() {
        assert!(upload_problems("file", "image/png", 1000).is_empty());
        assert_eq!(upload_problems("file", "image/svg+xml", 10).len(), 1);
        assert_eq!(
            upload_problems("file", "application/pdf", MAX_FILE_BYTES + 1).len(),
            1
        );
    }

    #[test]
    fn a_file_just_over_the_limit_says_by_how_much() {
        let message = |size| {
            upload_problems("file", "application/pdf", size)[0]
                .message
                .clone()
        };
        // Rounded to tenths, 200 bytes over read as "10.0 MB; the limit is 10 MB".
        assert_eq!(
            message(MAX_FILE_BYTES + 200),
            "The file is 10,485,960 bytes, 200 bytes over the 10 MB limit (10,485,760 bytes)."
        );
        assert_eq!(
            message(MAX_FILE_BYTES + 1),
            "The file is 10,485,761 bytes, 1 byte over the 10 MB limit (10,485,760 bytes)."
        );
        // Well over the limit, megabytes say it.
        assert_eq!(
            message(MAX_FILE_BYTES * 5 / 4),
            "The file is 12.5 MB; the limit is 10 MB."
        );
        assert_eq!(
            message(MAX_FILE_BYTES + 60 * 1024),
            "The file is 10.1 MB; the limit is 10 MB."
        );
    }

    #[test]
    fn content_rules() {
        let png = |pixels| FileFacts {
            size: 100,
            sniffed: Some(FileFormat::Png),
            pixels,
        };
        let code = |p: Vec<Problem>| p.first().map(|p| p.code);
        assert_eq!(
            code(content_problems("f", "image/png", &png(Some((1200, 800))))),
            None
        );
        assert_eq!(
            code(content_problems("f", "image/png", &png(Some((300, 800))))),
            Some(codes::ILLEGIBLE)
        );
        assert_eq!(
            code(content_problems("f", "image/png", &png(None))),
            Some(codes::UNPROCESSABLE_FILE)
        );
        assert_eq!(
            code(content_problems(
                "f",
                "application/pdf",
                &png(Some((900, 900)))
            )),
            Some(codes::UNPROCESSABLE_FILE)
        );
        let empty = FileFacts {
            size: 0,
            sniffed: None,
            pixels: None,
        };
        assert_eq!(
            code(content_problems("f", "application/pdf", &empty)),
            Some(codes::UNPROCESSABLE_FILE)
        );
        let pdf = FileFacts {
            size: 10,
            sniffed: Some(FileFormat::Pdf),
            pixels: None,
        };
        assert_eq!(code(content_problems("f", "application/pdf", &pdf)), None);
    }
}
