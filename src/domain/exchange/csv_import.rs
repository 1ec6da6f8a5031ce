//! Bringing a team's existing numbers in: a provider's CSV export parsed into classified number
//! drafts with per-row problems (the preview shown before anything is written). Mapping many
//! numbers at once is `rules::bulk`.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::phone::e164::{E164, E164Error};
use crate::domain::phone::numbering::{Classification, ClassifyError, NumberingPlan};
use crate::domain::records::activity::{Event, EventKind};
use crate::domain::records::number::{MAX_LABEL, PhoneNumber};
use crate::domain::records::sid::{
    AddressSid, EventSid, IdentitySid, NumberSid, RandomSource, SidError,
};
use crate::domain::time::Timestamp;
use crate::domain::time::calendar::parse_instant;

/// The most data rows one file may have: beyond it the preview itself would stall the page.
pub const MAX_ROWS: usize = 100_000;

/// A column regdesk reads from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Column {
    /// The phone number.
    PhoneNumber,
    /// Its friendly name.
    FriendlyName,
    /// When it was bought.
    DateBought,
    /// The address it is mapped to.
    AddressSid,
    /// The identity document it is mapped to.
    IdentitySid,
}

impl Column {
    /// The column's name in messages.
    pub fn label(&self) -> &'static str {
        match self {
            Column::PhoneNumber => "phone number",
            Column::FriendlyName => "friendly name",
            Column::DateBought => "date bought",
            Column::AddressSid => "address SID",
            Column::IdentitySid => "identity SID",
        }
    }

    /// The column a header cell names, if any: case, spaces, `_` and `-` do not matter, and the
    /// spellings of common provider exports are known (`PhoneNumber`, `phone_number`,
    /// `Date Created`, `AddressSid`).
    pub fn from_header(cell: &str) -> Option<Column> {
        let key: String = cell
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "phonenumber" | "number" | "phone" | "e164" | "msisdn" | "telephonenumber" | "did" => {
                Column::PhoneNumber
            }
            "friendlyname" | "name" | "label" | "description" => Column::FriendlyName,
            "datebought" | "bought" | "boughton" | "datecreated" | "created" | "createdat"
            | "datepurchased" | "purchased" | "purchasedate" | "purchasedon" => Column::DateBought,
            "addresssid" | "address" | "addressid" => Column::AddressSid,
            "identitysid" | "identity" | "identityid" | "identitydocumentsid" => {
                Column::IdentitySid
            }
            _ => return None,
        })
    }
}

/// Where each column is in the file, found from its header row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// The header cells as written.
    pub header: Vec<String>,
    /// The position of each recognised column.
    pub positions: HashMap<Column, usize>,
}

impl Columns {
    /// The position of a column, if the file has it.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.positions.get(&column).copied()
    }
}

/// Why a whole file cannot be previewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// The file has no rows.
    Empty,
    /// The first row names no phone-number column.
    NoPhoneColumn {
        /// The header cells found.
        header: Vec<String>,
    },
    /// The first row names no date-bought column.
    NoDateColumn {
        /// The header cells found.
        header: Vec<String>,
    },
    /// Two header cells name the same column.
    DuplicateColumn(Column),
    /// More rows than one import takes.
    TooManyRows,
    /// The header row itself cannot be read.
    Unreadable(String),
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Empty => f.write_str("The file has no rows."),
            CsvError::NoPhoneColumn { header } => write!(
                f,
                "No column of the first row names the phone number (found: {}). Name it \"Phone Number\".",
                header.join(", ")
            ),
            CsvError::NoDateColumn { header } => write!(
                f,
                "No column of the first row names the date bought (found: {}). Name it \"Date Bought\".",
                header.join(", ")
            ),
            CsvError::DuplicateColumn(c) => {
                write!(f, "Two columns of the first row name the {}.", c.label())
            }
            CsvError::TooManyRows => write!(
                f,
                "The file has more than {MAX_ROWS} rows; split it into smaller files."
            ),
            CsvError::Unreadable(why) => write!(f, "The first row cannot be read: {why}."),
        }
    }
}

impl std::error::Error for CsvError {}

