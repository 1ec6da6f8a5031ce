//! One user action, one transaction: a failure part-way leaves every store exactly as it was.
#![cfg(target_arch = "wasm32")]

#[path = "support/store_fixtures.rs"]
mod fixtures;

use fixtures::*;
use regdesk::domain::rules::compliance::Compliance;
use regdesk::domain::rules::problem::codes;
use regdesk::store::{Db, StoreError, activity, addresses, documents, numbers};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_constraint_error_on_the_last_store_rolls_back_the_document_and_its_scan() {
    let name = unique_name("rollback");
    let mut sids = Sids::new(10);
    let db = Db::open(&name).await.unwrap();
    let taken = sids.event();
    addresses::create(
        &db,
        &address(sids.address(), "Berlin", "10117"),
        &event(taken, "first"),
    )
    .await
    .unwrap();

    // The document and its scan are written first; the activity entry, last, reuses an event SID,
    // so the activity store refuses it and the whole transaction must roll back.
    let (doc, scan) = document(sids.identity(), None, &png_bytes(512));
    let sha = scan.sha256.clone();
    let err = documents::save(&db, &doc, &[scan], None, &[event(taken, "again")])
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(_) | StoreError::Database(_)),
        "{err:?}"
    );

    assert_eq!(
        documents::get(&db, doc.sid).await.unwrap(),
        None,
        "document rolled back"
    );
    assert!(
        documents::scan(&db, &sha).await.unwrap().is_none(),
        "scan rolled back"
    );
    assert_eq!(activity::count(&db).await.unwrap(), 1);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn buying_a_number_twice_writes_nothing_of_the_batch() {
    let name = unique_name("unique");
    let mut sids = Sids::new(11);
    let db = Db::open(&name).await.unwrap();
    let owned = number(sids.number(), "+49301234567");
    numbers::add(
        &db,
        &[(owned, Compliance::NotRegulated)],
        &event(sids.event(), "buy"),
    )
    .await
    .unwrap();

    let fresh = number(sids.number(), "+49307654321");
    let again = number(sids.number(), "+49301234567");
    let err = numbers::add(
        &db,
        &[
            (fresh.clone(), Compliance::NotRegulated),
            (again, Compliance::NotRegulated),
        ],
        &event(sids.event(), "import"),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(numbers::list(&db).await.unwrap().len(), 1);
    assert_eq!(numbers::get(&db, fresh.sid).await.unwrap(), None);
    assert_eq!(activity::count(&db).await.unwrap(), 1);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn an_address_in_use_cannot_be_deleted_and_the_error_names_the_numbers() {
    let name = unique_name("in-use");
    let mut sids = Sids::new(12);
    let db = Db::open(&name).await.unwrap();
    let berlin = address(sids.address(), "Berlin", "10117");
    addresses::create(&db, &berlin, &event(sids.event(), "a"))
        .await
        .unwrap();
    let mut n = number(sids.number(), "+49301234567");
    n.address_sid = Some(berlin.sid);
    numbers::add(
        &db,
        &[(n, Compliance::Compliant)],
        &event(sids.event(), "n"),
    )
    .await
    .unwrap();

    let err = addresses::delete(&db, berlin.sid, &event(sids.event(), "del"))
        .await
        .unwrap_err();
    let StoreError::Refused(problem) = err else {
        panic!("expected a refusal, got {err:?}")
    };
    assert_eq!(problem.code, codes::IN_USE);
    assert!(
        problem.message.contains("+49 30 1234567"),
        "{}",
        problem.message
    );
    assert_eq!(addresses::get(&db, berlin.sid).await.unwrap(), Some(berlin));
    assert_eq!(
        activity::count(&db).await.unwrap(),
        2,
        "the refused delete logged nothing"
    );
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_pending_document_cannot_be_overwritten_or_deleted() {
    let name = unique_name("pending");
    let mut sids = Sids::new(13);
    let db = Db::open(&name).await.unwrap();
    let (mut doc, scan) = document(sids.identity(), None, &png_bytes(64));
    doc.submit(NOW).unwrap();
    documents::save(&db, &doc, &[scan], None, &[event(sids.event(), "s")])
        .await
        .unwrap();

    let mut edited = doc.clone();
    edited
        .details
        .insert("business_name".into(), "Other AG".into());
    let err = documents::save(&db, &edited, &[], None, &[event(sids.event(), "e")])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    let err = documents::delete(&db, doc.sid, &event(sids.event(), "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Refused(ref p) if p.code == codes::NOT_ALLOWED),
        "{err:?}"
    );
    assert_eq!(documents::get(&db, doc.sid).await.unwrap(), Some(doc));
    db.close();
    Db::delete(&name).await.unwrap();
}
