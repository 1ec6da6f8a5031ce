//! The verification queue in a real browser: decided by its timer, caught up after a reload,
//! decided once by two workers, announced to subscribers, and resubmitted with history kept.
#![cfg(target_arch = "wasm32")]

#[path = "support/store_fixtures.rs"]
mod fixtures;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use fixtures::*;
use regdesk::domain::records::document::{IdentityDocument, Status};
use regdesk::domain::rules::problem::codes;
use regdesk::domain::time::Timestamp;
use regdesk::domain::time::clock::DemoSpeed;
use regdesk::review::{submit, worker};
use regdesk::store::changes::{self, Change};
use regdesk::store::documents::{Decided, Scan};
use regdesk::store::queue::QueueEntry;
use regdesk::store::{Db, activity, addresses, documents, platform, queue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A Berlin address stored, and a satisfying Draft document for it with a real 1200×900 PNG.
async fn berlin_document(db: &Db, sids: &mut Sids) -> (IdentityDocument, Scan) {
    let berlin = address(sids.address(), "Berlin", "10117");
    addresses::create(db, &berlin, &event(sids.event(), "a"))
        .await
        .unwrap();
    document(
        sids.identity(),
        Some(berlin.sid),
        &regdesk::domain::demo::sample_scan::png(1200, 900),
    )
}

async fn wait_until(mut done: impl FnMut() -> bool, timeout_ms: u32) -> bool {
    let mut waited = 0;
    while !done() {
        if waited >= timeout_ms {
            return false;
        }
        gloo_timers::future::TimeoutFuture::new(25).await;
        waited += 25;
    }
    true
}

#[wasm_bindgen_test]
async fn a_submission_is_decided_by_its_timer() {
    let name = unique_name("timer");
    let mut sids = Sids::new(30);
    let db = Db::open(&name).await.unwrap();
    let (mut doc, scan) = berlin_document(&db, &mut sids).await;
    doc.submit(platform::now()).unwrap();
    // Due in 300 ms of real time: the worker must wake up by itself and decide it.
    let entry = QueueEntry {
        document_sid: doc.sid,
        submitted: platform::now(),
        delay_minutes: 1,
        due: platform::now().plus_ms(300),
    };
    documents::save(&db, &doc, &[scan], Some(&entry), &[])
        .await
        .unwrap();

    let decided = Rc::new(Cell::new(false));
    let flag = decided.clone();
    let _sub = changes::subscribe(move |c| {
        if matches!(c, Change::DocumentStatus { status, .. } if status == "passed") {
            flag.set(true);
        }
    });
    let _worker = worker::start(db.clone(), Rc::new(platform::now));
    assert!(
        wait_until(|| decided.get(), 5000).await,
        "decided within 5 s"
    );
    let stored = documents::get(&db, doc.sid).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Passed, "{:?}", stored.reasons);
    assert_eq!(
        stored.decided_at(),
        Some(entry.due),
        "recorded at its due time"
    );
    assert!(
        queue::get(&db, doc.sid).await.unwrap().is_none(),
        "dequeued"
    );
}

#[wasm_bindgen_test]
async fn a_review_that_finished_while_the_tab_was_closed_is_decided_on_the_next_open() {
    let name = unique_name("catch-up");
    let mut sids = Sids::new(31);
    let db = Db::open(&name).await.unwrap();
    let (doc, scan) = berlin_document(&db, &mut sids).await;
    let (_, entry) = submit::submit(&db, &doc, &[scan], NOW, DemoSpeed::RealTime)
        .await
        .unwrap();
    assert!(
        entry.due > NOW.plus_ms(3_600_000),
        "real time: at least an hour away"
    );
    assert!(
        worker::catch_up(&db, NOW).await.unwrap().is_empty(),
        "nothing due yet"
    );
    db.close();

    // The tab is closed; days pass; a new tab opens the same database.
    let later = entry.due.plus_ms(3 * 86_400_000);
    let db = Db::open(&name).await.unwrap();
    let decided = worker::catch_up(&db, later).await.unwrap();
    assert_eq!(decided.len(), 1);
    let stored = documents::get(&db, doc.sid).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Passed, "{:?}", stored.reasons);
    assert_eq!(
        stored.decided_at(),
        Some(entry.due),
        "the decision time it would have had"
    );
}