/// One thing wrong with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// The row is not valid CSV or not UTF-8 text.
    Unreadable(String),
    /// The phone number is not an international number.
    BadNumber(E164Error),
    /// The numbering plan does not know the number (another country, an unknown range).
    Unclassifiable(ClassifyError),
    /// An earlier row has the same number.
    DuplicateInFile {
        /// That row's line number.
        first_row: u64,
    },
    /// The workspace already owns the number.
    AlreadyOwned,
    /// The date bought is missing or not a date.
    BadDate(String),
    /// A SID cell is not a SID of its kind.
    BadSid {
        /// Which column.
        column: Column,
        /// Why.
        error: SidError,
    },
    /// A SID cell names a record the workspace does not have.
    UnknownRecord {
        /// Which column.
        column: Column,
    },
    /// The friendly name is longer than allowed.
    FriendlyNameTooLong,
}

impl RowProblem {
    /// The column the problem is in, if one.
    pub fn column(&self) -> Option<Column> {
        match self {
            RowProblem::Unreadable(_) => None,
            RowProblem::BadNumber(_)
            | RowProblem::Unclassifiable(_)
            | RowProblem::DuplicateInFile { .. }
            | RowProblem::AlreadyOwned => Some(Column::PhoneNumber),
            RowProblem::BadDate(_) => Some(Column::DateBought),
            RowProblem::BadSid { column, .. } | RowProblem::UnknownRecord { column } => {
                Some(*column)
            }
            RowProblem::FriendlyNameTooLong => Some(Column::FriendlyName),
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::Unreadable(why) => write!(f, "the row cannot be read: {why}"),
            RowProblem::BadNumber(e) => write!(f, "not an international number: {e}"),
            RowProblem::Unclassifiable(e) => write!(f, "{e}"),
            RowProblem::DuplicateInFile { first_row } => {
                write!(f, "the same number as row {first_row}")
            }
            RowProblem::AlreadyOwned => f.write_str("the workspace already owns this number"),
            RowProblem::BadDate(why) => write!(f, "{why}"),
            RowProblem::BadSid { column, error } => {
                write!(f, "the {} is not valid: {error}", column.label())
            }
            RowProblem::UnknownRecord { column } => write!(
                f,
                "the {} names no record of this workspace",
                column.label()
            ),
            RowProblem::FriendlyNameTooLong => {
                write!(f, "the friendly name is longer than {MAX_LABEL} characters")
            }
        }
    }
}

/// A row that cannot be imported, with every problem it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Its line number in the file (the header is line 1).
    pub row: u64,
    /// The phone number cell as written, for the preview table.
    pub raw_number: String,
    /// What is wrong.
    pub problems: Vec<RowProblem>,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all: Vec<String> = self.problems.iter().map(|p| p.to_string()).collect();
        write!(f, "row {}: {}", self.row, all.join("; "))
    }
}

/// A row that can be imported: the number classified, not yet given a SID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberDraft {
    /// Its line number in the file.
    pub row: u64,
    /// The number.
    pub e164: E164,
    /// What the numbering plan says it is.
    pub class: Classification,
    /// Its friendly name.
    pub friendly_name: String,
    /// When it was bought.
    pub bought: Timestamp,
    /// The address it is mapped to.
    pub address_sid: Option<AddressSid>,
    /// The identity document it is mapped to.
    pub identity_sid: Option<IdentitySid>,
}

impl NumberDraft {
    /// The number to store: `legacy`, since it was bought before regdesk checked its requirements.
    pub fn into_number(self, sid: NumberSid) -> PhoneNumber {
        let mut number = PhoneNumber::new(sid, self.e164, self.class, self.bought);
        number.friendly_name = self.friendly_name;
        number.address_sid = self.address_sid;
        number.identity_sid = self.identity_sid;
        number.legacy = true;
        number
    }
}

/// What the workspace already has, so the preview flags what cannot be imported into it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Existing {
    /// The numbers already owned.
    pub numbers: HashSet<E164>,
    /// The addresses, which an address-SID cell must name.
    pub addresses: HashSet<AddressSid>,
    /// The identity documents, which an identity-SID cell must name.
    pub documents: HashSet<IdentitySid>,
    /// The moment of the import, when known: a number cannot have been bought after it (a
    /// mistyped year, 2099, would otherwise pass as "bought before the rules").
    pub now: Option<Timestamp>,
}

