//! Workspace backup and restore: the export file's format, its checksum, and the importer's
//! validation and merge planning, as pure functions the store only calls.
//!
//! The file is one JSON object:
//!
//! ```text
//! {"format":"regdesk-workspace","version":2,"exported_at":1796119200000,
//!  "exported_at_iso":"2026-12-01T10:00:00Z",
//!  "body":{"entities":[…],"addresses":[…],"documents":[…],"numbers":[…],"queue":[…],"activity":[…],
//!          "scans":[{"document_sid":"RI…","sha256":"…","mime_type":"image/png","base64":"…"}]},
//!  "checksum":"<SHA-256 of the body's bytes, lowercase hex>"}
//! ```
//!
//! - The checksum covers the body's exact bytes as they stand in the file (the importer borrows
//!   them as a raw JSON value instead of re-serialising), so any change to a record, even one that
//!   still parses, is caught. It comes *after* the body so the exporter can hash the body as it
//!   streams it out, in chunks, without holding the whole file as one string.
//! - The body is canonical: compact JSON, records sorted by SID (scans by document SID, then
//!   SHA-256), fields in declaration order and maps sorted, so one workspace always exports the
//!   same body bytes.
//! - Scans are base64 text inside the JSON rather than a zip: the backup stays one self-describing
//!   text file that `validate` reads with the JSON parser it already has, no archive crate enters the
//!   wasm, and the scans (PNG, JPEG, PDF) are already compressed, so a zip would save little beyond
//!   base64's third.
//! - Records are the domain types themselves, so a file is checked by the same deserialisers and
//!   rules as the database; the review queue's entry, whose type lives in the store, is mirrored
//!   here as [`QueueRecord`] with the same serialised shape.
//! - Version 2 added the `entities` section; a version-1 file (no entities, documents without
//!   names) still imports, its documents named and given entities as an upgraded database's are.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::domain::ordering::sort_by;
use crate::domain::records::activity::{Event, EventKind};
use crate::domain::records::address::Address;
use crate::domain::records::checks;
use crate::domain::wording::plural;

use crate::domain::exchange::json_path::field_of;
use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::entity::{Entity, assign_entities};
use crate::domain::records::files::sha256_hex;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EntitySid, EventSid, IdentitySid};
use crate::domain::time::Timestamp;

/// The `format` every export names, so another JSON file is never mistaken for a backup.
pub const FORMAT: &str = "regdesk-workspace";
/// The format version this build writes; it reads this one and every earlier one.
pub const VERSION: u32 = 2;
/// Size at which the exporter hands a finished chunk of text to the store.
const CHUNK_BYTES: usize = 256 * 1024;

/// A review-queue entry as the export carries it: the same fields and serialised shape as the
/// store's `QueueEntry`, so the store reads and writes its records directly as this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRecord {
    /// The document under review.
    pub document_sid: IdentitySid,
    /// When it was submitted.
    pub submitted: Timestamp,
    /// How long the review takes, in business minutes.
    pub delay_minutes: i64,
    /// When the review is due.
    pub due: Timestamp,
}

/// A scan's bytes with the metadata that names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanBytes {
    /// The document the scan belongs to.
    pub document_sid: IdentitySid,
    /// Lowercase hex SHA-256 of the bytes: the file entry of the document it is.
    pub sha256: String,
    /// Its MIME type.
    pub mime_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A scan as the file writes it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanRecord {
    document_sid: IdentitySid,
    sha256: String,
    mime_type: String,
    base64: String,
}

/// Every record of a workspace except the scans' bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workspace {
    /// The entities behind the documents.
    pub entities: Vec<Entity>,
    /// The addresses.
    pub addresses: Vec<Address>,
    /// The identity documents, with their scans' metadata.
    pub documents: Vec<IdentityDocument>,
    /// The owned numbers.
    pub numbers: Vec<PhoneNumber>,
    /// The review-queue entries.
    pub queue: Vec<QueueRecord>,
    /// The activity log.
    pub activity: Vec<Event>,
}

impl Workspace {
    /// Sorts every list by SID, the canonical order of an export (and of comparisons in tests).
    pub fn sort(&mut self) {
        sort_by(&mut self.entities, |e| e.sid.bytes());
        sort_by(&mut self.addresses, |a| a.sid.bytes());
        sort_by(&mut self.documents, |d| d.sid.bytes());
        sort_by(&mut self.numbers, |n| n.sid.bytes());
        sort_by(&mut self.queue, |q| q.document_sid.bytes());
        sort_by(&mut self.activity, |e| e.sid.bytes());
    }
}

/// How many records of each kind, for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Entities.
    #[serde(default)]
    pub entities: usize,
    /// Addresses.
    pub addresses: usize,
    /// Identity documents.
    pub documents: usize,
    /// Numbers.
    pub numbers: usize,
    /// Review-queue entries.
    pub queue: usize,
    /// Activity-log entries.
    pub activity: usize,
    /// Scans.
    pub scans: usize,
}

impl Counts {
    /// The counts of a workspace and its scans.
    pub fn of(workspace: &Workspace, scans: usize) -> Counts {
        Counts {
            entities: workspace.entities.len(),
            addresses: workspace.addresses.len(),
            documents: workspace.documents.len(),
            numbers: workspace.numbers.len(),
            queue: workspace.queue.len(),
            activity: workspace.activity.len(),
            scans,
        }
    }

    /// All records together.
    pub fn total(&self) -> usize {
        self.entities
            + self.addresses
            + self.documents
            + self.numbers
            + self.queue
            + self.activity
            + self.scans
    }
}

