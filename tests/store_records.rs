//! The store against the browser's real IndexedDB: every entity's round trip, the scan's bytes,
//! the index queries the pages use, and a fresh connection (what a reload does) finding it all.
#![cfg(target_arch = "wasm32")]

#[path = "support/store_fixtures.rs"]
mod fixtures;

use fixtures::*;
use regdesk::domain::records::document::Status;
use regdesk::domain::rules::compliance::Compliance;
use regdesk::domain::time::Timestamp;
use regdesk::store::{
    Db, activity, addresses, counts, documents, meta, numbers, progress, queue, replica,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn every_entity_round_trips_and_survives_a_fresh_connection() {
    let name = unique_name("records");
    let mut sids = Sids::new(1);
    let db = Db::open(&name).await.unwrap();

    meta::set(&db, "workspace", "Acme GmbH").await.unwrap();
    let berlin = address(sids.address(), "Berlin", "10117");
    addresses::create(&db, &berlin, &event(sids.event(), "a"))
        .await
        .unwrap();
    let bytes = png_bytes(4096);
    let (doc, scan) = document(sids.identity(), Some(berlin.sid), &bytes);
    let (doc, entry) = save_pending(&db, &mut sids, doc, scan, NOW, 600, NOW.plus_ms(10_000)).await;
    let mut n = number(sids.number(), "+49301234567");
    n.identity_sid = Some(doc.sid);
    n.address_sid = Some(berlin.sid);
    numbers::add(
        &db,
        &[(n.clone(), Compliance::Compliant)],
        &event(sids.event(), "n"),
    )
    .await
    .unwrap();
    db.close();

    // What a reload does: a new connection to the same database.
    let db = Db::open(&name).await.unwrap();
    assert_eq!(
        meta::get(&db, "workspace").await.unwrap().as_deref(),
        Some("Acme GmbH")
    );
    assert_eq!(addresses::list(&db).await.unwrap(), vec![berlin.clone()]);
    assert_eq!(
        documents::get(&db, doc.sid).await.unwrap(),
        Some(doc.clone())
    );
    assert_eq!(numbers::get(&db, n.sid).await.unwrap(), Some(n.clone()));
    assert_eq!(queue::get(&db, doc.sid).await.unwrap(), Some(entry.clone()));
    assert_eq!(activity::count(&db).await.unwrap(), 3);

    // The scan's bytes, read back, equal what was stored.
    let blob = documents::scan(&db, &doc.files[0].sha256)
        .await
        .unwrap()
        .expect("scan stored");
    assert_eq!(bytes_of(&blob).await, bytes);
    assert_eq!(blob.type_(), "image/png");
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn index_queries_return_the_right_records() {
    let name = unique_name("indexes");
    let mut sids = Sids::new(2);
    let db = Db::open(&name).await.unwrap();
    let berlin = address(sids.address(), "Berlin", "10117");
    let munich = address(sids.address(), "München", "80331");
    for a in [&berlin, &munich] {
        addresses::create(&db, a, &event(sids.event(), "a"))
            .await
            .unwrap();
    }
    let (draft, scan_a) = document(sids.identity(), Some(berlin.sid), &png_bytes(100));
    documents::save(&db, &draft, &[scan_a], None, &[event(sids.event(), "d")])
        .await
        .unwrap();
    let (pending, scan_b) = document(sids.identity(), Some(munich.sid), &png_bytes(200));
    let (pending, _) = save_pending(
        &db,
        &mut sids,
        pending,
        scan_b,
        NOW,
        60,
        Timestamp(NOW.0 + 1000),
    )
    .await;

    let mut a = number(sids.number(), "+49301111111");
    a.identity_sid = Some(draft.sid);
    a.address_sid = Some(berlin.sid);
    let mut b = number(sids.number(), "+49892222222");
    b.address_sid = Some(munich.sid);
    let c = number(sids.number(), "+4915712345678");
    numbers::add(
        &db,
        &[
            (a.clone(), Compliance::Compliant),
            (b.clone(), Compliance::NonCompliant(vec![])),
            (c.clone(), Compliance::NonCompliant(vec![])),
        ],
        &event(sids.event(), "n"),
    )
    .await
    .unwrap();

    let sids_of = |v: Vec<regdesk::domain::records::number::PhoneNumber>| {
        let mut s: Vec<_> = v.into_iter().map(|n| n.sid).collect();
        s.sort();
        s
    };
    let mut noncompliant = vec![b.sid, c.sid];
    noncompliant.sort();
    assert_eq!(
        sids_of(numbers::of_document(&db, draft.sid).await.unwrap()),
        vec![a.sid]
    );
    assert_eq!(
        sids_of(numbers::of_address(&db, munich.sid).await.unwrap()),
        vec![b.sid]
    );
    assert_eq!(
        sids_of(numbers::with_compliance(&db, "noncompliant").await.unwrap()),
        noncompliant
    );
    assert_eq!(
        sids_of(numbers::with_compliance(&db, "compliant").await.unwrap()),
        vec![a.sid]
    );
    let pend: Vec<_> = documents::with_status(&db, Status::Pending)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.sid)
        .collect();
    assert_eq!(pend, vec![pending.sid]);
    // Several documents in one read; a SID with no document is left out.
    let many: Vec<_> = documents::get_many(&db, &[pending.sid, sids.identity(), draft.sid])
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.sid)
        .collect();
    assert_eq!(many, vec![pending.sid, draft.sid]);
    // A cold start's first page: the first numbers in E.164 order, with their stored slugs.
    let first: Vec<_> = numbers::first_page(&db, 2)
        .await
        .unwrap()
        .into_iter()
        .map(|(n, slug)| (n.sid, slug))
        .collect();
    assert_eq!(
        first,
        vec![(c.sid, "noncompliant".into()), (a.sid, "compliant".into())]
    );
    // The landing page's counts, from the same indexes without reading a record.
    assert_eq!(
        counts::read(&db, NOW.date_utc()).await.unwrap(),
        counts::Counts {
            pending: 1,
            passed: 0,
            expired: 0,
            expiring: [0; 3],
            failed: 0,
            numbers: 3,
            noncompliant: 2,
            addresses: 2,
        }
    );
    assert!(
        queue::due(&db, NOW).await.unwrap().is_empty(),
        "not yet due"
    );
    // Due exactly now counts as due (regression: indexed_db_futures 0.6.4 inverts `..=` bounds).
    assert_eq!(
        queue::due(&db, Timestamp(NOW.0 + 1000))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(numbers::list(&db).await.unwrap().len(), 3);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_activity_log_reads_newest_first_with_a_limit() {
    let name = unique_name("activity");
    let mut sids = Sids::new(3);
    let db = Db::open(&name).await.unwrap();
    for i in 0..5 {
        let mut e = event(sids.event(), &format!("s{i}"));
        e.at = Timestamp(NOW.0 + i * 1000);
        let a = address(sids.address(), "Berlin", "10117");
        addresses::create(&db, &a, &e).await.unwrap();
    }
    let newest = activity::newest(&db, 3).await.unwrap();
    let subjects: Vec<_> = newest.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(subjects, ["s4", "s3", "s2"]);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn refreshing_compliance_rewrites_only_stale_slugs() {
    let name = unique_name("refresh");
    let mut sids = Sids::new(4);
    let db = Db::open(&name).await.unwrap();
    // A Berlin number with no identity document is non-compliant; store it with a stale slug,
    // and a US number (not regulated) with the right one.
    let berlin = number(sids.number(), "+49301234567");
    let us = number(sids.number(), "+12025550123");
    numbers::add(
        &db,
        &[
            (berlin.clone(), Compliance::Compliant),
            (us.clone(), Compliance::NotRegulated),
        ],
        &event(sids.event(), "n"),
    )
    .await
    .unwrap();
    let today = NOW.date_utc();

    assert_eq!(numbers::refresh_compliance(&db, today).await.unwrap(), 1);
    let noncompliant = numbers::with_compliance(&db, "noncompliant").await.unwrap();
    assert_eq!(
        noncompliant.iter().map(|n| n.sid).collect::<Vec<_>>(),
        [berlin.sid]
    );
    assert!(
        numbers::with_compliance(&db, "compliant")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        numbers::with_compliance(&db, "not-regulated")
            .await
            .unwrap()
            .len(),
        1
    );
    // Now every slug is today's: the read-only pass finds nothing and nothing is written.
    assert_eq!(numbers::refresh_compliance(&db, today).await.unwrap(), 0);
    assert_eq!(numbers::list(&db).await.unwrap().len(), 2);
}

/// A name is not something review checks: a Pending document is renamed as it is, with one log
/// entry naming both names; an empty name is refused and changes nothing.
#[wasm_bindgen_test]
async fn a_document_is_renamed_in_any_status_with_one_log_entry() {
    let name = unique_name("rename");
    let db = Db::open(&name).await.unwrap();
    let mut sids = Sids::new(31);
    let (doc, scan) = document(sids.identity(), None, &png_bytes(512));
    let (doc, _) = save_pending(&db, &mut sids, doc, scan, NOW, 60, NOW).await;
    let before = activity::count(&db).await.unwrap();
    let later = Timestamp(NOW.0 + 1000);
    let renamed = documents::rename(&db, doc.sid, "  Berlin excerpt  ", sids.event(), later)
        .await
        .unwrap();
    assert_eq!(renamed.name, "Berlin excerpt");
    let stored = documents::get(&db, doc.sid).await.unwrap().unwrap();
    assert_eq!(stored.name, "Berlin excerpt");
    assert_eq!(stored.status, Status::Pending);
    assert_eq!(stored.history, doc.history, "no status change");
    let log = activity::newest(&db, 1).await.unwrap();
    assert_eq!(
        log[0].summary,
        "\"Acme GmbH — DE local, Berlin\" renamed to \"Berlin excerpt\""
    );
    assert_eq!(activity::count(&db).await.unwrap(), before + 1);
    let refused = documents::rename(&db, doc.sid, "   ", sids.event(), NOW).await;
    assert!(refused.is_err());
    assert_eq!(documents::get(&db, doc.sid).await.unwrap().unwrap(), stored);
    assert_eq!(activity::count(&db).await.unwrap(), before + 1);
    db.close();
    Db::delete(&name).await.unwrap();
}

/// A document passed before the catalog's regulation change gets its valid-until when decided;
/// the refresh leaves it alone through that day and rejects it the day after, as Twilio does:
/// Failed with the reason, one log entry, and its number's stored compliance follows in the same
/// transaction. A second refresh finds nothing more to do.
#[wasm_bindgen_test]
async fn past_its_valid_until_a_document_is_rejected_and_its_numbers_follow() {
    const DAY: i64 = 86_400_000;
    let name = unique_name("validity");
    let db = Db::open(&name).await.unwrap();
    let mut sids = Sids::new(41);
    let mut events = Sids::new(42);
    let berlin = address(sids.address(), "Berlin", "10117");
    addresses::create(&db, &berlin, &event(sids.event(), "a"))
        .await
        .unwrap();
    let (doc, scan) = document(sids.identity(), Some(berlin.sid), &png_bytes(512));
    let (doc, _) = save_pending(&db, &mut sids, doc, scan, NOW, 60, NOW).await;
    let decided = documents::decide(
        &db,
        doc.sid,
        NOW,
        vec![],
        "reviewed",
        (sids.event(), sids.event()),
        NOW.date_utc(),
    )
    .await
    .unwrap();
    let documents::Decided::Recorded(passed) = decided else {
        panic!("decided once");
    };
    let last = passed
        .valid_until
        .expect("passed before the catalog's change, without what it adds")
        .last_day;
    let mut n = number(sids.number(), "+49301234567");
    n.identity_sid = Some(doc.sid);
    n.address_sid = Some(berlin.sid);
    numbers::add(
        &db,
        &[(n.clone(), Compliance::Compliant)],
        &event(sids.event(), "n"),
    )
    .await
    .unwrap();

    let noon = |days: i64| Timestamp(days * DAY + DAY / 2);
    let on_last_day = documents::refresh_validity(&db, noon(last.unix_days()), || events.event())
        .await
        .unwrap();
    assert!(on_last_day.is_empty());
    assert_eq!(
        documents::get(&db, doc.sid).await.unwrap().unwrap().status,
        Status::Passed
    );

    let day_after = noon(last.unix_days() + 1);
    let rejected = documents::refresh_validity(&db, day_after, || events.event())
        .await
        .unwrap();
    assert_eq!(rejected.len(), 1);
    let stored = documents::get(&db, doc.sid).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Failed);
    assert!(stored.editable(), "it can be corrected under the new rules");
    let log = activity::newest(&db, 1).await.unwrap();
    assert!(
        log[0]
            .summary
            .contains("rejected after valid-until: Passed → Failed"),
        "{}",
        log[0].summary
    );
    let noncompliant = numbers::with_compliance(&db, "noncompliant").await.unwrap();
    assert_eq!(
        noncompliant.iter().map(|x| x.sid).collect::<Vec<_>>(),
        vec![n.sid]
    );
    assert!(
        documents::refresh_validity(&db, day_after, || events.event())
            .await
            .unwrap()
            .is_empty()
    );
    db.close();
    Db::delete(&name).await.unwrap();
}

/// Typed once: saving a document for an entity creates the entity with its details, and a later
/// document for it teaches it what is new, in the save's own transaction.
#[wasm_bindgen_test]
async fn a_saved_document_teaches_its_entity() {
    use regdesk::domain::records::sid::EntitySid;
    let name = unique_name("entity");
    let db = Db::open(&name).await.unwrap();
    let mut sids = Sids::new(51);
    let acme = EntitySid::from_bytes([5; 16]);
    let (mut first, scan) = document(sids.identity(), None, &png_bytes(512));
    first.entity_sid = Some(acme);
    first
        .details
        .insert("comments".into(), "only this one".into());
    documents::save(&db, &first, &[scan], None, &[event(sids.event(), "d")])
        .await
        .unwrap();
    let entities = regdesk::store::entities::list(&db).await.unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].sid, acme);
    assert_eq!(entities[0].details["business_name"], "Acme GmbH");
    assert!(!entities[0].details.contains_key("comments"));
    let (mut second, scan) = document(sids.identity(), None, &png_bytes(600));
    second.entity_sid = Some(acme);
    second
        .details
        .insert("business_website".into(), "acme-holding.example".into());
    documents::save(&db, &second, &[scan], None, &[event(sids.event(), "d")])
        .await
        .unwrap();
    let entities = regdesk::store::entities::list(&db).await.unwrap();
    assert_eq!(entities.len(), 1, "the same entity");
    assert_eq!(
        entities[0].details["business_website"],
        "acme-holding.example"
    );
    db.close();
    Db::delete(&name).await.unwrap();
}