/// A parsed file: its columns and, per data row, a draft or the row's problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvPreview {
    /// Where each column was found.
    pub columns: Columns,
    /// One entry per data row, in file order.
    pub rows: Vec<Result<NumberDraft, RowError>>,
}

impl CsvPreview {
    /// The rows that can be imported.
    pub fn valid(&self) -> impl Iterator<Item = &NumberDraft> {
        self.rows.iter().filter_map(|r| r.as_ref().ok())
    }

    /// The rows that cannot, with their problems.
    pub fn errors(&self) -> impl Iterator<Item = &RowError> {
        self.rows.iter().filter_map(|r| r.as_ref().err())
    }

    /// The importable rows as numbers, each with a fresh SID.
    pub fn numbers(&self, random: &mut impl RandomSource) -> Vec<PhoneNumber> {
        self.valid()
            .map(|d| d.clone().into_number(NumberSid::generate(random)))
            .collect()
    }
}

/// Parses a date cell: RFC 3339 (`2024-05-01T10:00:00Z`), RFC 2822 as Twilio's API writes it
/// (`Wed, 01 May 2024 10:00:00 +0000`), a civil date-time taken as UTC (`2024-05-01 10:00:00`),
/// or a plain date (`2024-05-01`, midnight UTC).
pub fn parse_date(cell: &str) -> Result<Timestamp, String> {
    let s = cell.trim();
    if s.is_empty() {
        return Err("the date bought is missing".into());
    }
    if let Some(ms) = parse_instant(s) {
        return Ok(Timestamp(ms));
    }
    Err(format!(
        "\"{s}\" is not a date; write it as 2024-05-01, 2024-05-01T10:00:00Z or Wed, 01 May 2024 10:00:00 +0000"
    ))
}

/// Semicolons when the header has them and no commas (spreadsheets in many European locales).
fn delimiter(text: &[u8]) -> u8 {
    let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
    if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    }
}

fn detect_columns(header: &csv::ByteRecord) -> Result<Columns, CsvError> {
    let cells: Vec<String> = header
        .iter()
        .map(|c| String::from_utf8_lossy(c).trim().to_string())
        .collect();
    let mut positions = HashMap::new();
    for (i, cell) in cells.iter().enumerate() {
        if let Some(column) = Column::from_header(cell)
            && positions.insert(column, i).is_some()
        {
            return Err(CsvError::DuplicateColumn(column));
        }
    }
    if !positions.contains_key(&Column::PhoneNumber) {
        return Err(CsvError::NoPhoneColumn { header: cells });
    }
    if !positions.contains_key(&Column::DateBought) {
        return Err(CsvError::NoDateColumn { header: cells });
    }
    Ok(Columns {
        header: cells,
        positions,
    })
}

/// Reads a CSV file of numbers as a provider exports it (a header row, then one number per row)
/// and checks every row: E.164, the numbering plan, duplicates in the file and in the workspace,
/// the date, the SIDs. Nothing is written; the preview says what an import would do.
pub fn parse_numbers(bytes: &[u8], existing: &Existing) -> Result<CsvPreview, CsvError> {
    let mut check = CsvCheck::start(bytes, existing)?;
    while !check.step(usize::MAX)? {}
    Ok(check.finish())
}

/// [`parse_numbers`] a slice of rows at a time. A file may have 100,000 rows, about ten seconds
/// of checking in the browser: done in one go, the page would freeze for that long; in steps,
/// it can show its progress and stay responsive in between.
pub struct CsvCheck<'a> {
    bytes: &'a [u8],
    existing: &'a Existing,
    reader: csv::Reader<&'a [u8]>,
    record: csv::ByteRecord,
    columns: Columns,
    first_seen: HashMap<E164, u64>,
    rows: Vec<Result<NumberDraft, RowError>>,
    lines: LineCounter,
    /// Data records read so far (blank ones included, as the row limit counts them).
    read: usize,
}

