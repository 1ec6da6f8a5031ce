//! The compliance report: one CSV row per number with what a regulator or an auditor asks (the
//! number, its label, where and what it is, its compliance and what it lacks, the entity,
//! document and address behind it, and the dates), written a batch at a time so the page can
//! show progress over 50,000 rows; and the activity log as CSV and as JSON, the audit trail.

use crate::domain::records::activity::Event;
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::entity::Entity;
use crate::domain::records::number::PhoneNumber;
use crate::domain::rules::compliance::{Compliance, NumberRef};
use crate::domain::rules::gap::{Gap, reason};
use crate::domain::time::calendar::Date;

/// The report's columns.
pub const HEADER: [&str; 17] = [
    "Number",
    "Number as written",
    "Label",
    "Country",
    "Type",
    "Local area",
    "Compliance",
    "What is missing",
    "Entity",
    "Identity document",
    "Document SID",
    "Document status",
    "Valid until",
    "Address",
    "Address SID",
    "Bought",
    "Bought before the rules",
];

/// What one row is made of: a number as judged, and the records behind it.
pub struct ReportLine<'a> {
    /// The number.
    pub number: &'a PhoneNumber,
    /// Its compliance.
    pub compliance: &'a Compliance,
    /// What it lacks.
    pub gap: Option<&'a Gap>,
    /// Its mapped document.
    pub document: Option<&'a IdentityDocument>,
    /// That document's entity.
    pub entity: Option<&'a Entity>,
    /// Its mapped address.
    pub address: Option<&'a Address>,
}

/// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`: a
/// label typed as `=HYPERLINK(…)` must stay text in the auditor's spreadsheet. The two number
/// columns are exempt: they are never typed, and their `+` is the standard form.
fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// A report being written.
pub struct ReportWriter {
    out: csv::Writer<Vec<u8>>,
    rows: usize,
    today: Date,
}

impl ReportWriter {
    /// A report as of `today`, its header written.
    pub fn new(today: Date) -> ReportWriter {
        let mut out = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = out.write_record(HEADER);
        ReportWriter {
            out,
            rows: 0,
            today,
        }
    }

    /// Adds one number's row.
    pub fn write(&mut self, line: &ReportLine<'_>) {
        let n = line.number;
        let today = self.today;
        let document = line.document;
        let expiry = document.and_then(|d| d.expiry());
        let record = [
            n.e164.to_string(),
            n.e164.format_grouped(),
            cell(&n.friendly_name),
            n.country.name().to_string(),
            n.number_type.label().to_string(),
            n.area
                .as_ref()
                .map(|a| cell(&format!("{} (+{})", a.name, a.prefix)))
                .unwrap_or_default(),
            line.compliance.label().to_string(),
            cell(&reason(line.compliance, line.gap, &NumberRef::of(n), today).unwrap_or_default()),
            cell(&line.entity.map(Entity::name).unwrap_or_default()),
            cell(
                &document
                    .map(IdentityDocument::display_name)
                    .unwrap_or_default(),
            ),
            document.map(|d| d.sid.to_string()).unwrap_or_default(),
            document
                .map(|d| d.standing(today).label().to_string())
                .unwrap_or_default(),
            expiry.map(|e| e.last_day.to_string()).unwrap_or_default(),
            cell(&line.address.map(Address::one_line).unwrap_or_default()),
            line.address.map(|a| a.sid.to_string()).unwrap_or_default(),
            n.bought.to_iso(),
            if n.legacy { "yes" } else { "no" }.to_string(),
        ];
        let _ = self.out.write_record(&record);
        self.rows += 1;
    }

    /// How many rows were written.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The file's bytes (UTF-8, with a byte-order mark so spreadsheet programs read the accents).
    pub fn finish(self) -> Vec<u8> {
        let body = self.out.into_inner().unwrap_or_default();
        let mut bytes = Vec::with_capacity(body.len() + 3);
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
        bytes.extend(body);
        bytes
    }
}