#[wasm_bindgen_test]
async fn two_workers_on_the_same_database_decide_a_document_once() {
    let name = unique_name("twice");
    let mut sids = Sids::new(32);
    let tab_a = Db::open(&name).await.unwrap();
    let tab_b = Db::open(&name).await.unwrap();
    let (doc, scan) = berlin_document(&tab_a, &mut sids).await;
    let (_, entry) = submit::submit(&tab_a, &doc, &[scan], NOW, DemoSpeed::Instant)
        .await
        .unwrap();
    let before = activity::count(&tab_a).await.unwrap();

    let (a, b) = futures::join!(
        worker::catch_up(&tab_a, entry.due),
        worker::catch_up(&tab_b, entry.due)
    );
    let recorded = a.unwrap().len() + b.unwrap().len();
    assert_eq!(recorded, 1, "exactly one worker recorded the decision");
    let stored = documents::get(&tab_b, doc.sid).await.unwrap().unwrap();
    let decisions = stored
        .history
        .iter()
        .filter(|t| t.from == Status::Pending)
        .count();
    assert_eq!(decisions, 1, "{:?}", stored.history);
    assert_eq!(
        activity::count(&tab_a).await.unwrap(),
        before + 1,
        "one status callback logged"
    );
    // And a late "decide now" finds nothing to do.
    assert_eq!(
        worker::decide(&tab_b, doc.sid, NOW, "decided now")
            .await
            .unwrap(),
        Decided::AlreadyDecided
    );
}

#[wasm_bindgen_test]
async fn a_failed_document_is_corrected_and_resubmitted_with_its_history() {
    let name = unique_name("resubmit");
    let mut sids = Sids::new(33);
    let db = Db::open(&name).await.unwrap();
    let (mut doc, scan) = berlin_document(&db, &mut sids).await;
    doc.files[0].shows.name = "Someone Else Ltd".into();
    let heard: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = heard.clone();
    let _sub = changes::subscribe(move |c| {
        if let Change::DocumentStatus { status, .. } = c {
            log.borrow_mut().push(status.clone());
        }
    });

    let (_, entry) = submit::submit(
        &db,
        &doc,
        std::slice::from_ref(&scan),
        NOW,
        DemoSpeed::Instant,
    )
    .await
    .unwrap();
    worker::catch_up(&db, entry.due).await.unwrap();
    let failed = documents::get(&db, doc.sid).await.unwrap().unwrap();
    assert_eq!(failed.status, Status::Failed);
    let codes_given: Vec<u32> = failed.reasons.iter().map(|r| r.code).collect();
    assert_eq!(
        codes_given,
        vec![codes::NAME_MISMATCH],
        "{:?}",
        failed.reasons
    );
    assert_eq!(
        failed.reasons[0].field.as_deref(),
        Some("file:0"),
        "the reason points at the scan"
    );

    // Declaring that the same file shows the entered name is refused again: only a new file can
    // show something new.
    let mut redeclared = failed.clone();
    redeclared.files[0].shows.name = "Acme GmbH".into();
    let later = Timestamp(NOW.0 + 60_000);
    let (_, entry) = submit::submit(&db, &redeclared, &[], later, DemoSpeed::Instant)
        .await
        .unwrap();
    worker::catch_up(&db, entry.due).await.unwrap();
    let again = documents::get(&db, doc.sid).await.unwrap().unwrap();
    assert_eq!(again.status, Status::Failed);
    assert!(
        again.reasons[0].message.contains("Upload a new scan"),
        "{:?}",
        again.reasons
    );

    // A new scan of the excerpt, showing the entered name, passes.
    let new_bytes = regdesk::domain::demo::sample_scan::png(1200, 901);
    let (rescanned, new_scan) = document(doc.sid, doc.address_sid, &new_bytes);
    let mut corrected = again.clone();
    corrected.files = rescanned.files;
    let latest = Timestamp(NOW.0 + 120_000);
    let (_, entry) = submit::submit(&db, &corrected, &[new_scan], latest, DemoSpeed::Instant)
        .await
        .unwrap();
    worker::catch_up(&db, entry.due).await.unwrap();
    let passed = documents::get(&db, doc.sid).await.unwrap().unwrap();
    assert_eq!(passed.status, Status::Passed, "{:?}", passed.reasons);
    let causes: Vec<&str> = passed.history.iter().map(|t| t.cause.as_str()).collect();
    assert_eq!(
        causes,
        [
            "submitted",
            "reviewed",
            "resubmitted",
            "reviewed",
            "resubmitted",
            "reviewed"
        ]
    );
    assert_eq!(
        passed.history[1].reasons[0].code,
        codes::NAME_MISMATCH,
        "the old decision is kept"
    );
    assert_eq!(
        *heard.borrow(),
        [
            "pending", "failed", "pending", "failed", "pending", "passed"
        ],
        "every transition was announced"
    );
}