impl<'a> CsvCheck<'a> {
    /// Reads the header row; a file whose header is unusable is refused at once.
    pub fn start(bytes: &'a [u8], existing: &'a Existing) -> Result<CsvCheck<'a>, CsvError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter(bytes))
            .from_reader(bytes);
        let mut header = csv::ByteRecord::new();
        match reader.read_byte_record(&mut header) {
            Ok(false) => return Err(CsvError::Empty),
            Err(e) => return Err(CsvError::Unreadable(e.to_string())),
            Ok(true) => {}
        }
        let columns = detect_columns(&header)?;
        Ok(CsvCheck {
            bytes,
            existing,
            reader,
            record: csv::ByteRecord::new(),
            columns,
            first_seen: HashMap::new(),
            rows: Vec::new(),
            lines: LineCounter::default(),
            read: 0,
        })
    }

    /// Checks up to `max` more rows; true once the file is read to its end.
    pub fn step(&mut self, max: usize) -> Result<bool, CsvError> {
        let plan = NumberingPlan::builtin();
        for _ in 0..max {
            let i = self.read;
            let read = self.reader.read_byte_record(&mut self.record);
            if matches!(read, Ok(false)) {
                return Ok(true);
            }
            if i >= MAX_ROWS {
                return Err(CsvError::TooManyRows);
            }
            self.read += 1;
            let position = match &read {
                Err(e) => e.position(),
                Ok(_) => self.record.position(),
            };
            let row = position.map_or(i as u64 + 2, |p| self.lines.line_at(self.bytes, p.byte()));
            if let Err(e) = read {
                self.rows.push(Err(RowError {
                    row,
                    raw_number: String::new(),
                    problems: vec![RowProblem::Unreadable(e.to_string())],
                }));
                continue;
            }
            if self
                .record
                .iter()
                .all(|c| c.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            self.rows.push(check_row(
                &self.record,
                row,
                &self.columns,
                plan,
                self.existing,
                &mut self.first_seen,
            ));
        }
        Ok(false)
    }

    /// How far the check is, as (bytes read, bytes in the file), for a progress bar.
    pub fn progress(&self) -> (u64, u64) {
        (self.reader.position().byte(), self.bytes.len() as u64)
    }

    /// The preview of the rows checked.
    pub fn finish(self) -> CsvPreview {
        CsvPreview {
            columns: self.columns,
            rows: self.rows,
        }
    }
}

/// Line numbers as an editor shows them, from byte offsets. The csv crate's own line count
/// reads a Windows line end (CR LF) as two, so a file saved by Excel had every row numbered one
/// too low; here CR LF, LF and a lone CR each end one line. The counter moves forward only, so
/// numbering 10,000 rows reads the file once.
#[derive(Default)]
struct LineCounter {
    /// The byte up to which lines are counted.
    byte: usize,
    /// Line breaks before `byte`.
    breaks: u64,
}

impl LineCounter {
    /// The line (from 1) of the record starting at `offset`, which must not be before the
    /// previous one. After a CR, the csv crate starts the next record at the LF that completes
    /// the line end, so line-end bytes at `offset` are skipped to reach the record's first byte.
    fn line_at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        let mut end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        while matches!(bytes.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        for at in self.byte..end {
            match bytes[at] {
                b'\n' => self.breaks += 1,
                b'\r' if bytes.get(at + 1) != Some(&b'\n') => self.breaks += 1,
                _ => {}
            }
        }
        self.byte = self.byte.max(end);
        self.breaks + 1
    }
}

