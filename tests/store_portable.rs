//! Backup and restore, CSV import and bulk mapping against the browser's real IndexedDB: a round
//! trip keeps every record and scan byte, a bad file or a colliding merge changes nothing, and the
//! bulk actions write exactly the rows and numbers that fit.
#![cfg(target_arch = "wasm32")]

#[path = "support/store_fixtures.rs"]
mod fixtures;

#[path = "support/domain_fixtures.rs"]
mod rules;

use fixtures::*;
use regdesk::domain::exchange::csv_import::{RowProblem, parse_numbers};
use regdesk::domain::exchange::portable::{
    ImportError, ImportMode, RecordKind, Workspace, validate,
};
use regdesk::domain::records::document::Status;
use regdesk::domain::records::files::sha256_hex;
use regdesk::domain::records::kinds::{Country, EndUserType, NumberType};
use regdesk::domain::records::sid::{AddressSid, SeededRandom};
use regdesk::domain::rules::bulk::Side;
use regdesk::domain::rules::compliance::Compliance;
use regdesk::domain::rules::regulation::RegulationKey;
use regdesk::store::queue::QueueEntry;
use regdesk::store::workspace::{self, ExportFile};
use regdesk::store::{Db, activity, addresses, documents, numbers, queue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A small but complete workspace: an address, a Pending document with its scan and queue entry,
/// a Passed one, a mapped number, an unmapped one, and their activity. Returns the scan's bytes.
async fn seed(db: &Db, sids: &mut Sids) -> Vec<u8> {
    let berlin = address(sids.address(), "Berlin", "10117");
    addresses::create(db, &berlin, &event(sids.event(), "a"))
        .await
        .unwrap();
    let bytes = png_bytes(20_000);
    let (mut doc, scan) = document(sids.identity(), Some(berlin.sid), &bytes);
    doc.submit(NOW).unwrap();
    let entry = QueueEntry {
        document_sid: doc.sid,
        submitted: NOW,
        delay_minutes: 600,
        due: NOW.plus_ms(10_000),
    };
    documents::save(db, &doc, &[scan], Some(&entry), &[event(sids.event(), "d")])
        .await
        .unwrap();
    let (mut second, scan2) = document(sids.identity(), Some(berlin.sid), &png_bytes(3_000));
    second.submit(NOW).unwrap();
    second.decide(NOW.plus_ms(1), vec![], "reviewed").unwrap();
    documents::save(db, &second, &[scan2], None, &[event(sids.event(), "p")])
        .await
        .unwrap();
    let mut mapped = number(sids.number(), "+49301234567");
    mapped.identity_sid = Some(second.sid);
    mapped.address_sid = Some(berlin.sid);
    let plain = number(sids.number(), "+4915712345678");
    numbers::add(
        db,
        &[
            (mapped, Compliance::Compliant),
            (plain, Compliance::NotRegulated),
        ],
        &event(sids.event(), "n"),
    )
    .await
    .unwrap();
    bytes
}

async fn export_bytes(db: &Db) -> (ExportFile, Vec<u8>) {
    let file = workspace::export(db, NOW).await.unwrap();
    let bytes = bytes_of(&file.blob).await;
    (file, bytes)
}

/// Every scan of the workspace, `(document, sha, mime, bytes)`, for byte-for-byte comparison.
async fn scans_of(db: &Db, ws: &Workspace) -> Vec<(String, String, String, Vec<u8>)> {
    let mut out = Vec::new();
    for doc in &ws.documents {
        for file in &doc.files {
            let blob = documents::scan(db, &file.sha256)
                .await
                .unwrap()
                .expect("scan stored");
            out.push((
                doc.sid.to_string(),
                file.sha256.clone(),
                blob.type_(),
                bytes_of(&blob).await,
            ));
        }
    }
    out
}

/// The file with its body changed by `edit` and its checksum recomputed, so the record checks
/// (not the checksum) must catch the change.
fn resealed(bytes: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    edit(&mut value["body"]);
    let body = serde_json::to_string(&value["body"]).unwrap();
    value["checksum"] = sha256_hex(body.as_bytes()).into();
    serde_json::to_vec(&value).unwrap()
}

#[wasm_bindgen_test]
async fn export_then_import_into_an_empty_database_gives_identical_records() {
    let (from, to) = (unique_name("export-from"), unique_name("export-to"));
    let mut sids = Sids::new(101);
    let db = Db::open(&from).await.unwrap();
    let scan_bytes = seed(&db, &mut sids).await;
    let before = workspace::snapshot(&db).await.unwrap();
    let before_scans = scans_of(&db, &before).await;
    let (file, bytes) = export_bytes(&db).await;
    assert_eq!(file.counts.scans, 2);
    assert!(file.missing_scans.is_empty());
    assert!(file.file_name.ends_with(".json"));
    assert_eq!(file.blob.type_(), "application/json");

    let fresh = Db::open(&to).await.unwrap();
    let validated = validate(&bytes).unwrap();
    let import_event = sids.event();
    let report = workspace::import(&fresh, validated, ImportMode::Replace, import_event, NOW)
        .await
        .unwrap();
    assert!(report.written());
    assert_eq!(report.added, file.counts);

    let mut after = workspace::snapshot(&fresh).await.unwrap();
    let logged = after.activity.iter().position(|e| e.sid == import_event);
    let logged = after.activity.remove(logged.expect("the import is logged"));
    assert!(
        logged.summary.starts_with("Workspace replaced"),
        "{}",
        logged.summary
    );
    assert_eq!(after, before);
    let after_scans = scans_of(&fresh, &after).await;
    assert_eq!(after_scans, before_scans);
    assert!(after_scans.iter().any(|s| s.3 == scan_bytes));
    // The store-level views agree: the queue entry, the stored compliance index.
    assert_eq!(queue::all(&fresh).await.unwrap().len(), 1);
    assert_eq!(
        numbers::with_compliance(&fresh, "compliant")
            .await
            .unwrap()
            .len(),
        1
    );
    // Exporting the restored workspace gives the same body (the checksum matches).
    let (_, again) = export_bytes(&fresh).await;
    let sum = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap()["body"].clone();
    let mut expected = sum(&bytes);
    expected["activity"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::to_value(&logged).unwrap());
    let mut got = sum(&again);
    let by_sid = |v: &mut serde_json::Value| {
        v["activity"]
            .as_array_mut()
            .unwrap()
            .sort_by_key(|e| e["sid"].as_str().unwrap().to_string())
    };
    by_sid(&mut expected);
    by_sid(&mut got);
    assert_eq!(got, expected);
    db.close();
    fresh.close();
    Db::delete(&from).await.unwrap();
    Db::delete(&to).await.unwrap();
}

#[wasm_bindgen_test]
async fn bad_files_are_rejected_precisely_and_change_nothing() {
    let name = unique_name("bad-files");
    let mut sids = Sids::new(102);
    let db = Db::open(&name).await.unwrap();
    seed(&db, &mut sids).await;
    let (_, good) = export_bytes(&db).await;
    let before = workspace::snapshot(&db).await.unwrap();
    let before_scans = scans_of(&db, &before).await;

    // Corrupted: one byte of the body changed.
    let text = String::from_utf8(good.clone()).unwrap();
    let corrupted = text.replacen("Berlin", "Bxrlin", 1);
    let err = validate(corrupted.as_bytes()).unwrap_err();
    assert!(
        matches!(err, ImportError::ChecksumMismatch { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("changed or damaged"), "{err}");

    // Truncated: a download cut short.
    let err = validate(&good[..good.len() * 2 / 3]).unwrap_err();
    assert!(matches!(err, ImportError::Truncated { .. }), "{err:?}");
    assert!(err.to_string().contains("cut off"), "{err}");

    // Wrong version.
    let v9 = text.replacen("\"version\":2,", "\"version\":9,", 1);
    let err = validate(v9.as_bytes()).unwrap_err();
    assert_eq!(err, ImportError::UnsupportedVersion { found: 9 });
    assert!(err.to_string().contains("format version 9"), "{err}");

    // A dangling reference, with a valid checksum: the number names an address not in the file.
    let ghost = AddressSid::generate(&mut SeededRandom::new(5));
    let mapped = before
        .numbers
        .iter()
        .position(|n| n.address_sid.is_some())
        .unwrap();
    let dangling = resealed(&good, |body| {
        body["numbers"][mapped]["address_sid"] = ghost.to_string().into()
    });
    let ImportError::Record(e) = validate(&dangling).unwrap_err() else {
        panic!("expected a record error");
    };
    assert_eq!(e.kind, RecordKind::Number);
    assert_eq!(e.sid, Some(before.numbers[mapped].sid.to_string()));
    assert_eq!(e.field, "address_sid");
    assert!(e.to_string().contains(&ghost.to_string()), "{e}");

    // A valid file whose import fails at its very last write (the import event reuses an event
    // SID of the file) rolls back the Replace's clearing too.
    let valid = validate(&good).unwrap();
    let taken = valid.workspace.activity[0].sid;
    let err = workspace::import(&db, valid, ImportMode::Replace, taken, NOW)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            regdesk::store::StoreError::Conflict(_) | regdesk::store::StoreError::Database(_)
        ),
        "{err:?}"
    );

    assert_eq!(workspace::snapshot(&db).await.unwrap(), before);
    assert_eq!(scans_of(&db, &before).await, before_scans);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_merge_with_a_collision_reports_the_sid_and_writes_nothing() {
    let (from, to) = (unique_name("merge-from"), unique_name("merge-to"));
    let mut sids = Sids::new(103);
    let source = Db::open(&from).await.unwrap();
    seed(&source, &mut sids).await;
    let (_, bytes) = export_bytes(&source).await;
    let exported = workspace::snapshot(&source).await.unwrap();

    // The target has its own number, and an address under the file's address SID but different.
    let target = Db::open(&to).await.unwrap();
    let own = number(sids.number(), "+49409876543");
    numbers::add(
        &target,
        &[(own.clone(), Compliance::NotRegulated)],
        &event(sids.event(), "own"),
    )
    .await
    .unwrap();
    let clash = address(exported.addresses[0].sid, "Hamburg", "20095");
    addresses::create(&target, &clash, &event(sids.event(), "clash"))
        .await
        .unwrap();
    let before = workspace::snapshot(&target).await.unwrap();

    let report = workspace::import(
        &target,
        validate(&bytes).unwrap(),
        ImportMode::Merge,
        sids.event(),
        NOW,
    )
    .await
    .unwrap();
    assert!(!report.written());
    assert_eq!(report.collisions.len(), 1, "{:?}", report.collisions);
    assert_eq!(report.collisions[0].kind, RecordKind::Address);
    assert_eq!(report.collisions[0].sid, clash.sid.to_string());
    assert_eq!(workspace::snapshot(&target).await.unwrap(), before);

    // Without the clash the merge adds the file beside the target's own number; merging the same
    // file again adds nothing and reports everything unchanged.
    addresses::delete(&target, clash.sid, &event(sids.event(), "del"))
        .await
        .unwrap();
    let report = workspace::import(
        &target,
        validate(&bytes).unwrap(),
        ImportMode::Merge,
        sids.event(),
        NOW,
    )
    .await
    .unwrap();
    assert!(report.written());
    assert_eq!(report.added.numbers, 2);
    assert_eq!(report.added.scans, 2);
    let merged = workspace::snapshot(&target).await.unwrap();
    assert_eq!(merged.numbers.len(), 3);
    assert!(merged.numbers.contains(&own));
    assert_eq!(merged.documents, exported.documents);
    assert_eq!(
        scans_of(&target, &merged).await,
        scans_of(&source, &exported).await
    );
    let report = workspace::import(
        &target,
        validate(&bytes).unwrap(),
        ImportMode::Merge,
        sids.event(),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(report.added.total(), 0);
    assert_eq!(report.unchanged.numbers, 2);
    source.close();
    target.close();
    Db::delete(&from).await.unwrap();
    Db::delete(&to).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_ten_thousand_row_csv_imports_with_its_row_errors() {
    let name = unique_name("csv");
    let mut sids = Sids::new(104);
    let db = Db::open(&name).await.unwrap();
    let owned = number(sids.number(), "+49301000004");
    numbers::add(
        &db,
        &[(owned, Compliance::NotRegulated)],
        &event(sids.event(), "owned"),
    )
    .await
    .unwrap();

    let mut csv = String::from("PhoneNumber,FriendlyName,DateCreated,AddressSid\n");
    for i in 0..10_000u32 {
        match i {
            17 => csv.push_str("+49301000003,dup,2024-01-01,\n"),
            42 => csv.push_str("030 1234,bad,2024-01-01,\n"),
            99 => csv.push_str("+8610123456789,abroad,2024-01-01,\n"),
            500 => csv.push_str("+49301500500,late,someday,\n"),
            700 => csv.push_str("+49301700700,sid,2024-01-01,AD12\n"),
            _ => csv.push_str(&format!(
                "+49 30 {:07},Line {i},2024-03-0{},\n",
                1_000_000 + i,
                1 + i % 9
            )),
        }
    }
    let existing = workspace::existing(&db).await.unwrap();
    let preview = parse_numbers(csv.as_bytes(), &existing).unwrap();
    let errors: Vec<_> = preview.errors().collect();
    // Row numbers count the header as line 1; row 6 is i = 4 (+49301000004, already owned).
    let rows: Vec<u64> = errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, vec![6, 19, 44, 101, 502, 702]);
    assert!(matches!(errors[0].problems[0], RowProblem::AlreadyOwned));
    assert!(matches!(
        errors[1].problems[0],
        RowProblem::DuplicateInFile { first_row: 5 }
    ));
    assert!(matches!(errors[2].problems[0], RowProblem::BadNumber(_)));
    assert!(matches!(
        errors[3].problems[0],
        RowProblem::Unclassifiable(_)
    ));
    assert!(matches!(errors[4].problems[0], RowProblem::BadDate(_)));
    assert!(matches!(errors[5].problems[0], RowProblem::BadSid { .. }));

    let imported = preview.numbers(&mut SeededRandom::new(7));
    assert_eq!(imported.len(), 10_000 - 6);
    let mut reports = Vec::new();
    let count = workspace::import_numbers(&db, &imported, sids.event(), NOW, |done, total| {
        reports.push((done, total))
    })
    .await
    .unwrap();
    assert_eq!(count, imported.len());
    assert_eq!(reports.first(), Some(&(0, count)));
    assert_eq!(reports.last(), Some(&(count, count)));
    assert_eq!(reports.len(), 1 + count.div_ceil(500));
    let stored = numbers::list(&db).await.unwrap();
    assert_eq!(stored.len(), count + 1);
    let sample = numbers::get(&db, imported[0].sid).await.unwrap().unwrap();
    assert!(sample.legacy);
    assert_eq!(sample.locality(), Some("Berlin"));
    assert_eq!(activity::count(&db).await.unwrap(), 2);

    // Importing the same numbers again is refused whole, before any write.
    let err = workspace::import_numbers(&db, &imported[..3], sids.event(), NOW, |_, _| {})
        .await
        .unwrap_err();
    assert!(
        matches!(err, regdesk::store::StoreError::Conflict(_)),
        "{err:?}"
    );
    assert_eq!(numbers::list(&db).await.unwrap().len(), count + 1);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn bulk_mapping_maps_the_eligible_numbers_and_reports_the_rest() {
    let name = unique_name("bulk");
    let mut sids = Sids::new(105);
    let db = Db::open(&name).await.unwrap();
    let berlin = address(sids.address(), "Berlin", "10117");
    addresses::create(&db, &berlin, &event(sids.event(), "a"))
        .await
        .unwrap();
    let key = RegulationKey {
        country: Country::DE,
        number_type: NumberType::Local,
        end_user_type: EndUserType::Business,
    };
    let regulation = rules::catalog().get(&key).unwrap();
    let doc = rules::passed(regulation, sids.identity(), Some(&berlin), Some("4930"));
    assert_eq!(doc.status, Status::Passed);
    documents::save(&db, &doc, &[], None, &[event(sids.event(), "d")])
        .await
        .unwrap();
    let fits = [
        number(sids.number(), "+49301234567"),
        number(sids.number(), "+49301234568"),
    ];
    let hamburg = number(sids.number(), "+4940123456");
    let mobile = number(sids.number(), "+4915712345678");
    let all: Vec<_> = fits
        .iter()
        .chain([&hamburg, &mobile])
        .map(|n| (n.clone(), Compliance::NonCompliant(vec![])))
        .collect();
    numbers::add(&db, &all, &event(sids.event(), "n"))
        .await
        .unwrap();
    let selected: Vec<_> = all.iter().map(|(n, _)| n.sid).collect();

    let report = workspace::bulk_map(
        &db,
        &selected,
        Side::Set(doc.sid),
        Side::Set(berlin.sid),
        sids.event(),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(report.mapped, vec![fits[0].sid, fits[1].sid]);
    let refused: Vec<_> = report.refused.iter().map(|r| r.sid).collect();
    assert_eq!(refused, vec![hamburg.sid, mobile.sid]);
    assert!(report.refused.iter().all(|r| !r.reasons.is_empty()));

    for n in &fits {
        let stored = numbers::get(&db, n.sid).await.unwrap().unwrap();
        assert_eq!(
            (stored.identity_sid, stored.address_sid),
            (Some(doc.sid), Some(berlin.sid))
        );
    }
    assert_eq!(numbers::get(&db, hamburg.sid).await.unwrap(), Some(hamburg));
    assert_eq!(numbers::get(&db, mobile.sid).await.unwrap(), Some(mobile));
    let compliant = numbers::with_compliance(&db, "compliant").await.unwrap();
    assert_eq!(compliant.len(), 2);
    assert_eq!(activity::count(&db).await.unwrap(), 4);

    // A later change to one of the mapped numbers: the undo is refused whole, naming it.
    let entry = report.entry.expect("logged");
    let mut touched = numbers::get(&db, fits[0].sid).await.unwrap().unwrap();
    touched.address_sid = None;
    numbers::update(
        &db,
        &[(touched.clone(), Compliance::NonCompliant(vec![]))],
        &event(sids.event(), "by hand"),
    )
    .await
    .unwrap();
    let refused = workspace::undo_bulk(&db, entry, sids.event(), NOW)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("+49 30 1234567"), "{refused}");
    assert_eq!(
        numbers::get(&db, fits[1].sid)
            .await
            .unwrap()
            .unwrap()
            .identity_sid,
        Some(doc.sid)
    );
    assert_eq!(
        activity::count(&db).await.unwrap(),
        5,
        "nothing logged by a refusal"
    );

    // Put back as the bulk mapping left it, the undo restores both numbers exactly, once.
    touched.address_sid = Some(berlin.sid);
    numbers::update(
        &db,
        &[(touched, Compliance::Compliant)],
        &event(sids.event(), "back"),
    )
    .await
    .unwrap();
    assert_eq!(
        workspace::undo_bulk(&db, entry, sids.event(), NOW)
            .await
            .unwrap(),
        2
    );
    for n in &fits {
        assert_eq!(numbers::get(&db, n.sid).await.unwrap().as_ref(), Some(n));
    }
    assert!(
        numbers::with_compliance(&db, "compliant")
            .await
            .unwrap()
            .is_empty()
    );
    let log = activity::newest(&db, 10).await.unwrap();
    let undone = log.iter().find(|e| e.sid == entry).unwrap();
    let undo_sid = undone
        .bulk
        .as_ref()
        .unwrap()
        .undone_by
        .expect("marked undone");
    let undo = log
        .iter()
        .find(|e| e.sid == undo_sid)
        .expect("the undo is logged");
    assert_eq!(undo.bulk.as_ref().unwrap().undoes, Some(entry));
    // A number's history has the bulk entry and its undo, through the log's number index.
    let history: Vec<_> = activity::about_number(&db, fits[1].sid)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.sid)
        .collect();
    assert!(
        history.contains(&entry) && history.contains(&undo_sid),
        "{history:?}"
    );
    let again = workspace::undo_bulk(&db, entry, sids.event(), NOW)
        .await
        .unwrap_err();
    assert!(again.to_string().contains("undone already"), "{again}");
    db.close();
    Db::delete(&name).await.unwrap();
}