/// What a file or a workspace holds, in words (`2 addresses, 1 identity document, …`); kinds it
/// has none of are left out, and an empty one is `nothing`.
impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = [
            (self.entities, "entity", "entities"),
            (self.addresses, "address", "addresses"),
            (self.documents, "identity document", "identity documents"),
            (self.scans, "scan", "scans"),
            (self.numbers, "number", "numbers"),
            (self.queue, "review in progress", "reviews in progress"),
            (self.activity, "activity entry", "activity entries"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect();
        if parts.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/// The body's sections, in the order the file has them.
const SECTIONS: [&str; 7] = [
    "entities",
    "addresses",
    "documents",
    "numbers",
    "queue",
    "activity",
    "scans",
];

/// One record to write, naming its section.
#[derive(Debug, Clone, Copy)]
pub enum ExportRecord<'a> {
    /// An entity.
    Entity(&'a Entity),
    /// An address.
    Address(&'a Address),
    /// An identity document.
    Document(&'a IdentityDocument),
    /// A number.
    Number(&'a PhoneNumber),
    /// A review-queue entry.
    Queue(&'a QueueRecord),
    /// An activity-log entry.
    Event(&'a Event),
    /// A scan with its bytes.
    Scan(&'a ScanBytes),
}

impl ExportRecord<'_> {
    fn section(&self) -> usize {
        match self {
            ExportRecord::Entity(_) => 0,
            ExportRecord::Address(_) => 1,
            ExportRecord::Document(_) => 2,
            ExportRecord::Number(_) => 3,
            ExportRecord::Queue(_) => 4,
            ExportRecord::Event(_) => 5,
            ExportRecord::Scan(_) => 6,
        }
    }

    fn to_json(self) -> Result<String, serde_json::Error> {
        match self {
            ExportRecord::Entity(r) => serde_json::to_string(r),
            ExportRecord::Address(r) => serde_json::to_string(r),
            ExportRecord::Document(r) => serde_json::to_string(r),
            ExportRecord::Number(r) => serde_json::to_string(r),
            ExportRecord::Queue(r) => serde_json::to_string(r),
            ExportRecord::Event(r) => serde_json::to_string(r),
            ExportRecord::Scan(s) => serde_json::to_string(&ScanRecord {
                document_sid: s.document_sid,
                sha256: s.sha256.clone(),
                mime_type: s.mime_type.clone(),
                base64: BASE64.encode(&s.bytes),
            }),
        }
    }
}

/// Why an export could not be written (a record that does not serialise, records out of order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportError(pub String);

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "The export could not be written: {}", self.0)
    }
}

impl std::error::Error for ExportError {}

/// Writes an export file incrementally: records go in section by section, finished chunks of
/// text come out, and the body is hashed on the way, so no one string ever holds the whole file.
pub struct ExportWriter {
    hasher: Sha256,
    current: String,
    ready: Vec<String>,
    /// The section currently open, if the body has started.
    open: Option<usize>,
    /// Whether the open section has a record yet (the next one needs a comma).
    wrote: bool,
}

impl ExportWriter {
    /// A writer for an export made at `exported_at`; the header is its first text.
    pub fn new(exported_at: Timestamp) -> ExportWriter {
        let current = format!(
            "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\"exported_at\":{},\"exported_at_iso\":\"{}\",\"body\":",
            exported_at.0,
            exported_at.to_iso()
        );
        ExportWriter {
            hasher: Sha256::new(),
            current,
            ready: Vec::new(),
            open: None,
            wrote: false,
        }
    }

    fn body(&mut self, text: &str) {
        self.hasher.update(text.as_bytes());
        self.current.push_str(text);
        if self.current.len() >= CHUNK_BYTES {
            self.ready.push(std::mem::take(&mut self.current));
        }
    }

    /// Opens every section up to `target`, closing the one open (sections never reopen).
    fn enter(&mut self, target: usize) -> Result<(), ExportError> {
        match self.open {
            Some(open) if open == target => return Ok(()),
            Some(open) if open > target => {
                return Err(ExportError(format!(
                    "{} must be written before {}",
                    SECTIONS[target], SECTIONS[open]
                )));
            }
            Some(_) => self.body("]"),
            None => self.body("{"),
        }
        let from = self.open.map_or(0, |open| open + 1);
        for (i, name) in SECTIONS.iter().enumerate().take(target + 1).skip(from) {
            if i > 0 {
                self.body(",");
            }
            self.body(&format!("\"{name}\":["));
            if i < target {
                self.body("]");
            }
        }
        self.open = Some(target);
        self.wrote = false;
        Ok(())
    }

    /// Adds one record. Records must come section by section, in the file's order, each section
    /// sorted by SID (as [`records`](Self::records) does) for the body to be canonical.
    pub fn push(&mut self, record: ExportRecord<'_>) -> Result<(), ExportError> {
        self.enter(record.section())?;
        let json = record.to_json().map_err(|e| ExportError(e.to_string()))?;
        if self.wrote {
            self.body(",");
        }
        self.body(&json);
        self.wrote = true;
        Ok(())
    }

    /// Adds every record of a workspace (not the scans), each kind sorted by SID.
    pub fn records(&mut self, workspace: &Workspace) -> Result<(), ExportError> {
        let mut sorted = workspace.clone();
        sorted.sort();
        for r in &sorted.entities {
            self.push(ExportRecord::Entity(r))?;
        }
        for r in &sorted.addresses {
            self.push(ExportRecord::Address(r))?;
        }
        for r in &sorted.documents {
            self.push(ExportRecord::Document(r))?;
        }
        for r in &sorted.numbers {
            self.push(ExportRecord::Number(r))?;
        }
        for r in &sorted.queue {
            self.push(ExportRecord::Queue(r))?;
        }
        for r in &sorted.activity {
            self.push(ExportRecord::Event(r))?;
        }
        Ok(())
    }

    /// The chunks finished so far, to hand on (to a Blob's parts) and forget.
    pub fn take_ready(&mut self) -> Vec<String> {
        std::mem::take(&mut self.ready)
    }

    /// Closes the body, appends the checksum, and returns the remaining chunks.
    pub fn finish(mut self) -> Vec<String> {
        // Entering the last section only opens and closes sections, which cannot fail.
        let _ = self.enter(SECTIONS.len() - 1);
        self.body("]}");
        let checksum: String = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.current
            .push_str(&format!(",\"checksum\":\"{checksum}\"}}\n"));
        let mut out = self.ready;
        out.push(self.current);
        out
    }
}

/// The whole export of a workspace and its scans, as chunks, for callers that hold it all
/// already (tests, small workspaces). Scans are sorted by document SID, then SHA-256.
pub fn export_chunks(
    exported_at: Timestamp,
    workspace: &Workspace,
    scans: &[ScanBytes],
) -> Result<Vec<String>, ExportError> {
    let mut writer = ExportWriter::new(exported_at);
    writer.records(workspace)?;
    let mut sorted: Vec<&ScanBytes> = scans.iter().collect();
    sort_by(&mut sorted, |s| (s.document_sid.bytes(), s.sha256.clone()));
    for scan in sorted {
        writer.push(ExportRecord::Scan(scan))?;
    }
    Ok(writer.finish())
}

// ---------------------------------------------------------------------------------------------
// Import: validation
// ---------------------------------------------------------------------------------------------

/// A kind of record in the file, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    /// An entity.
    Entity,
    /// An address.
    Address,
    /// An identity document.
    Document,
    /// A number.
    Number,
    /// A review-queue entry.
    QueueEntry,
    /// An activity-log entry.
    Event,
    /// A scan.
    Scan,
}

impl RecordKind {
    /// The body section the kind is listed in.
    pub fn section(&self) -> &'static str {
        match self {
            RecordKind::Entity => "entities",
            RecordKind::Address => "addresses",
            RecordKind::Document => "documents",
            RecordKind::Number => "numbers",
            RecordKind::QueueEntry => "queue",
            RecordKind::Event => "activity",
            RecordKind::Scan => "scans",
        }
    }

    /// What a person calls a record of this kind.
    pub fn label(&self) -> &'static str {
        match self {
            RecordKind::Entity => "entity",
            RecordKind::Address => "address",
            RecordKind::Document => "identity document",
            RecordKind::Number => "number",
            RecordKind::QueueEntry => "queue entry",
            RecordKind::Event => "activity entry",
            RecordKind::Scan => "scan",
        }
    }
}

/// One record of the file that is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Its kind.
    pub kind: RecordKind,
    /// Its position in its section, from 0.
    pub index: usize,
    /// Its SID (a scan's or queue entry's document SID), when it has a readable one.
    pub sid: Option<String>,
    /// The field that is wrong, as a path (`files[0].sha256`); `.` for the record as a whole.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.label(), self.index + 1)?;
        if let Some(sid) = &self.sid {
            write!(f, " ({sid})")?;
        }
        write!(
            f,
            " in \"{}\", field `{}`: {}",
            self.kind.section(),
            self.field,
            self.message
        )
    }
}