/// A file two documents list is stored once (keyed by its hash); deleting one document keeps the
/// bytes the other still lists, and deleting the last one removes them.
#[wasm_bindgen_test]
async fn a_file_two_documents_list_is_stored_once_and_kept_while_listed() {
    let name = unique_name("shared-file");
    let db = Db::open(&name).await.unwrap();
    let mut sids = Sids::new(61);
    let bytes = png_bytes(1500);
    let (first, scan) = document(sids.identity(), None, &bytes);
    let (second, again) = document(sids.identity(), None, &bytes);
    assert_eq!(scan.sha256, again.sha256);
    documents::save(
        &db,
        &first,
        std::slice::from_ref(&scan),
        None,
        &[event(sids.event(), "1")],
    )
    .await
    .unwrap();
    documents::save(&db, &second, &[again], None, &[event(sids.event(), "2")])
        .await
        .unwrap();
    let stored = {
        use indexed_db_futures::prelude::*;
        let raw = indexed_db_futures::database::Database::open(name.as_str())
            .await
            .unwrap();
        let tx = raw
            .transaction(regdesk::store::schema::FILES)
            .build()
            .unwrap();
        let count = tx
            .object_store(regdesk::store::schema::FILES)
            .unwrap()
            .count()
            .await
            .unwrap();
        drop(tx);
        raw.close();
        count
    };
    assert_eq!(stored, 1, "one Blob for the file both list");
    // A correction that replaces a scan takes its bytes away, unless another document lists
    // them: the second still lists the shared file, so replacing it on the first keeps it.
    let new_bytes = png_bytes(1700);
    let (replacement, new_scan) = document(first.sid, None, &new_bytes);
    documents::save(
        &db,
        &replacement,
        std::slice::from_ref(&new_scan),
        None,
        &[event(sids.event(), "3")],
    )
    .await
    .unwrap();
    assert!(documents::scan(&db, &scan.sha256).await.unwrap().is_some());
    // Replaced again on the first, the new file's bytes (listed nowhere else) go.
    documents::save(
        &db,
        &first,
        std::slice::from_ref(&scan),
        None,
        &[event(sids.event(), "4")],
    )
    .await
    .unwrap();
    assert!(
        documents::scan(&db, &new_scan.sha256)
            .await
            .unwrap()
            .is_none()
    );
    documents::delete(&db, first.sid, &event(sids.event(), "del"))
        .await
        .unwrap();
    let kept = documents::scan(&db, &scan.sha256).await.unwrap();
    assert_eq!(
        bytes_of(&kept.expect("still listed by the second")).await,
        bytes
    );
    documents::delete(&db, second.sid, &event(sids.event(), "del"))
        .await
        .unwrap();
    assert!(documents::scan(&db, &scan.sha256).await.unwrap().is_none());
    db.close();
    Db::delete(&name).await.unwrap();
}