#[wasm_bindgen_test]
async fn the_reviewer_reads_the_real_bytes() {
    let name = unique_name("bytes");
    let mut sids = Sids::new(34);
    let db = Db::open(&name).await.unwrap();
    // A scan that claims to be a PDF but is a PNG, and one that is too small to read.
    let cases: [(Vec<u8>, &str, u32); 2] = [
        (
            regdesk::domain::demo::sample_scan::png(1200, 900),
            "application/pdf",
            codes::UNPROCESSABLE_FILE,
        ),
        (
            regdesk::domain::demo::sample_scan::png(200, 150),
            "image/png",
            codes::ILLEGIBLE,
        ),
    ];
    for (bytes, mime, expected) in cases {
        let (mut doc, _) = berlin_document(&db, &mut sids).await;
        doc.files[0].mime_type = mime.into();
        let scan = Scan {
            sha256: doc.files[0].sha256.clone(),
            blob: blob_of(&bytes, mime),
        };
        let (_, entry) = submit::submit(&db, &doc, &[scan], NOW, DemoSpeed::Instant)
            .await
            .unwrap();
        worker::catch_up(&db, entry.due).await.unwrap();
        let stored = documents::get(&db, doc.sid).await.unwrap().unwrap();
        let got: Vec<u32> = stored.reasons.iter().map(|r| r.code).collect();
        assert_eq!(got, vec![expected], "{mime}: {:?}", stored.reasons);
    }
}

/// Everything `from` has to push, applied on `to` (a round through the server, without one).
async fn replicate(from: &Db, to: &Db) {
    use regdesk::store::replica;
    let sent = to_send(from).await;
    let confirmed: Vec<_> = sent.iter().map(|o| (o.id.clone(), o.rev.clone())).collect();
    replica::apply_incoming(to, &sent, None, NOW).await.unwrap();
    replica::confirm_pushed(from, &confirmed).await.unwrap();
}