/// Why a file is not a workspace this build can import. Nothing is written when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The file is empty.
    Empty,
    /// The file is not UTF-8 text.
    NotText {
        /// Offset of the first byte that is not.
        byte: usize,
    },
    /// The file ends in the middle (a download or a copy was cut short).
    Truncated {
        /// Line of the end, from 1.
        line: usize,
        /// Column of the end, from 1.
        column: usize,
    },
    /// The file is not valid JSON.
    Syntax {
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// The parser's words.
        message: String,
    },
    /// Valid JSON, but not shaped like an export.
    NotAnExport(String),
    /// Another kind of JSON file.
    WrongFormat {
        /// The `format` it names, if any.
        found: Option<String>,
    },
    /// An export of a format version this build does not read.
    UnsupportedVersion {
        /// The version it names.
        found: u64,
    },
    /// A required part of the file is missing.
    MissingPart(&'static str),
    /// The body's bytes do not match the checksum: changed or damaged after export.
    ChecksumMismatch {
        /// The checksum the file states.
        stated: String,
        /// The SHA-256 of the body as it is.
        actual: String,
    },
    /// The body is not made of the expected sections.
    Body(String),
    /// A record is wrong.
    Record(RecordError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Empty => f.write_str("The file is empty."),
            ImportError::NotText { byte } => write!(
                f,
                "This is not a regdesk export: byte {byte} is not UTF-8 text."
            ),
            ImportError::Truncated { line, column } => write!(
                f,
                "The file is cut off at line {line}, column {column}: it is incomplete. Export the workspace again."
            ),
            ImportError::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "The file is damaged at line {line}, column {column}: {message}."
            ),
            ImportError::NotAnExport(why) => {
                write!(f, "This is not a regdesk workspace export: {why}.")
            }
            ImportError::WrongFormat { found: Some(found) } => write!(
                f,
                "This is a \"{found}\" file, not a regdesk workspace export (\"{FORMAT}\")."
            ),
            ImportError::WrongFormat { found: None } => write!(
                f,
                "This is not a regdesk workspace export: it has no \"format\": \"{FORMAT}\"."
            ),
            ImportError::UnsupportedVersion { found } => write!(
                f,
                "This export has format version {found}; this regdesk reads versions 1 to {VERSION}. {}",
                if *found > u64::from(VERSION) {
                    "Update regdesk to import it."
                } else {
                    "It is too old to import."
                }
            ),
            ImportError::MissingPart(part) => {
                write!(f, "The file has no \"{part}\": it is incomplete.")
            }
            ImportError::ChecksumMismatch { stated, actual } => write!(
                f,
                "The file was changed or damaged after export: its checksum is {stated}, but its contents hash to {actual}."
            ),
            ImportError::Body(why) => write!(f, "The file's body is malformed: {why}."),
            ImportError::Record(e) => write!(f, "The file has a wrong record: {e}."),
        }
    }
}

impl std::error::Error for ImportError {}

/// A file that passed every check, ready to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    /// When it was exported.
    pub exported_at: Timestamp,
    /// Its records.
    pub workspace: Workspace,
    /// Its scans, with their bytes checked against their SHA-256.
    pub scans: Vec<ScanBytes>,
    /// Scans a document lists but the file does not carry (they were missing from the exported
    /// database too): `(document, sha256)`. Imported as they were, reported so nobody is surprised.
    pub missing_scans: Vec<(IdentitySid, String)>,
}

impl Validated {
    /// How many records of each kind it holds.
    pub fn counts(&self) -> Counts {
        Counts::of(&self.workspace, self.scans.len())
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<u64>,
    #[serde(default)]
    exported_at: Option<Timestamp>,
    #[serde(borrow, default)]
    body: Option<&'a RawValue>,
    #[serde(default)]
    checksum: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody<'a> {
    /// Absent from exports of format version 1, written before entities.
    #[serde(borrow, default)]
    entities: Vec<&'a RawValue>,
    #[serde(borrow)]
    addresses: Vec<&'a RawValue>,
    #[serde(borrow)]
    documents: Vec<&'a RawValue>,
    #[serde(borrow)]
    numbers: Vec<&'a RawValue>,
    #[serde(borrow)]
    queue: Vec<&'a RawValue>,
    #[serde(borrow)]
    activity: Vec<&'a RawValue>,
    #[serde(borrow)]
    scans: Vec<&'a RawValue>,
}

/// serde_json's message without its " at line L column C", which is relative to the record and
/// would mislead.
/// What a JSON text that is not an object holds at its top, in words; `None` for an object.
fn top_level_kind(text: &str) -> Option<&'static str> {
    Some(match text.trim_start().bytes().next()? {
        b'{' => return None,
        b'[' => "a list",
        b'"' => "a single text",
        b'n' => "null",
        b't' | b'f' => "true or false",
        _ => "a single number",
    })
}

fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The SID a raw record names, for error messages about records that do not decode.
fn sid_of(raw: &RawValue) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(raw.get()).ok()?;
    ["sid", "document_sid"]
        .iter()
        .find_map(|k| value.get(k).and_then(|v| v.as_str()).map(str::to_string))
}

fn record_error(
    kind: RecordKind,
    index: usize,
    sid: Option<String>,
    field: &str,
    message: impl Into<String>,
) -> ImportError {
    ImportError::Record(RecordError {
        kind,
        index,
        sid,
        field: field.to_string(),
        message: message.into(),
    })
}

fn decode<T: DeserializeOwned>(
    kind: RecordKind,
    index: usize,
    raw: &RawValue,
) -> Result<T, ImportError> {
    serde_json::from_str(raw.get()).map_err(|e| decode_error(kind, index, raw, &e))
}

/// The error of a record that does not decode, naming the field where serde_json stopped.
fn decode_error(
    kind: RecordKind,
    index: usize,
    raw: &RawValue,
    e: &serde_json::Error,
) -> ImportError {
    let field = field_of(raw.get(), e);
    record_error(kind, index, sid_of(raw), &field, bare_message(e))
}

fn decode_all<T: DeserializeOwned>(
    kind: RecordKind,
    raws: &[&RawValue],
) -> Result<Vec<T>, ImportError> {
    raws.iter()
        .enumerate()
        .map(|(i, raw)| decode(kind, i, raw))
        .collect()
}

/// Reports the first key that occurs twice, naming the second record.
fn unique<K: Eq + std::hash::Hash + fmt::Display>(
    kind: RecordKind,
    field: &str,
    keys: impl Iterator<Item = K>,
) -> Result<(), ImportError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, key) in keys.enumerate() {
        let text = key.to_string();
        if let Some(first) = seen.insert(text.clone(), i) {
            return Err(record_error(
                kind,
                i,
                Some(text),
                field,
                format!(
                    "the same value as {} {} of the file",
                    kind.label(),
                    first + 1
                ),
            ));
        }
    }
    Ok(())
}

/// Checks a whole export file: its format and version, its checksum, every record against the
/// domain types and rules, and every reference between records. Only a file that passes
/// everything is returned, so an import never starts on a bad one.
pub fn validate(bytes: &[u8]) -> Result<Validated, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        // A file cut in the middle of a multi-byte character ends in an incomplete sequence:
        // that is a truncated file, not a binary one (found by the truncation property test).
        Err(e) if e.error_len().is_none() => {
            let whole = &bytes[..e.valid_up_to()];
            let line = whole.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = whole.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            return Err(ImportError::Truncated { line, column });
        }
        Err(e) => {
            return Err(ImportError::NotText {
                byte: e.valid_up_to(),
            });
        }
    };
    let envelope: Envelope<'_> = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            ImportError::Truncated {
                line: e.line(),
                column: e.column(),
            }
        } else if e.is_syntax() {
            ImportError::Syntax {
                line: e.line(),
                column: e.column(),
                message: bare_message(&e),
            }
        } else {
            ImportError::NotAnExport(match top_level_kind(text) {
                // serde's "expected struct Envelope" names a type of ours, not the file.
                Some(kind) => format!("the file holds {kind}, where an export holds an object"),
                None => bare_message(&e),
            })
        }
    })?;
    if envelope.format.as_deref() != Some(FORMAT) {
        return Err(ImportError::WrongFormat {
            found: envelope.format,
        });
    }
    let version = match envelope.version {
        None => return Err(ImportError::MissingPart("version")),
        Some(v) if v == 0 || v > u64::from(VERSION) => {
            return Err(ImportError::UnsupportedVersion { found: v });
        }
        Some(v) => v,
    };
    let exported_at = envelope
        .exported_at
        .ok_or(ImportError::MissingPart("exported_at"))?;
    let body = envelope.body.ok_or(ImportError::MissingPart("body"))?;
    let stated = envelope
        .checksum
        .ok_or(ImportError::MissingPart("checksum"))?;
    let actual = sha256_hex(body.get().as_bytes());
    if stated.to_ascii_lowercase() != actual {
        return Err(ImportError::ChecksumMismatch { stated, actual });
    }
    let raw: RawBody<'_> =
        serde_json::from_str(body.get()).map_err(|e| ImportError::Body(bare_message(&e)))?;

    let mut workspace = Workspace {
        entities: decode_all(RecordKind::Entity, &raw.entities)?,
        addresses: decode_all(RecordKind::Address, &raw.addresses)?,
        documents: decode_all(RecordKind::Document, &raw.documents)?,
        numbers: decode_all(RecordKind::Number, &raw.numbers)?,
        queue: decode_all(RecordKind::QueueEntry, &raw.queue)?,
        activity: decode_all(RecordKind::Event, &raw.activity)?,
    };
    let scan_records: Vec<ScanRecord> = decode_all(RecordKind::Scan, &raw.scans)?;
    check_records(&workspace)?;
    // An export written before documents had names: each gets the name a new one is given (and
    // a version-1 file's documents their area's name).
    for d in workspace.documents.iter_mut() {
        if d.name.trim().is_empty() {
            d.name = d.propose_name(NumberingPlan::builtin());
        }
        if version == 1 {
            d.name_area(NumberingPlan::builtin());
        }
    }
    // An export written before entities (version 1): its documents get theirs as an upgraded
    // workspace's do.
    if version == 1 {
        let entities = assign_entities(&mut workspace.documents);
        workspace.entities.extend(entities);
    }
    let scans = check_scans(&workspace, scan_records)?;
    check_references(&workspace)?;

    let carried: HashSet<(IdentitySid, &str)> = scans
        .iter()
        .map(|s| (s.document_sid, s.sha256.as_str()))
        .collect();
    // A set: one file may serve two requirements of a document, and is stored (and exported) once.
    let missing_scans: BTreeSet<(IdentitySid, String)> = workspace
        .documents
        .iter()
        .flat_map(|d| d.files.iter().map(move |f| (d.sid, f.sha256.as_str())))
        .filter(|key| !carried.contains(key))
        .map(|(sid, sha)| (sid, sha.to_string()))
        .collect();
    let missing_scans = missing_scans.into_iter().collect();
    Ok(Validated {
        exported_at,
        workspace,
        scans,
        missing_scans,
    })
}