/// The burndown's series counts on the compliance index, keeps one entry per day, and a series
/// that cannot be read is reported and left exactly as it was, never replaced.
#[wasm_bindgen_test]
async fn the_burndown_records_each_days_count_and_keeps_an_unreadable_series() {
    let name = unique_name("burndown");
    let mut sids = Sids::new(41);
    let db = Db::open(&name).await.unwrap();
    let day: regdesk::domain::time::calendar::Date = "2026-11-02".parse().unwrap();
    assert!(progress::read(&db).await.unwrap().days().is_empty());
    numbers::add(
        &db,
        &[
            (
                number(sids.number(), "+49301234567"),
                Compliance::NonCompliant(Vec::new()),
            ),
            (number(sids.number(), "+49301234568"), Compliance::Compliant),
            (
                number(sids.number(), "+12125551234"),
                Compliance::NotRegulated,
            ),
        ],
        &event(sids.event(), "import"),
    )
    .await
    .unwrap();
    assert!(progress::record(&db, day).await.unwrap());
    assert!(
        !progress::record(&db, day).await.unwrap(),
        "the same count on the same day changes nothing"
    );
    let series = progress::read(&db).await.unwrap();
    let days: Vec<(String, u32, u32)> = series
        .days()
        .iter()
        .map(|d| (d.day.to_string(), d.left, d.regulated))
        .collect();
    assert_eq!(days, vec![("2026-11-02".to_string(), 1, 2)]);

    meta::set(&db, "burndown", "not a series").await.unwrap();
    let err = progress::record(&db, day.add_days(1)).await.unwrap_err();
    assert!(err.to_string().contains("burndown"), "{err}");
    assert!(progress::read(&db).await.is_err());
    assert_eq!(
        meta::get(&db, "burndown").await.unwrap().as_deref(),
        Some("not a series"),
        "left as it was"
    );
    db.close();
    Db::delete(&name).await.unwrap();
}

