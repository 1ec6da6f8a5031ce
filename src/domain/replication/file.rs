//! A scan's bytes as a CouchDB document: `file:<sha256>`, its body the length, its bytes the
//! attachment `scan`. Content-addressed, so it is created once and never changes: its one
//! revision is the same on every machine (`Rev::next` of the same body), the server's
//! `_revs_diff` keeps it from being sent twice, and what arrives is checked against its name
//! (the SHA-256 of the bytes) before it is stored.

use serde_json::{Value, json};

use super::doc::{DocError, Kind, doc_id};
use super::wire::Attachment;
use crate::domain::records::files::{FileFormat, MAX_FILE_BYTES, sha256_hex};

/// The attachment's name in a file document.
pub const ATTACHMENT: &str = "scan";

/// A scan file as the workspace shares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanFile {
    /// The SHA-256 of the bytes, lowercase hex: the file's name everywhere.
    pub sha256: String,
    /// The number of bytes.
    pub length: u64,
}

impl ScanFile {
    /// Its document id.
    pub fn id(&self) -> String {
        doc_id(Kind::File, &self.sha256)
    }

    /// Its document body.
    pub fn body(&self) -> Value {
        json!({ "type": Kind::File.name(), "length": self.length })
    }

    /// The file an incoming document holds, checked with its bytes: the id names a SHA-256, the
    /// bytes are there, as long as the body says, no longer than a scan may be, and hash to the
    /// name. Anything else is refused with the reason.
    pub fn from_doc(
        id: &str,
        body: &Value,
        attachment: Option<&Attachment>,
    ) -> Result<ScanFile, DocError> {
        let error = |field: &str, message: String| DocError {
            id: id.to_string(),
            field: field.to_string(),
            message,
        };
        let sha256 = id
            .strip_prefix("file:")
            .filter(|s| {
                s.len() == 64
                    && s.bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            })
            .ok_or_else(|| {
                error(
                    ".",
                    "a file's id is `file:` and the SHA-256 of its bytes in lowercase hex".into(),
                )
            })?;
        if body.get("type").and_then(Value::as_str) != Some(Kind::File.name()) {
            return Err(error("type", "a file document's type is `file`".into()));
        }
        let length = body
            .get("length")
            .and_then(Value::as_u64)
            .ok_or_else(|| error("length", "the number of bytes is missing".into()))?;
        if length > MAX_FILE_BYTES {
            return Err(error(
                "length",
                format!("{length} bytes is more than a scan may have ({MAX_FILE_BYTES})"),
            ));
        }
        let bytes = attachment.map(|a| &a.data).ok_or_else(|| {
            error(
                "_attachments",
                format!("the bytes (attachment `{ATTACHMENT}`) are missing"),
            )
        })?;
        if bytes.len() as u64 != length {
            return Err(error(
                "_attachments",
                format!(
                    "the attachment has {} bytes, the document says {length}",
                    bytes.len()
                ),
            ));
        }
        if sha256_hex(bytes) != sha256 {
            return Err(error(
                "_attachments",
                "the bytes do not hash to the file's name (SHA-256): they are not this file".into(),
            ));
        }
        Ok(ScanFile {
            sha256: sha256.to_string(),
            length,
        })
    }
}

/// The MIME type to store received bytes under: what their first bytes say, else what the
/// sender said when it is a scan format, else none.
pub fn stored_type(bytes: &[u8], said: &str) -> &'static str {
    match FileFormat::sniff(bytes).or_else(|| FileFormat::from_mime(said)) {
        Some(FileFormat::Pdf) => "application/pdf",
        Some(FileFormat::Jpeg) => "image/jpeg",
        Some(FileFormat::Png) => "image/png",
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png() -> Vec<u8> {
        let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        bytes.extend_from_slice(&[7; 100]);
        bytes
    }

    fn attached(data: Vec<u8>) -> Attachment {
        Attachment {
            content_type: "image/png".into(),
            data,
        }
    }

    #[test]
    fn a_file_is_named_by_its_bytes_and_checked_against_them() {
        let bytes = png();
        let file = ScanFile {
            sha256: sha256_hex(&bytes),
            length: bytes.len() as u64,
        };
        let back = ScanFile::from_doc(&file.id(), &file.body(), Some(&attached(bytes.clone())));
        assert_eq!(back, Ok(file.clone()));
        assert_eq!(stored_type(&bytes, ""), "image/png");
        // Other bytes under the same name, a short body, no bytes, a bad id: each refused.
        let mut other = bytes.clone();
        other[20] = 0;
        let e = ScanFile::from_doc(&file.id(), &file.body(), Some(&attached(other))).unwrap_err();
        assert!(e.message.contains("do not hash"), "{e}");
        let e = ScanFile::from_doc(
            &file.id(),
            &json!({"type": "file", "length": 3}),
            Some(&attached(bytes.clone())),
        )
        .unwrap_err();
        assert_eq!(e.field, "_attachments");
        assert_eq!(
            ScanFile::from_doc(&file.id(), &file.body(), None)
                .unwrap_err()
                .field,
            "_attachments"
        );
        assert_eq!(
            ScanFile::from_doc("file:ABC", &file.body(), None)
                .unwrap_err()
                .field,
            "."
        );
        let huge = json!({"type": "file", "length": MAX_FILE_BYTES + 1});
        assert_eq!(
            ScanFile::from_doc(&file.id(), &huge, None)
                .unwrap_err()
                .field,
            "length"
        );
    }
}