/// The log's columns.
pub const LOG_HEADER: [&str; 7] = [
    "Time (UTC)",
    "Kind",
    "Source",
    "Record",
    "Summary",
    "Numbers changed",
    "Entry SID",
];

/// The log entries as CSV, in the order given (with a byte-order mark, as the report).
pub fn log_csv(events: &[Event]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(LOG_HEADER);
    for e in events {
        let changed = e.bulk.as_ref().map_or(0, |b| b.changes.len());
        let _ = out.write_record([
            e.at.to_iso(),
            e.kind.label().to_string(),
            e.source().label().to_string(),
            e.subject.clone(),
            cell(&e.summary),
            changed.to_string(),
            e.sid.to_string(),
        ]);
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(out.into_inner().unwrap_or_default());
    bytes
}

/// The log entries as JSON, each whole: a status change carries its callback (the webhook's
/// body), a bulk entry every number's mapping before and after.
pub fn log_json(events: &[Event]) -> Vec<u8> {
    serde_json::to_vec_pretty(events).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo;
    use crate::domain::records::sid::SeededRandom;
    use crate::domain::rules::compliance::Lookup;
    use crate::domain::time::Timestamp;
    use crate::domain::time::calendar::parse_instant;

    #[test]
    fn one_row_per_number_with_its_reason_and_formulas_defused() {
        let now = Timestamp(parse_instant("2026-12-01T12:00:00Z").unwrap());
        let mut ws = demo::build(now, &mut SeededRandom::new(3)).workspace;
        ws.numbers[0].friendly_name = "=HYPERLINK(\"x\")".into();
        let today = now.date_utc();
        let lookup = Lookup::new(&ws.documents, &ws.addresses);
        let mut report = ReportWriter::new(today);
        for n in &ws.numbers {
            let (compliance, gap) = lookup.assess(n, today);
            let document = lookup.document(n.identity_sid);
            report.write(&ReportLine {
                number: n,
                compliance: &compliance,
                gap: gap.as_ref(),
                document,
                entity: None,
                address: lookup.address(n.address_sid),
            });
        }
        assert_eq!(report.rows(), ws.numbers.len());
        let bytes = report.finish();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let mut read = csv::Reader::from_reader(&bytes[3..]);
        assert_eq!(read.headers().unwrap().len(), HEADER.len());
        let rows: Vec<csv::StringRecord> = read.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), ws.numbers.len());
        assert_eq!(&rows[0][0], ws.numbers[0].e164.to_string());
        assert_eq!(&rows[0][2], "'=HYPERLINK(\"x\")");
        for row in &rows {
            if &row[6] == "Non-compliant" {
                assert!(!row[7].is_empty(), "a reason for {}", &row[0]);
            }
        }
    }

    #[test]
    fn the_log_exports_as_csv_and_json_with_sources() {
        let now = Timestamp(parse_instant("2026-12-01T12:00:00Z").unwrap());
        let ws = demo::build(now, &mut SeededRandom::new(3)).workspace;
        assert!(!ws.activity.is_empty());
        let csv_bytes = log_csv(&ws.activity);
        let mut read = csv::Reader::from_reader(&csv_bytes[3..]);
        let rows: Vec<csv::StringRecord> = read.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), ws.activity.len());
        for (row, e) in rows.iter().zip(&ws.activity) {
            assert_eq!(&row[6], e.sid.to_string());
            assert_eq!(&row[2], e.source().label());
        }
        let back: Vec<Event> = serde_json::from_slice(&log_json(&ws.activity)).unwrap();
        assert_eq!(back, ws.activity);
    }

    #[test]
    fn an_empty_report_is_its_header() {
        let today = Date::new(2026, 12, 5).unwrap();
        let report = ReportWriter::new(today);
        assert_eq!(report.rows(), 0);
        let text = String::from_utf8(report.finish()).unwrap();
        assert_eq!(text.trim_start_matches('\u{feff}').lines().count(), 1);
    }
}