/// Local changes become revisions: each marked record once, an unchanged one not again, an edit
/// as the next generation with its history; the server's confirmation empties what is left to
/// push, and a workspace read whole makes no revision for what is already one.
#[wasm_bindgen_test]
async fn local_changes_become_revisions_once_and_leave_when_pushed() {
    let name = unique_name("replica");
    let mut sids = Sids::new(61);
    let db = Db::open(&name).await.unwrap();
    let berlin = address(sids.address(), "Berlin", "10117");
    addresses::create(&db, &berlin, &event(sids.event(), "created"))
        .await
        .unwrap();
    numbers::add(
        &db,
        &[(
            number(sids.number(), "+49301234567"),
            Compliance::NotRegulated,
        )],
        &event(sids.event(), "bought"),
    )
    .await
    .unwrap();
    // The address, the number and the two log entries.
    assert_eq!(replica::prepare_push(&db, false).await.unwrap(), 4);
    assert_eq!(
        replica::prepare_push(&db, false).await.unwrap(),
        0,
        "marks cleared"
    );
    assert_eq!(
        replica::prepare_push(&db, true).await.unwrap(),
        0,
        "nothing changed"
    );
    let first = replica::outgoing(&db, 10_000).await.unwrap();
    let kinds: Vec<&str> = first
        .iter()
        .map(|o| o.id.split(':').next().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "event").count(),
        2,
        "{kinds:?}"
    );
    let address_id = format!("address:{}", berlin.sid);
    let sent = first.iter().find(|o| o.id == address_id).unwrap().clone();
    assert_eq!(sent.rev.generation, 1);
    assert_eq!(sent.body["city"], "Berlin");
    assert_eq!(sent.body["type"], "address");
    assert!(!sent.deleted);

    let mut moved = berlin.clone();
    moved.street = "Unter den Linden 5".into();
    addresses::update(&db, &moved, &event(sids.event(), "moved"))
        .await
        .unwrap();
    // The address's second revision and the update's log entry.
    assert_eq!(replica::prepare_push(&db, false).await.unwrap(), 2);
    let second = replica::outgoing(&db, 10_000).await.unwrap();
    let edit = second.iter().find(|o| o.id == address_id).unwrap();
    assert_eq!(edit.rev.generation, 2);
    assert_eq!(
        edit.revisions.ids,
        vec![edit.rev.hash.clone(), sent.rev.hash.clone()]
    );
    assert_eq!(edit.body["street"], "Unter den Linden 5");

    // The server confirms the first round only: the address's newer revision stays to send.
    let confirmed: Vec<_> = first
        .iter()
        .map(|o| (o.id.clone(), o.rev.clone()))
        .collect();
    replica::confirm_pushed(&db, &confirmed).await.unwrap();
    let left: Vec<String> = replica::outgoing(&db, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert!(left.contains(&address_id), "{left:?}");
    assert_eq!(
        left.len(),
        2,
        "the address and the update's entry: {left:?}"
    );
    let all: Vec<_> = second
        .iter()
        .map(|o| (o.id.clone(), o.rev.clone()))
        .collect();
    replica::confirm_pushed(&db, &all).await.unwrap();
    assert!(replica::outgoing(&db, 10_000).await.unwrap().is_empty());
    db.close();
    Db::delete(&name).await.unwrap();
}