/// The rules each record must meet on its own, and uniqueness within the file.
fn check_records(ws: &Workspace) -> Result<(), ImportError> {
    let each = |kind: RecordKind, sids: &mut dyn Iterator<Item = (String, checks::Checked)>| {
        for (i, (sid, checked)) in sids.enumerate() {
            if let Err((field, message)) = checked {
                return Err(record_error(kind, i, Some(sid), &field, message));
            }
        }
        Ok(())
    };
    each(
        RecordKind::Address,
        &mut ws
            .addresses
            .iter()
            .map(|a| (a.sid.to_string(), checks::address(a))),
    )?;
    each(
        RecordKind::Document,
        &mut ws
            .documents
            .iter()
            .map(|d| (d.sid.to_string(), checks::document(d))),
    )?;
    each(
        RecordKind::Number,
        &mut ws
            .numbers
            .iter()
            .map(|n| (n.sid.to_string(), checks::number(n))),
    )?;
    unique(RecordKind::Entity, "sid", ws.entities.iter().map(|r| r.sid))?;
    unique(
        RecordKind::Address,
        "sid",
        ws.addresses.iter().map(|r| r.sid),
    )?;
    unique(
        RecordKind::Document,
        "sid",
        ws.documents.iter().map(|r| r.sid),
    )?;
    unique(RecordKind::Number, "sid", ws.numbers.iter().map(|r| r.sid))?;
    unique(
        RecordKind::Number,
        "e164",
        ws.numbers.iter().map(|r| r.e164.clone()),
    )?;
    unique(
        RecordKind::QueueEntry,
        "document_sid",
        ws.queue.iter().map(|r| r.document_sid),
    )?;
    unique(RecordKind::Event, "sid", ws.activity.iter().map(|r| r.sid))?;
    Ok(())
}

/// Decodes each scan's bytes and checks them against the document's metadata.
fn check_scans(ws: &Workspace, records: Vec<ScanRecord>) -> Result<Vec<ScanBytes>, ImportError> {
    let documents: HashMap<IdentitySid, &IdentityDocument> =
        ws.documents.iter().map(|d| (d.sid, d)).collect();
    let mut out = Vec::with_capacity(records.len());
    let mut seen: HashMap<(IdentitySid, String), usize> = HashMap::new();
    for (i, r) in records.into_iter().enumerate() {
        let sid = Some(r.document_sid.to_string());
        let Some(doc) = documents.get(&r.document_sid) else {
            return Err(record_error(
                RecordKind::Scan,
                i,
                sid,
                "document_sid",
                format!(
                    "refers to document {} which is not in the file",
                    r.document_sid
                ),
            ));
        };
        if !doc.files.iter().any(|f| f.sha256 == r.sha256) {
            return Err(record_error(
                RecordKind::Scan,
                i,
                sid,
                "sha256",
                format!(
                    "document {} lists no scan with SHA-256 {}",
                    r.document_sid, r.sha256
                ),
            ));
        }
        if let Some(first) = seen.insert((r.document_sid, r.sha256.clone()), i) {
            return Err(record_error(
                RecordKind::Scan,
                i,
                sid,
                "sha256",
                format!("the same scan as scan {} of the file", first + 1),
            ));
        }
        let bytes = BASE64.decode(r.base64.as_bytes()).map_err(|e| {
            record_error(
                RecordKind::Scan,
                i,
                sid.clone(),
                "base64",
                format!("not valid base64: {e}"),
            )
        })?;
        let actual = sha256_hex(&bytes);
        if actual != r.sha256 {
            return Err(record_error(
                RecordKind::Scan,
                i,
                sid,
                "base64",
                format!(
                    "the bytes hash to {actual}, not to the SHA-256 {} the document lists",
                    r.sha256
                ),
            ));
        }
        out.push(ScanBytes {
            document_sid: r.document_sid,
            sha256: r.sha256,
            mime_type: r.mime_type,
            bytes,
        });
    }
    Ok(out)
}