fn check_row(
    record: &csv::ByteRecord,
    row: u64,
    columns: &Columns,
    plan: &NumberingPlan,
    existing: &Existing,
    first_seen: &mut HashMap<E164, u64>,
) -> Result<NumberDraft, RowError> {
    let mut problems = Vec::new();
    let mut cell = |column: Column| -> String {
        let Some(bytes) = columns.position(column).and_then(|p| record.get(p)) else {
            return String::new();
        };
        match std::str::from_utf8(bytes) {
            Ok(s) => s.trim().to_string(),
            Err(_) => {
                problems.push(RowProblem::Unreadable(format!(
                    "the {} is not UTF-8 text",
                    column.label()
                )));
                String::new()
            }
        }
    };
    let raw_number = cell(Column::PhoneNumber);
    let friendly_name = cell(Column::FriendlyName);
    let date = cell(Column::DateBought);
    let address_cell = cell(Column::AddressSid);
    let identity_cell = cell(Column::IdentitySid);

    let number = match E164::parse_input(&raw_number) {
        Err(e) => {
            problems.push(RowProblem::BadNumber(e));
            None
        }
        Ok(e164) => match plan.classify(&e164) {
            Err(e) => {
                problems.push(RowProblem::Unclassifiable(e));
                None
            }
            Ok(class) => {
                if let Some(&first_row) = first_seen.get(&e164) {
                    problems.push(RowProblem::DuplicateInFile { first_row });
                } else {
                    first_seen.insert(e164.clone(), row);
                }
                if existing.numbers.contains(&e164) {
                    problems.push(RowProblem::AlreadyOwned);
                }
                Some((e164, class))
            }
        },
    };
    if friendly_name.chars().count() > MAX_LABEL {
        problems.push(RowProblem::FriendlyNameTooLong);
    }
    let bought = parse_date(&date)
        .and_then(|at| match existing.now {
            Some(now) if at > now => Err(format!(
                "\"{}\" is in the future: a number cannot have been bought after today",
                date.trim()
            )),
            _ => Ok(at),
        })
        .map_err(|why| problems.push(RowProblem::BadDate(why)))
        .ok();
    let address_sid = sid_cell(
        &address_cell,
        Column::AddressSid,
        &existing.addresses,
        &mut problems,
    );
    let identity_sid = sid_cell(
        &identity_cell,
        Column::IdentitySid,
        &existing.documents,
        &mut problems,
    );
    match (number, bought) {
        (Some((e164, class)), Some(bought)) if problems.is_empty() => Ok(NumberDraft {
            row,
            e164,
            class,
            friendly_name,
            bought,
            address_sid,
            identity_sid,
        }),
        _ => Err(RowError {
            row,
            raw_number,
            problems,
        }),
    }
}

fn sid_cell<K: crate::domain::records::sid::SidKind>(
    cell: &str,
    column: Column,
    known: &HashSet<crate::domain::records::sid::Sid<K>>,
    problems: &mut Vec<RowProblem>,
) -> Option<crate::domain::records::sid::Sid<K>> {
    if cell.is_empty() {
        return None;
    }
    match cell.parse::<crate::domain::records::sid::Sid<K>>() {
        Err(error) => {
            problems.push(RowProblem::BadSid { column, error });
            None
        }
        Ok(sid) if !known.contains(&sid) => {
            problems.push(RowProblem::UnknownRecord { column });
            None
        }
        Ok(sid) => Some(sid),
    }
}