/// Revisions from elsewhere: a new record appears with its compliance, unmarked; the same batch
/// again changes nothing; two edits of one revision made apart stand side by side as a conflict
/// on both machines with the same winner; a document that breaks a record rule is set aside with
/// its reason and nothing of it is applied.
#[wasm_bindgen_test]
async fn revisions_from_elsewhere_are_applied_with_what_depends_on_them() {
    let (name_a, name_b) = (unique_name("replica-a"), unique_name("replica-b"));
    let mut sids = Sids::new(71);
    let a = Db::open(&name_a).await.unwrap();
    let b = Db::open(&name_b).await.unwrap();
    let berlin = address(sids.address(), "Berlin", "10117");
    addresses::create(&a, &berlin, &event(sids.event(), "created"))
        .await
        .unwrap();
    let line = number(sids.number(), "+49301234567");
    numbers::add(
        &a,
        &[(line.clone(), Compliance::NotRegulated)],
        &event(sids.event(), "bought"),
    )
    .await
    .unwrap();
    let batch = to_send(&a).await;

    let applied = replica::apply_incoming(&b, &batch, None, NOW)
        .await
        .unwrap();
    assert_eq!(
        (applied.written, applied.conflicts, applied.set_aside),
        (4, 0, 0)
    );
    assert_eq!(addresses::list(&b).await.unwrap(), vec![berlin.clone()]);
    // The number's compliance was computed on arrival: a Berlin number with nothing mapped.
    assert_eq!(
        counts::read(&b, NOW.date_utc()).await.unwrap().noncompliant,
        1
    );
    assert_eq!(
        replica::prepare_push(&b, false).await.unwrap(),
        0,
        "not a change here"
    );
    let again = replica::apply_incoming(&b, &batch, None, NOW)
        .await
        .unwrap();
    assert_eq!(
        again,
        replica::Applied::default(),
        "known revisions change nothing"
    );

    // Both edit the address apart; A's edit reaches B, whose own edit is not yet a revision.
    let mut on_a = berlin.clone();
    on_a.street = "Unter den Linden 5".into();
    addresses::update(&a, &on_a, &event(sids.event(), "a"))
        .await
        .unwrap();
    let mut on_b = berlin.clone();
    on_b.street = "Alexanderplatz 1".into();
    addresses::update(&b, &on_b, &event(sids.event(), "b"))
        .await
        .unwrap();
    let from_a = to_send(&a).await;
    replica::apply_incoming(&b, &from_a, None, NOW)
        .await
        .unwrap();
    let from_b = to_send(&b).await;
    replica::apply_incoming(&a, &from_b, None, NOW)
        .await
        .unwrap();
    let id = format!("address:{}", berlin.sid);
    let (state_a, state_b) = (
        replica::state(&a, &id).await.unwrap().unwrap(),
        replica::state(&b, &id).await.unwrap().unwrap(),
    );
    assert_eq!(
        state_a.tree.winner(),
        state_b.tree.winner(),
        "the same winner on both"
    );
    assert_eq!(state_a.tree.conflicts().len(), 1);
    assert_eq!(state_b.tree.conflicts().len(), 1);
    assert_eq!(state_a.others.len(), 1, "the losing body is kept to show");
    let (street_a, street_b) = (
        addresses::list(&a).await.unwrap()[0].street.clone(),
        addresses::list(&b).await.unwrap()[0].street.clone(),
    );
    assert_eq!(street_a, street_b, "both show the winner");

    // A sees the conflict with both versions, keeps the losing street, and B, receiving the
    // resolution with a pull checkpoint, ends with one branch and the same record.
    let listed = replica::conflicts(&a).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    let losing = listed[0].others[0].1.clone();
    let kept_street = losing["street"].as_str().unwrap().to_string();
    assert_ne!(
        kept_street, street_a,
        "the other version is the one not shown"
    );
    let mut not_a_number = losing.clone();
    not_a_number["postal_code"] = serde_json::json!(42);
    assert!(
        replica::resolve(&a, &id, &not_a_number, NOW).await.is_err(),
        "a body that breaks a record rule changes nothing"
    );
    assert_eq!(replica::conflicts(&a).await.unwrap().len(), 1);
    replica::resolve(&a, &id, &losing, NOW).await.unwrap();
    assert!(replica::conflicts(&a).await.unwrap().is_empty());
    assert_eq!(addresses::list(&a).await.unwrap()[0].street, kept_street);
    let resolution = to_send(&a).await;
    assert!(
        resolution.iter().any(|r| r.deleted),
        "the losing branch's deletion travels: {resolution:?}"
    );
    let checkpoint = regdesk::domain::replication::wire::Checkpoint {
        seq: serde_json::json!("7-abc"),
    };
    let applied = replica::apply_incoming(&b, &resolution, Some(("rep1", &checkpoint)), NOW)
        .await
        .unwrap();
    assert!(
        applied.changed >= 1,
        "the views must hear of it: {applied:?}"
    );
    assert!(replica::conflicts(&b).await.unwrap().is_empty());
    assert_eq!(addresses::list(&b).await.unwrap()[0].street, kept_street);
    assert_eq!(
        replica::checkpoint(&b, "rep1").await.unwrap(),
        Some(checkpoint),
        "written with the batch"
    );
    assert_eq!(
        replica::state(&a, &id)
            .await
            .unwrap()
            .unwrap()
            .tree
            .winner(),
        replica::state(&b, &id)
            .await
            .unwrap()
            .unwrap()
            .tree
            .winner()
    );

    // A number that is not what it says: set aside, nothing written.
    let mut wrong = number(sids.number(), "+49309876543");
    wrong.country = "FR".parse().unwrap();
    let doc = regdesk::domain::replication::doc::Record::Number(wrong.clone());
    let body = doc.body();
    let bad = replica::Incoming {
        id: doc.id(),
        rev: regdesk::domain::replication::rev::Rev::next(None, &body, false),
        revisions: regdesk::domain::replication::tree::Revisions {
            start: 1,
            ids: vec![regdesk::domain::replication::rev::Rev::next(None, &body, false).hash],
        },
        deleted: false,
        body,
        attachment: None,
    };
    let applied = replica::apply_incoming(&b, &[bad], None, NOW)
        .await
        .unwrap();
    assert_eq!(applied.set_aside, 1);
    assert!(
        numbers::list(&b)
            .await
            .unwrap()
            .iter()
            .all(|n| n.sid != wrong.sid)
    );
    let set_aside = regdesk::store::quarantine::list(&b).await.unwrap();
    assert!(
        set_aside.iter().any(|q| q.error.contains("country")),
        "{set_aside:?}"
    );
    assert!(replica::state(&b, &doc.id()).await.unwrap().is_none());
    for (db, name) in [(a, name_a), (b, name_b)] {
        db.close();
        Db::delete(&name).await.unwrap();
    }
}