/// Every reference between records points at a record of the file, of the right state.
fn check_references(ws: &Workspace) -> Result<(), ImportError> {
    let addresses: HashSet<AddressSid> = ws.addresses.iter().map(|a| a.sid).collect();
    let documents: HashMap<IdentitySid, &IdentityDocument> =
        ws.documents.iter().map(|d| (d.sid, d)).collect();
    let missing = |what: &str, sid: &dyn fmt::Display| {
        format!("refers to {what} {sid} which is not in the file")
    };
    let entities: HashSet<EntitySid> = ws.entities.iter().map(|e| e.sid).collect();
    for (i, d) in ws.documents.iter().enumerate() {
        if let Some(e) = d.entity_sid.filter(|e| !entities.contains(e)) {
            return Err(record_error(
                RecordKind::Document,
                i,
                Some(d.sid.to_string()),
                "entity_sid",
                missing("entity", &e),
            ));
        }
        if let Some(a) = d.address_sid.filter(|a| !addresses.contains(a)) {
            return Err(record_error(
                RecordKind::Document,
                i,
                Some(d.sid.to_string()),
                "address_sid",
                missing("address", &a),
            ));
        }
    }
    for (i, n) in ws.numbers.iter().enumerate() {
        if let Some(a) = n.address_sid.filter(|a| !addresses.contains(a)) {
            return Err(record_error(
                RecordKind::Number,
                i,
                Some(n.sid.to_string()),
                "address_sid",
                missing("address", &a),
            ));
        }
        if let Some(d) = n.identity_sid.filter(|d| !documents.contains_key(d)) {
            return Err(record_error(
                RecordKind::Number,
                i,
                Some(n.sid.to_string()),
                "identity_sid",
                missing("identity document", &d),
            ));
        }
    }
    for (i, q) in ws.queue.iter().enumerate() {
        let sid = Some(q.document_sid.to_string());
        match documents.get(&q.document_sid) {
            None => {
                return Err(record_error(
                    RecordKind::QueueEntry,
                    i,
                    sid,
                    "document_sid",
                    missing("identity document", &q.document_sid),
                ));
            }
            Some(d) if d.status != Status::Pending => {
                return Err(record_error(
                    RecordKind::QueueEntry,
                    i,
                    sid,
                    "document_sid",
                    format!(
                        "queues document {} for review, but it is {}, not Pending",
                        d.sid,
                        d.status.label()
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Import: replace or merge
// ---------------------------------------------------------------------------------------------

/// What an import does with the workspace already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportMode {
    /// The file becomes the workspace: every record there before is removed.
    Replace,
    /// The file's records are added to the workspace; any SID already used by a different record
    /// stops the whole import.
    Merge,
}

/// A record of the file whose SID (or number) the workspace already uses for something else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collision {
    /// Its kind.
    pub kind: RecordKind,
    /// The SID both use (a queue entry's or scan's document SID).
    pub sid: String,
    /// Why it collides.
    pub reason: String,
}

impl fmt::Display for Collision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.kind.label(), self.sid, self.reason)
    }
}

/// What a merge adds: the records new to the workspace, and how many were already there as they
/// are in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePlan {
    /// The records to add.
    pub add: Workspace,
    /// The scans to add.
    pub scans: Vec<ScanBytes>,
    /// Records already in the workspace exactly as in the file, left as they are.
    pub unchanged: Counts,
}

/// Sorts `incoming` into new and identical records against `existing`; a SID used by a
/// different record is a collision. Any collision refuses the whole merge: writing the rest could
/// leave a new number mapped to a record the file meant differently, so the caller writes nothing
/// and reports every collision.
pub fn plan_merge(incoming: Validated, existing: &Workspace) -> Result<MergePlan, Vec<Collision>> {
    let mut collisions = Vec::new();
    let mut unchanged = Counts::default();
    let ws = incoming.workspace;

    fn split<T: PartialEq, K: Eq + std::hash::Hash + fmt::Display + Copy>(
        kind: RecordKind,
        incoming: Vec<T>,
        existing: &[T],
        key: impl Fn(&T) -> K,
        collisions: &mut Vec<Collision>,
        unchanged: &mut usize,
    ) -> Vec<T> {
        let by_key: HashMap<K, &T> = existing.iter().map(|r| (key(r), r)).collect();
        let mut out = Vec::new();
        for record in incoming {
            match by_key.get(&key(&record)) {
                None => out.push(record),
                Some(old) if **old == record => *unchanged += 1,
                Some(_) => collisions.push(Collision {
                    kind,
                    sid: key(&record).to_string(),
                    reason: format!(
                        "the workspace has a different {} with this SID",
                        kind.label()
                    ),
                }),
            }
        }
        out
    }

    // An entity the workspace has already is the same individual or business, whatever either
    // side has learnt of it since: it is kept as it is, never a collision.
    let known: HashSet<EntitySid> = existing.entities.iter().map(|e| e.sid).collect();
    let (entities, kept): (Vec<Entity>, Vec<Entity>) = ws
        .entities
        .into_iter()
        .partition(|e| !known.contains(&e.sid));
    unchanged.entities = kept.len();
    let addresses = split(
        RecordKind::Address,
        ws.addresses,
        &existing.addresses,
        |r| r.sid,
        &mut collisions,
        &mut unchanged.addresses,
    );
    let documents = split(
        RecordKind::Document,
        ws.documents,
        &existing.documents,
        |r| r.sid,
        &mut collisions,
        &mut unchanged.documents,
    );
    let numbers = split(
        RecordKind::Number,
        ws.numbers,
        &existing.numbers,
        |r| r.sid,
        &mut collisions,
        &mut unchanged.numbers,
    );
    let queue = split(
        RecordKind::QueueEntry,
        ws.queue,
        &existing.queue,
        |r| r.document_sid,
        &mut collisions,
        &mut unchanged.queue,
    );
    let activity = split(
        RecordKind::Event,
        ws.activity,
        &existing.activity,
        |r| r.sid,
        &mut collisions,
        &mut unchanged.activity,
    );
    // A number is owned once: the same digits under another SID collide too.
    let owned: HashMap<&crate::domain::phone::e164::E164, &PhoneNumber> =
        existing.numbers.iter().map(|n| (&n.e164, n)).collect();
    for n in &numbers {
        if let Some(other) = owned.get(&n.e164) {
            collisions.push(Collision {
                kind: RecordKind::Number,
                sid: n.sid.to_string(),
                reason: format!("{} is already owned as {}", n.e164, other.sid),
            });
        }
    }
    if !collisions.is_empty() {
        return Err(collisions);
    }
    let new_documents: HashSet<IdentitySid> = documents.iter().map(|d| d.sid).collect();
    let (scans, kept): (Vec<ScanBytes>, Vec<ScanBytes>) = incoming
        .scans
        .into_iter()
        .partition(|s| new_documents.contains(&s.document_sid));
    unchanged.scans = kept.len();
    Ok(MergePlan {
        add: Workspace {
            entities,
            addresses,
            documents,
            numbers,
            queue,
            activity,
        },
        scans,
        unchanged,
    })
}

/// The activity entry an import leaves: what came in, and how.
pub fn import_event(sid: EventSid, at: Timestamp, mode: ImportMode, added: &Counts) -> Event {
    let how = match mode {
        ImportMode::Replace => "Workspace replaced",
        ImportMode::Merge => "Backup merged into the workspace",
    };
    Event {
        sid,
        at,
        kind: EventKind::Workspace,
        subject: FORMAT.to_string(),
        summary: format!("{how}: {added}"),
        callback: None,
        bulk: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::e164::E164;
    use crate::domain::records::document::{ScanAddress, ScanShows, SupportingFile};
    use crate::domain::records::sid::{NumberSid, SeededRandom};
    use crate::domain::rules::compliance::{Compliance, Lookup};
    use crate::domain::rules::regulation::DocumentType;

    const NOW: Timestamp = Timestamp(1_796_119_200_000);

    fn sample() -> (Workspace, Vec<ScanBytes>) {
        let mut rng = SeededRandom::new(42);
        let address = Address::create(
            AddressSid::generate(&mut rng),
            &crate::domain::records::address::tests::draft(),
            NOW,
        )
        .unwrap();
        let bytes: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        let sha = sha256_hex(&bytes);
        let mut doc = IdentityDocument {
            sid: IdentitySid::generate(&mut rng),
            name: "Acme in Berlin".into(),
            files: vec![SupportingFile {
                document_type: DocumentType::CommercialRegistrarExcerpt,
                file_name: "excerpt.png".into(),
                mime_type: "image/png".into(),
                size: bytes.len() as u64,
                sha256: sha.clone(),
                pixels: Some((1200, 900)),
                shows: ScanShows {
                    name: "Acme GmbH".into(),
                    address: ScanAddress::OnFile,
                    ..Default::default()
                },
            }],
            address_sid: Some(address.sid),
            created: NOW,
            ..crate::domain::records::document::tests::sample()
        };
        doc.submit(NOW).unwrap();
        let entity = Entity::of_document(EntitySid::generate(&mut rng), &doc, NOW);
        doc.entity_sid = Some(entity.sid);
        let e164 = E164::parse("+49301234567").unwrap();
        let class = NumberingPlan::builtin().classify(&e164).unwrap();
        let mut number = PhoneNumber::new(NumberSid::generate(&mut rng), e164, class, NOW);
        number.address_sid = Some(address.sid);
        number.identity_sid = Some(doc.sid);
        let queue = QueueRecord {
            document_sid: doc.sid,
            submitted: NOW,
            delay_minutes: 60,
            due: NOW.plus_ms(3_600_000),
        };
        let event = Event {
            sid: EventSid::generate(&mut rng),
            at: NOW,
            kind: EventKind::DocumentCreated,
            subject: doc.sid.to_string(),
            summary: "created".into(),
            callback: None,
            bulk: None,
        };
        let scan = ScanBytes {
            document_sid: doc.sid,
            sha256: sha,
            mime_type: "image/png".into(),
            bytes,
        };
        (
            Workspace {
                entities: vec![entity],
                addresses: vec![address],
                documents: vec![doc],
                numbers: vec![number],
                queue: vec![queue],
                activity: vec![event],
            },
            vec![scan],
        )
    }

    fn file(ws: &Workspace, scans: &[ScanBytes]) -> String {
        export_chunks(NOW, ws, scans).unwrap().concat()
    }

    /// Rewrites the body with `edit` and fixes the checksum, to reach the record checks.
    fn resealed(text: &str, edit: impl Fn(&mut serde_json::Value)) -> String {
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        edit(&mut value["body"]);
        let body = serde_json::to_string(&value["body"]).unwrap();
        value["checksum"] = sha256_hex(body.as_bytes()).into();
        let mut out = serde_json::to_string(&value).unwrap();
        // serde_json's map keeps key order sorted; the body text is what was hashed either way.
        out.push('\n');
        out
    }

    fn record_err(result: Result<Validated, ImportError>) -> RecordError {
        match result {
            Err(ImportError::Record(e)) => e,
            other => panic!("expected a record error, got {other:?}"),
        }
    }

    #[test]
    fn export_then_validate_round_trips_everything() {
        let (ws, scans) = sample();
        let text = file(&ws, &scans);
        let v = validate(text.as_bytes()).unwrap();
        assert_eq!(v.workspace, ws);
        assert_eq!(v.scans, scans);
        assert!(v.missing_scans.is_empty());
        assert_eq!(v.exported_at, NOW);
        assert_eq!(v.counts().total(), 7);
    }

    #[test]
    fn a_version_1_export_imports_with_entities_derived() {
        let (ws, scans) = sample();
        let text = file(&ws, &scans);
        let v1 = resealed(&text.replace("\"version\":2,", "\"version\":1,"), |body| {
            body.as_object_mut().unwrap().remove("entities");
            body["documents"][0]
                .as_object_mut()
                .unwrap()
                .remove("entity_sid");
        });
        let v = validate(v1.as_bytes()).unwrap();
        assert_eq!(v.workspace.entities.len(), 1);
        let entity = &v.workspace.entities[0];
        assert_eq!(entity.name(), "Acme GmbH");
        assert_eq!(v.workspace.documents[0].entity_sid, Some(entity.sid));
        assert_eq!(
            v.workspace.documents[0].area_name.as_deref(),
            Some("Berlin")
        );
        assert_eq!(v.scans, scans, "every scan kept");
        // A document naming an entity the file lacks is refused, with the field.
        let dangling = resealed(&text, |body| {
            body["entities"] = serde_json::json!([]);
        });
        let e = record_err(validate(dangling.as_bytes()));
        assert_eq!(e.field, "entity_sid");
    }

    #[test]
    fn exports_from_before_names_import_named_and_names_are_checked() {
        let (ws, scans) = sample();
        let text = file(&ws, &scans);
        let unnamed = resealed(&text, |body| {
            body["documents"][0].as_object_mut().unwrap().remove("name");
        });
        let v = validate(unnamed.as_bytes()).unwrap();
        assert_eq!(
            v.workspace.documents[0].name,
            "Acme GmbH — DE local, Berlin"
        );
        let long = resealed(&text, |body| {
            body["documents"][0]["name"] = "x".repeat(65).into();
        });
        let e = record_err(validate(long.as_bytes()));
        assert_eq!(e.field, "name");
        assert!(e.message.contains("limit is 64"), "{}", e.message);
    }

    #[test]
    fn the_body_is_canonical_whatever_the_input_order() {
        let (mut ws, scans) = sample();
        let mut rng = SeededRandom::new(9);
        for i in 0..5 {
            ws.activity.push(Event {
                sid: EventSid::generate(&mut rng),
                at: NOW.plus_ms(i),
                kind: EventKind::Workspace,
                subject: String::new(),
                summary: format!("e{i}"),
                callback: None,
                bulk: None,
            });
        }
        let a = file(&ws, &scans);
        ws.activity.reverse();
        assert_eq!(a, file(&ws, &scans));
    }

    #[test]
    fn empty_workspace_exports_every_section() {
        let text = file(&Workspace::default(), &[]);
        assert!(text.contains(
            "\"body\":{\"entities\":[],\"addresses\":[],\"documents\":[],\"numbers\":[],\"queue\":[],\"activity\":[],\"scans\":[]}"
        ));
        assert_eq!(
            validate(text.as_bytes()).unwrap().workspace,
            Workspace::default()
        );
    }

    #[test]
    fn large_bodies_come_out_in_chunks() {
        let (ws, _) = sample();
        let big = ScanBytes {
            bytes: vec![7; 600_000],
            ..sample().1.remove(0)
        };
        let mut writer = ExportWriter::new(NOW);
        writer.records(&ws).unwrap();
        writer.push(ExportRecord::Scan(&big)).unwrap();
        let ready = writer.take_ready();
        assert!(!ready.is_empty());
        assert!(ready.iter().all(|c| c.len() < 1_000_000));
        let err = writer.push(ExportRecord::Address(&ws.addresses[0]));
        assert!(err.is_err(), "sections never reopen");
    }

    #[test]
    fn envelope_errors_are_precise() {
        let (ws, scans) = sample();
        let text = file(&ws, &scans);
        assert_eq!(validate(b""), Err(ImportError::Empty));
        assert_eq!(
            validate(&[b'{', 0xff]),
            Err(ImportError::NotText { byte: 1 })
        );
        assert!(matches!(
            validate(&text.as_bytes()[..text.len() / 2]),
            Err(ImportError::Truncated { .. })
        ));
        assert!(matches!(
            validate(b"{\"format\": nope}"),
            Err(ImportError::Syntax { line: 1, .. })
        ));
        assert!(matches!(
            validate(b"[1,2]"),
            Err(ImportError::NotAnExport(_))
        ));
        // Regression: `null` was answered with serde's "expected struct Envelope".
        for (file, said) in [
            (&b"null"[..], "null"),
            (b" [1,2]", "a list"),
            (b"42", "a single number"),
        ] {
            assert_eq!(
                validate(file).unwrap_err().to_string(),
                format!(
                    "This is not a regdesk workspace export: the file holds {said}, where an export holds an object."
                )
            );
        }
        assert_eq!(
            validate(b"{\"format\":\"other\"}"),
            Err(ImportError::WrongFormat {
                found: Some("other".into())
            })
        );
        let v3 = text.replace("\"version\":2,", "\"version\":3,");
        let err = validate(v3.as_bytes()).unwrap_err();
        assert_eq!(err, ImportError::UnsupportedVersion { found: 3 });
        assert!(err.to_string().contains("version 3"), "{err}");
        assert!(err.to_string().contains("Update regdesk"), "{err}");
        let no_sum = text.replace("\"checksum\":", "\"checksun\":");
        assert_eq!(
            validate(no_sum.as_bytes()),
            Err(ImportError::MissingPart("checksum"))
        );
    }

    #[test]
    fn a_changed_byte_in_the_body_fails_the_checksum() {
        let (ws, scans) = sample();
        let text = file(&ws, &scans).replace("Berlin", "Bremen");
        assert!(matches!(
            validate(text.as_bytes()),
            Err(ImportError::ChecksumMismatch { .. })
        ));
    }

    #[test]
    fn a_record_error_names_the_record_and_field() {
        let (ws, scans) = sample();
        let text = file(&ws, &scans);
        let sid = ws.numbers[0].sid.to_string();
        let bad = resealed(&text, |b| b["numbers"][0]["bought"] = "yesterday".into());
        let e = record_err(validate(bad.as_bytes()));
        assert_eq!(
            (e.kind, e.index, e.sid.as_deref(), e.field.as_str()),
            (RecordKind::Number, 0, Some(sid.as_str()), "bought")
        );
        let bad = resealed(&text, |b| {
            b["documents"][0]["files"][0]["sha256"] = "ABC".into()
        });
        let e = record_err(validate(bad.as_bytes()));
        assert_eq!(e.field, "files[0].sha256");
        let bad = resealed(&text, |b| b["addresses"][0]["city"] = " ".into());
        assert_eq!(record_err(validate(bad.as_bytes())).field, "city");
        let bad = resealed(&text, |b| b["numbers"][0]["number_type"] = "mobile".into());
        assert_eq!(record_err(validate(bad.as_bytes())).field, "number_type");
        let bad = resealed(&text, |b| b["extra"] = serde_json::json!([]));
        assert!(matches!(
            validate(bad.as_bytes()),
            Err(ImportError::Body(_))
        ));
    }

    #[test]
    fn dangling_references_are_rejected() {
        let (ws, scans) = sample();
        let text = file(&ws, &scans);
        let other = AddressSid::from_bytes([9; 16]).to_string();
        let bad = resealed(&text, |b| {
            b["numbers"][0]["address_sid"] = other.clone().into()
        });
        let e = record_err(validate(bad.as_bytes()));
        assert_eq!(
            (e.kind, e.field.as_str()),
            (RecordKind::Number, "address_sid")
        );
        assert!(e.message.contains(&other), "{e}");
        let bad = resealed(&text, |b| b["addresses"] = serde_json::json!([]));
        let e = record_err(validate(bad.as_bytes()));
        assert_eq!(
            (e.kind, e.field.as_str()),
            (RecordKind::Document, "address_sid")
        );
        let bad = resealed(&text, |b| b["documents"][0]["status"] = "passed".into());
        let e = record_err(validate(bad.as_bytes()));
        assert_eq!(e.kind, RecordKind::QueueEntry);
        assert!(e.message.contains("not Pending"), "{e}");
        let bad = resealed(&text, |b| b["scans"][0]["base64"] = "AAAA".into());
        let e = record_err(validate(bad.as_bytes()));
        assert_eq!((e.kind, e.field.as_str()), (RecordKind::Scan, "base64"));
        let bad = resealed(&text, |b| {
            let dup = b["activity"][0].clone();
            b["activity"].as_array_mut().unwrap().push(dup);
        });
        let e = record_err(validate(bad.as_bytes()));
        assert_eq!(
            (e.kind, e.index, e.field.as_str()),
            (RecordKind::Event, 1, "sid")
        );
    }

    #[test]
    fn a_missing_scan_is_reported_not_fatal() {
        let (ws, _) = sample();
        let v = validate(file(&ws, &[]).as_bytes()).unwrap();
        assert_eq!(v.missing_scans.len(), 1);
    }

    #[test]
    fn merge_adds_new_skips_identical_and_refuses_collisions() {
        let (ws, scans) = sample();
        let v = validate(file(&ws, &scans).as_bytes()).unwrap();
        let plan = plan_merge(v.clone(), &Workspace::default()).unwrap();
        assert_eq!(Counts::of(&plan.add, plan.scans.len()), v.counts());

        let plan = plan_merge(v.clone(), &ws).unwrap();
        assert_eq!(plan.add, Workspace::default());
        assert_eq!(plan.unchanged, v.counts());

        let mut changed = ws.clone();
        changed.addresses[0].friendly_name = "HQ".into();
        changed.numbers[0].sid = NumberSid::from_bytes([1; 16]);
        let collisions = plan_merge(v, &changed).unwrap_err();
        assert_eq!(collisions.len(), 2, "{collisions:?}");
        assert_eq!(collisions[0].sid, ws.addresses[0].sid.to_string());
        assert!(collisions[1].reason.contains("already owned"));
    }

    #[test]
    fn lookup_computes_compliance() {
        let (ws, _) = sample();
        let lookup = Lookup::new(&ws.documents, &ws.addresses);
        // The document is still Pending, so the number is not yet compliant.
        assert!(matches!(
            lookup.compliance(&ws.numbers[0], NOW.date_utc()),
            Compliance::NonCompliant(_)
        ));
        let e = import_event(
            EventSid::from_bytes([2; 16]),
            NOW,
            ImportMode::Replace,
            &Counts::default(),
        );
        assert_eq!(e.kind, EventKind::Workspace);
    }
}