/// Two machines of a team: a document submitted on A reaches B with its scan and its due time,
/// B queues it too, both decide it when due, and what they decided is one revision of the
/// document and one log entry: no conflict, nothing twice, on either machine.
#[wasm_bindgen_test]
async fn two_machines_deciding_one_submission_make_one_decision() {
    use regdesk::domain::replication::doc::{Kind, doc_id};
    use regdesk::store::replica;
    let (name_a, name_b) = (unique_name("team-a"), unique_name("team-b"));
    let mut sids = Sids::new(33);
    let a = Db::open(&name_a).await.unwrap();
    let b = Db::open(&name_b).await.unwrap();
    let (doc, scan) = berlin_document(&a, &mut sids).await;
    let (pending, entry) = submit::submit(&a, &doc, &[scan], NOW, DemoSpeed::Instant)
        .await
        .unwrap();
    assert_eq!(
        pending.review_due(),
        Some(entry.due),
        "the due time travels with it"
    );
    replicate(&a, &b).await;
    let queued = queue::get(&b, doc.sid)
        .await
        .unwrap()
        .expect("queued on B too");
    assert_eq!(queued.due, entry.due);

    let (on_a, on_b) = futures::join!(
        worker::catch_up(&a, entry.due),
        worker::catch_up(&b, entry.due)
    );
    assert_eq!(on_a.unwrap().len(), 1, "A decided");
    assert_eq!(on_b.unwrap().len(), 1, "B decided too, independently");
    replicate(&a, &b).await;
    replicate(&b, &a).await;

    let id = doc_id(Kind::Document, doc.sid);
    let (tree_a, tree_b) = (
        replica::state(&a, &id).await.unwrap().unwrap().tree,
        replica::state(&b, &id).await.unwrap().unwrap().tree,
    );
    assert!(
        tree_a.conflicts().is_empty() && tree_b.conflicts().is_empty(),
        "one revision"
    );
    assert_eq!(tree_a.winner(), tree_b.winner());
    for db in [&a, &b] {
        let decided = documents::get(db, doc.sid).await.unwrap().unwrap();
        assert_eq!(decided.status, Status::Passed, "{:?}", decided.reasons);
        let decisions = decided
            .history
            .iter()
            .filter(|t| t.from == Status::Pending)
            .count();
        assert_eq!(decisions, 1);
        assert!(queue::get(db, doc.sid).await.unwrap().is_none(), "dequeued");
        let logged: Vec<String> = activity::all(db)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.subject == doc.sid.to_string() && e.summary.contains("Pending → Passed"))
            .map(|e| e.summary)
            .collect();
        assert_eq!(logged.len(), 1, "one status callback: {logged:?}");
    }
    assert!(replica::conflicts(&a).await.unwrap().is_empty());
    assert!(replica::conflicts(&b).await.unwrap().is_empty());
    for (db, name) in [(a, name_a), (b, name_b)] {
        db.close();
        Db::delete(&name).await.unwrap();
    }
}

/// A team's document whose scan has not arrived is not judged on bytes this machine lacks: it
/// waits, and is decided once the scan is here.
#[wasm_bindgen_test]
async fn a_teams_document_waits_for_its_scans() {
    use regdesk::store::replica;
    let (name_a, name_c) = (unique_name("wait-a"), unique_name("wait-c"));
    let mut sids = Sids::new(34);
    let a = Db::open(&name_a).await.unwrap();
    let c = Db::open(&name_c).await.unwrap();
    let (doc, scan) = berlin_document(&a, &mut sids).await;
    let (_, entry) = submit::submit(&a, &doc, &[scan], NOW, DemoSpeed::Instant)
        .await
        .unwrap();
    let (files, records): (Vec<_>, Vec<_>) = to_send(&a)
        .await
        .into_iter()
        .partition(|i| i.id.starts_with("file:"));
    assert_eq!(files.len(), 1);
    replica::apply_incoming(&c, &records, None, NOW)
        .await
        .unwrap();
    assert!(
        worker::catch_up(&c, entry.due).await.unwrap().is_empty(),
        "waits"
    );
    assert_eq!(
        documents::get(&c, doc.sid).await.unwrap().unwrap().status,
        Status::Pending
    );
    assert_eq!(
        worker::decide(&c, doc.sid, entry.due, "reviewed")
            .await
            .unwrap(),
        Decided::Waiting
    );
    replica::apply_incoming(&c, &files, None, NOW)
        .await
        .unwrap();
    assert_eq!(
        worker::catch_up(&c, entry.due).await.unwrap().len(),
        1,
        "decided once the scan is here"
    );
    assert_eq!(
        documents::get(&c, doc.sid).await.unwrap().unwrap().status,
        Status::Passed
    );
    for (db, name) in [(a, name_a), (c, name_c)] {
        db.close();
        Db::delete(&name).await.unwrap();
    }
}