/// Deleting a shared record leaves a deletion to push, in the deleting transaction; deleting one
/// never shared leaves nothing.
#[wasm_bindgen_test]
async fn a_shared_record_deleted_leaves_a_deletion_to_push() {
    let name = unique_name("replica-delete");
    let mut sids = Sids::new(81);
    let db = Db::open(&name).await.unwrap();
    let shared = address(sids.address(), "Berlin", "10117");
    let other = address(sids.address(), "Köln", "50667");
    for a in [&shared, &other] {
        addresses::create(&db, a, &event(sids.event(), "created"))
            .await
            .unwrap();
    }
    replica::prepare_push(&db, false).await.unwrap();
    let sent: Vec<_> = replica::outgoing(&db, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.id.starts_with("event:") || o.id.ends_with(&shared.sid.to_string()))
        .map(|o| (o.id, o.rev))
        .collect();
    replica::confirm_pushed(&db, &sent).await.unwrap();
    // Berlin was sent and confirmed; now it is deleted.
    addresses::delete(&db, shared.sid, &event(sids.event(), "deleted"))
        .await
        .unwrap();
    let id = format!("address:{}", shared.sid);
    let gone = replica::outgoing(&db, 10_000)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.id == id)
        .expect("the deletion is to push");
    assert!(gone.deleted);
    assert_eq!(gone.rev.generation, 2);
    assert_eq!(gone.revisions.ids.len(), 2);
    let state = replica::state(&db, &id).await.unwrap().unwrap();
    assert!(state.tree.deleted());
    // An address created and deleted between two pushes was never shared: nothing to say.
    let brief = address(sids.address(), "Bonn", "53111");
    addresses::create(&db, &brief, &event(sids.event(), "created"))
        .await
        .unwrap();
    addresses::delete(&db, brief.sid, &event(sids.event(), "deleted"))
        .await
        .unwrap();
    let brief_id = format!("address:{}", brief.sid);
    assert!(replica::state(&db, &brief_id).await.unwrap().is_none());
    assert!(
        replica::outgoing(&db, 10_000)
            .await
            .unwrap()
            .iter()
            .all(|o| o.id != brief_id)
    );
    db.close();
    Db::delete(&name).await.unwrap();
}