/// The activity entry a CSV import leaves.
pub fn import_event(sid: EventSid, at: Timestamp, imported: usize) -> Event {
    Event {
        sid,
        at,
        kind: EventKind::NumbersImported,
        subject: String::new(),
        summary: format!("Imported {imported} numbers from a CSV file (legacy numbers)"),
        callback: None,
        bulk: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Phone Number,Friendly Name,Date Bought,Address SID,Identity SID\n";

    fn preview(text: &str) -> CsvPreview {
        parse_numbers(text.as_bytes(), &Existing::default()).unwrap()
    }

    #[test]
    fn headers_are_recognised_in_provider_spellings() {
        for (cell, column) in [
            ("PhoneNumber", Column::PhoneNumber),
            ("phone_number", Column::PhoneNumber),
            ("Date Created", Column::DateBought),
            ("date_bought", Column::DateBought),
            ("FRIENDLY-NAME", Column::FriendlyName),
            ("AddressSid", Column::AddressSid),
            ("identity_sid", Column::IdentitySid),
        ] {
            assert_eq!(Column::from_header(cell), Some(column), "{cell}");
        }
        assert_eq!(Column::from_header("Sid"), None);
    }

    /// The page checks a large file in steps; the steps must add up to the one-go preview,
    /// duplicates across steps and line numbers included.
    #[test]
    fn checking_in_steps_gives_the_same_preview() {
        let text = "Phone Number,Date Bought\r\n+49301234567,2024-01-02\r\n\r\nnot a number,2024-01-02\r\n\
                    +49301234567,2024-01-03\r\n+49891234567,2024-01-02\r\n+494012345678,someday\r\n";
        let whole = preview(text);
        let existing = Existing::default();
        let mut check = CsvCheck::start(text.as_bytes(), &existing).unwrap();
        let mut steps = 0;
        let mut last = 0;
        while !check.step(2).unwrap() {
            steps += 1;
            let (done, total) = check.progress();
            assert!(last <= done && done <= total, "{last} {done} {total}");
            last = done;
        }
        assert!(steps >= 2, "{steps}");
        assert_eq!(check.finish(), whole);
        assert_eq!(whole.errors().count(), 3, "{:?}", whole.rows);
    }

    /// Regression: a purchase date of 2099 was imported as "bought before the rules".
    #[test]
    fn a_purchase_date_after_the_import_is_refused() {
        let now = Timestamp(parse_instant("2026-12-01T12:00:00Z").unwrap());
        let existing = Existing {
            now: Some(now),
            ..Existing::default()
        };
        let text = "Phone Number,Date Bought\n+49301234567,2099-01-01\n+49301234568,2026-12-01T11:59:00Z\n";
        let p = parse_numbers(text.as_bytes(), &existing).unwrap();
        let errors: Vec<&RowError> = p.errors().collect();
        assert_eq!(errors.len(), 1, "{:?}", p.rows);
        assert_eq!(errors[0].row, 2);
        assert_eq!(
            errors[0].problems,
            vec![RowProblem::BadDate(
                "\"2099-01-01\" is in the future: a number cannot have been bought after today"
                    .into()
            )]
        );
        assert_eq!(p.valid().count(), 1);
    }

    /// Regression: a file with Windows line ends (CR LF, as Excel saves it) had every row
    /// numbered one too low, so errors pointed at the wrong line.
    #[test]
    fn rows_are_numbered_alike_whatever_ends_the_lines() {
        let lines = [
            "Phone Number,Date Bought",
            "+49301234567,2024-01-02",
            "\"+4940\n123456\",2024-01-02",
            "not a number,2024-01-02",
            "+49891234567,2024-01-02",
        ];
        for end in ["\n", "\r\n", "\r"] {
            let p = preview(&lines.join(end));
            let numbered: Vec<u64> = p
                .rows
                .iter()
                .map(|r| match r {
                    Ok(d) => d.row,
                    Err(e) => e.row,
                })
                .collect();
            // The quoted number spans lines 3 and 4, so the next row is on line 5.
            assert_eq!(numbered, vec![2, 3, 5, 6], "line end {end:?}");
        }
    }

    #[test]
    fn a_twilio_style_export_imports_as_legacy_numbers() {
        let text = "\u{feff}Sid,PhoneNumber,FriendlyName,DateCreated,AddressSid\n\
                    PN1,+49 30 1234567,Berlin office,\"Wed, 01 May 2024 10:00:00 +0000\",\n\
                    PN2,+4940123456,,2023-02-03,\n";
        let p = preview(text);
        assert_eq!(p.errors().count(), 0, "{:?}", p.rows);
        let drafts: Vec<&NumberDraft> = p.valid().collect();
        assert_eq!(drafts[0].e164.to_string(), "+49301234567");
        assert_eq!(drafts[0].friendly_name, "Berlin office");
        assert_eq!(drafts[0].row, 2);
        assert_eq!(
            drafts[0].bought,
            Timestamp(parse_instant("2024-05-01T10:00:00Z").unwrap())
        );
        let number = drafts[1]
            .clone()
            .into_number(NumberSid::from_bytes([1; 16]));
        assert!(number.legacy);
        assert_eq!(number.locality(), Some("Hamburg"));
        assert_eq!(
            number.bought.date_utc(),
            crate::domain::time::calendar::date(2023, 2, 3)
        );
    }

    #[test]
    fn every_row_problem_is_reported_with_its_row() {
        let owned = E164::parse("+49307654321").unwrap();
        let address = AddressSid::from_bytes([5; 16]);
        let existing = Existing {
            numbers: HashSet::from([owned]),
            addresses: HashSet::from([address]),
            ..Default::default()
        };
        let text = format!(
            "{HEADER}+4930 1234567,,2024-01-01,{address},\n\
             +4930 1234567,,2024-01-01,,\n\
             +49307654321,,2024-01-01,,\n\
             4930555,,2024-01-01,,\n\
             +86 10 1234 5678,,2024-01-01,,\n\
             +49305555555,,last tuesday,,\n\
             +49306666666,,2024-01-01,AD123,\n\
             +49307777777,,2024-01-01,,RIffffffffffffffffffffffffffffffff\n\
             ,,,,\n"
        );
        let p = parse_numbers(text.as_bytes(), &existing).unwrap();
        assert_eq!(p.valid().count(), 1);
        let problems: Vec<(u64, &RowProblem)> =
            p.errors().map(|e| (e.row, &e.problems[0])).collect();
        assert!(matches!(
            problems[0],
            (3, RowProblem::DuplicateInFile { first_row: 2 })
        ));
        assert!(matches!(problems[1], (4, RowProblem::AlreadyOwned)));
        assert!(matches!(
            problems[2],
            (5, RowProblem::BadNumber(E164Error::MissingPlus))
        ));
        assert!(matches!(
            problems[3],
            (
                6,
                RowProblem::Unclassifiable(ClassifyError::UnsupportedCountry { .. })
            )
        ));
        assert!(matches!(problems[4], (7, RowProblem::BadDate(_))));
        assert!(matches!(
            problems[5],
            (
                8,
                RowProblem::BadSid {
                    column: Column::AddressSid,
                    ..
                }
            )
        ));
        assert!(matches!(
            problems[6],
            (
                9,
                RowProblem::UnknownRecord {
                    column: Column::IdentitySid
                }
            )
        ));
        assert_eq!(p.rows.len(), 8, "the blank row is skipped");
        assert!(p.errors().next().unwrap().to_string().starts_with("row 3:"));
    }

    #[test]
    fn whole_file_errors() {
        let none = Existing::default();
        assert_eq!(parse_numbers(b"", &none), Err(CsvError::Empty));
        assert!(matches!(
            parse_numbers(b"Name,Date\nx,y\n", &none),
            Err(CsvError::NoPhoneColumn { .. })
        ));
        assert!(matches!(
            parse_numbers(b"Number\n+49301234567\n", &none),
            Err(CsvError::NoDateColumn { .. })
        ));
        assert_eq!(
            parse_numbers(b"Number,Phone,Date\n", &none),
            Err(CsvError::DuplicateColumn(Column::PhoneNumber))
        );
    }

    #[test]
    fn semicolons_and_ragged_rows_are_read() {
        let p = preview("Nummer;Phone Number;Date Bought\nx;+49301234567;2024-01-01\nshort\n");
        assert_eq!(p.valid().count(), 1);
        assert!(matches!(
            p.errors().next().unwrap().problems[..],
            [
                RowProblem::BadNumber(E164Error::Empty),
                RowProblem::BadDate(_)
            ]
        ));
    }

    #[test]
    fn ten_thousand_rows_with_some_errors() {
        let mut text = String::from(HEADER);
        let mut expected_errors = 0;
        for i in 0..10_000u32 {
            if i % 100 == 7 {
                text.push_str(&format!("+49 30 {:07},,not a date,,\n", 1_000_000 + i));
                expected_errors += 1;
            } else if i % 250 == 3 {
                text.push_str("+999123456789,,2024-01-01,,\n");
                expected_errors += 1;
            } else {
                text.push_str(&format!(
                    "+49 30 {:07},Line {i},2024-01-01,,\n",
                    1_000_000 + i
                ));
            }
        }
        let p = preview(&text);
        assert_eq!(p.rows.len(), 10_000);
        assert_eq!(p.errors().count(), expected_errors);
        assert_eq!(p.valid().count(), 10_000 - expected_errors);
        let mut rng = crate::domain::records::sid::SeededRandom::new(1);
        let numbers = p.numbers(&mut rng);
        let unique: HashSet<_> = numbers.iter().map(|n| n.sid).collect();
        assert_eq!(unique.len(), numbers.len());
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let day = |ts: Timestamp| ts.date_utc();
        assert_eq!(
            day(parse_date("2024-05-01 10:00:00").unwrap()),
            crate::domain::time::calendar::date(2024, 5, 1)
        );
        assert!(parse_date("2024-05-01T10:00:00+02:00").is_ok());
        assert!(parse_date("").unwrap_err().contains("missing"));
        assert!(parse_date("05/01/2024").is_err());
    }
}