/// A document's scan travels as a file document with its bytes: on B the same bytes under the
/// same name, pushed once (the next push sends nothing); bytes that do not hash to the name are
/// set aside and stored nowhere.
#[wasm_bindgen_test]
async fn scans_travel_as_file_documents_checked_against_their_name() {
    let (name_a, name_b) = (unique_name("files-a"), unique_name("files-b"));
    let a = Db::open(&name_a).await.unwrap();
    let b = Db::open(&name_b).await.unwrap();
    let mut sids = Sids::new(81);
    let bytes = png_bytes(1200);
    let (doc, scan) = document(sids.identity(), None, &bytes);
    documents::save(
        &a,
        &doc,
        std::slice::from_ref(&scan),
        None,
        &[event(sids.event(), "1")],
    )
    .await
    .unwrap();
    let sent = to_send(&a).await;
    let file_id = format!("file:{}", scan.sha256);
    let file = sent
        .iter()
        .find(|o| o.id == file_id)
        .expect("the scan is pushed");
    assert_eq!(file.attachment.as_ref().unwrap().data, bytes);
    assert_eq!(file.rev.generation, 1);
    let applied = replica::apply_incoming(&b, &sent, None, NOW).await.unwrap();
    assert_eq!(applied.set_aside, 0);
    let there = documents::scan(&b, &scan.sha256)
        .await
        .unwrap()
        .expect("stored on B");
    let buffer = wasm_bindgen_futures::JsFuture::from(there.array_buffer())
        .await
        .unwrap();
    assert_eq!(
        js_sys::Uint8Array::new(&buffer).to_vec(),
        bytes,
        "byte for byte"
    );
    assert_eq!(there.type_(), "image/png");
    // Confirmed, nothing is left to send; B, which received it, has nothing of its own to send.
    let all: Vec<_> = sent.iter().map(|o| (o.id.clone(), o.rev.clone())).collect();
    replica::confirm_pushed(&a, &all).await.unwrap();
    assert_eq!(replica::prepare_push(&a, false).await.unwrap(), 0);
    assert!(replica::outgoing(&a, 10_000).await.unwrap().is_empty());
    assert_eq!(
        replica::prepare_push(&b, false).await.unwrap(),
        0,
        "the same file is the same revision"
    );

    // Other bytes under the scan's name: set aside, not stored.
    let c = Db::open(&unique_name("files-c")).await.unwrap();
    let mut forged = sent.clone();
    for doc in &mut forged {
        if let Some(att) = doc.attachment.as_mut() {
            att.data[40] ^= 0xff;
        }
    }
    let applied = replica::apply_incoming(&c, &forged, None, NOW)
        .await
        .unwrap();
    assert_eq!(applied.set_aside, 1);
    assert!(documents::scan(&c, &scan.sha256).await.unwrap().is_none());
    let set_aside = regdesk::store::quarantine::list(&c).await.unwrap();
    assert!(
        set_aside.iter().any(|q| q.error.contains("do not hash")),
        "{set_aside:?}"
    );
    for (db, name) in [(a, name_a), (b, name_b)] {
        db.close();
        Db::delete(&name).await.unwrap();
    }
    let c_name = c.name();
    c.close();
    Db::delete(&c_name).await.unwrap();
}

/// A number whose mapping two machines changed apart is flagged and counted non-compliant on
/// both, whichever version won; choosing a version clears the flag, here and, once it
/// replicates, there.
#[wasm_bindgen_test]
async fn a_number_in_conflict_is_not_compliant_until_someone_chooses() {
    let (name_a, name_b) = (unique_name("nconf-a"), unique_name("nconf-b"));
    let mut sids = Sids::new(91);
    let a = Db::open(&name_a).await.unwrap();
    let b = Db::open(&name_b).await.unwrap();
    let line = number(sids.number(), "+49301234567");
    numbers::add(
        &a,
        &[(line.clone(), Compliance::NotRegulated)],
        &event(sids.event(), "bought"),
    )
    .await
    .unwrap();
    replica::apply_incoming(&b, &to_send(&a).await, None, NOW)
        .await
        .unwrap();
    // Apart, each labels it differently.
    for (db, label) in [(&a, "Front desk"), (&b, "Back office")] {
        let mut n = numbers::list(db)
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.sid == line.sid)
            .unwrap();
        n.friendly_name = label.into();
        numbers::update(
            db,
            &[(n, Compliance::NotRegulated)],
            &event(sids.event(), label),
        )
        .await
        .unwrap();
    }
    let (from_a, from_b) = (to_send(&a).await, to_send(&b).await);
    replica::apply_incoming(&b, &from_a, None, NOW)
        .await
        .unwrap();
    replica::apply_incoming(&a, &from_b, None, NOW)
        .await
        .unwrap();
    for db in [&a, &b] {
        let n = numbers::list(db)
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.sid == line.sid)
            .unwrap();
        assert!(n.in_conflict, "flagged on both");
        assert_eq!(
            counts::read(db, NOW.date_utc()).await.unwrap().noncompliant,
            1
        );
    }
    let conflict = replica::conflicts(&a)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id.starts_with("number:"))
        .unwrap();
    replica::resolve(&a, &conflict.id, &conflict.others[0].1, NOW)
        .await
        .unwrap();
    let n = numbers::list(&a)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.sid == line.sid)
        .unwrap();
    assert!(!n.in_conflict, "chosen");
    replica::apply_incoming(&b, &to_send(&a).await, None, NOW)
        .await
        .unwrap();
    let there = numbers::list(&b)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.sid == line.sid)
        .unwrap();
    assert!(!there.in_conflict, "the choice reached B");
    assert_eq!(there.friendly_name, n.friendly_name);
    for (db, name) in [(a, name_a), (b, name_b)] {
        db.close();
        Db::delete(&name).await.unwrap();
    }
}
