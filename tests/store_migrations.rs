//! Schema migrations from every earlier version, quarantine of records that cannot be read, and a
//! tab giving way to another tab's upgrade.
#![cfg(target_arch = "wasm32")]

#[path = "support/store_fixtures.rs"]
mod fixtures;

use std::cell::Cell;
use std::rc::Rc;

use fixtures::*;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use js_sys::Reflect;
use regdesk::domain::rules::compliance::Compliance;
use regdesk::store::changes::{self, Change};
use regdesk::store::{Db, addresses, documents, numbers, quarantine, schema};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Writes raw JS records into a store, bypassing the repositories, as an older regdesk (or a
/// corruption) would have left them.
async fn put_raw(name: &str, store: &str, records: &[&str]) {
    let values: Vec<JsValue> = records
        .iter()
        .map(|json| js_sys::JSON::parse(json).unwrap())
        .collect();
    put_values(name, store, &values).await;
}

/// Writes JS values into a store as they are, bypassing the repositories.
async fn put_values(name: &str, store: &str, values: &[JsValue]) {
    let db = Database::open(name).await.unwrap();
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let os = tx.object_store(store).unwrap();
    for value in values {
        os.put(value.clone()).primitive().unwrap();
    }
    tx.commit().await.unwrap();
    db.close();
}

/// Writes JS values under explicit keys (a store without a key path, like the scans').
async fn put_values_at(name: &str, store: &str, entries: &[(JsValue, String)]) {
    let db = Database::open(name).await.unwrap();
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let os = tx.object_store(store).unwrap();
    for (value, key) in entries {
        os.put(value.clone())
            .with_key(key.clone())
            .primitive()
            .unwrap();
    }
    tx.commit().await.unwrap();
    db.close();
}

/// How many records an index of a store holds.
async fn index_count(name: &str, store: &str, index: &str) -> u32 {
    let db = Database::open(name).await.unwrap();
    let count = {
        let tx = db.transaction(store).build().unwrap();
        let os = tx.object_store(store).unwrap();
        os.index(index).unwrap().count().await.unwrap()
    };
    db.close();
    count
}

/// A record as the store's earlier codec (serde-wasm-bindgen) wrote it: the same object as
/// today's, except that every `None` is an `undefined` field where today's codec writes `null`.
fn as_the_earlier_codec_wrote(record: &impl serde::Serialize) -> JsValue {
    fn undefine_nulls(value: &JsValue) {
        for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
            let field = Reflect::get(value, &key).unwrap();
            if field.is_null() {
                Reflect::set(value, &key, &JsValue::UNDEFINED).unwrap();
            } else if field.is_object() {
                undefine_nulls(&field);
            }
        }
    }
    let value = js_sys::JSON::parse(&serde_json::to_string(record).unwrap()).unwrap();
    undefine_nulls(&value);
    value
}

/// A version-1 number record: its local area was a bare locality name.
fn v1_number(sid: &str, e164: &str, kind: &str, locality: &str) -> String {
    format!(
        r#"{{"sid":"{sid}","e164":"{e164}","country":"DE","number_type":"{kind}","locality":"{locality}","friendly_name":"","bought":1796119200000,"legacy":true}}"#
    )
}

#[wasm_bindgen_test]
async fn version_1_numbers_gain_their_area_and_the_unmigratable_one_is_quarantined() {
    let name = unique_name("v1");
    let v1 = Db::open_at(&name, 1).await.unwrap();
    v1.close();
    let berlin = "PN00000000000000000000000000000001";
    let mobile = "PN00000000000000000000000000000002";
    let broken = "PN00000000000000000000000000000003";
    let records = [
        v1_number(berlin, "+49301234567", "local", "Berlin"),
        v1_number(mobile, "+4915712345678", "mobile", ""),
        v1_number(broken, "not a number", "local", "Nowhere"),
    ];
    let refs: Vec<&str> = records.iter().map(String::as_str).collect();
    put_raw(&name, schema::NUMBERS, &refs).await;
    addresses_v1(&name).await;

    let db = Db::open(&name).await.unwrap();
    let mut numbers = numbers::list(&db).await.unwrap();
    numbers.sort_by_key(|n| n.sid);
    assert_eq!(numbers.len(), 2, "{numbers:?}");
    let area = numbers[0]
        .area
        .as_ref()
        .expect("Berlin number has its area");
    assert_eq!(
        (area.prefix.as_str(), area.name.as_str()),
        ("4930", "Berlin")
    );
    assert!(numbers[0].legacy);
    assert_eq!(numbers[1].area, None, "a mobile number has no area");

    let set_aside = quarantine::list(&db).await.unwrap();
    assert_eq!(set_aside.len(), 1);
    assert_eq!(set_aside[0].key, broken);
    assert!(
        set_aside[0].error.contains("version 2"),
        "{}",
        set_aside[0].error
    );
    // Version-1 addresses needed no change and are all still there.
    assert_eq!(addresses::list(&db).await.unwrap().len(), 1);
    db.close();
    Db::delete(&name).await.unwrap();
}

/// A document as a version-2 regdesk stored it: today's record without a name.
fn v2_document(doc: &regdesk::domain::records::document::IdentityDocument) -> JsValue {
    let value = js_sys::JSON::parse(&serde_json::to_string(doc).unwrap()).unwrap();
    Reflect::delete_property(value.unchecked_ref::<js_sys::Object>(), &"name".into()).unwrap();
    value
}

/// A database written by the schema this work started from (version 2, before names, last days
/// and entities): every document is named as a new one would be, belongs to the entity of its
/// holder, keeps its scans, and Passed ones are counted by their last day (the overview's expiry
/// warnings) without a document being read.
#[wasm_bindgen_test]
async fn version_2_documents_gain_names_last_days_and_entities_and_keep_their_scans() {
    use regdesk::domain::records::document::Status;
    use regdesk::domain::time::calendar::Date;
    use regdesk::store::counts;
    let name = unique_name("v2");
    Db::open_at(&name, 2).await.unwrap().close();
    let today: Date = NOW.date_utc();
    let mut sids = Sids::new(21);
    let bytes = png_bytes(2048);
    // Passed, with scans that end in 20 days, long ago, and never; one Pending.
    let passed = |sids: &mut Sids, expiry: Option<Date>| {
        let (mut doc, _) = document(sids.identity(), None, &bytes);
        doc.files[0].shows.expiry_date = expiry;
        doc.submit(NOW).unwrap();
        doc.decide(NOW, vec![], "reviewed").unwrap();
        assert_eq!(doc.status, Status::Passed);
        doc
    };
    let soon = passed(&mut sids, Some(today.add_days(20)));
    let ended = passed(&mut sids, Some(today.add_days(-3)));
    let lasting = passed(&mut sids, None);
    let (mut pending, scan) = document(sids.identity(), None, &bytes);
    pending.submit(NOW).unwrap();
    let records: Vec<JsValue> = [&soon, &ended, &lasting, &pending]
        .into_iter()
        .map(v2_document)
        .collect();
    put_values(&name, schema::DOCUMENTS, &records).await;
    put_values_at(
        &name,
        schema::FILES,
        &[(
            JsValue::from(scan.blob.clone()),
            format!("{}/{}", pending.sid, scan.sha256),
        )],
    )
    .await;

    let db = Db::open(&name).await.unwrap();
    let stored = documents::list(&db).await.unwrap();
    assert_eq!(stored.len(), 4, "every document kept");
    // One holder, one entity behind all four documents, typed once.
    let entities = regdesk::store::entities::list(&db).await.unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].name(), "Acme GmbH");
    for d in &stored {
        assert_eq!(d.name, "Acme GmbH — DE local, Berlin", "{}", d.sid);
        assert_eq!(d.entity_sid, Some(entities[0].sid), "{}", d.sid);
        assert_eq!(d.area_name.as_deref(), Some("Berlin"), "{}", d.sid);
    }
    let kept = documents::scan(&db, &scan.sha256)
        .await
        .unwrap()
        .expect("the scan is still there");
    assert_eq!(bytes_of(&kept).await, bytes);
    let c = counts::read(&db, today).await.unwrap();
    assert_eq!((c.passed, c.expired, c.pending), (2, 1, 1), "{c:?}");
    assert_eq!(c.expiring, [0, 1, 1], "20 days ahead: within 30 and 90");
    // A day after the first ends, it has moved from counting to expired.
    let later = counts::read(&db, today.add_days(21)).await.unwrap();
    assert_eq!((later.passed, later.expired), (1, 2));
    db.close();
    Db::delete(&name).await.unwrap();
}

/// Version 5 indexes the log by number: a version-4 log's entries about a number are found by it
/// (before version 5 an entry was about its subject alone).
#[wasm_bindgen_test]
async fn version_4_log_entries_are_found_by_their_numbers() {
    use regdesk::store::activity;
    let name = unique_name("v4");
    Db::open_at(&name, 4).await.unwrap().close();
    let mut sids = Sids::new(41);
    let (a, b) = (sids.number(), sids.number());
    let own = event(sids.event(), &a.to_string());
    let again = event(sids.event(), &a.to_string());
    let other = event(sids.event(), &b.to_string());
    let unrelated = event(sids.event(), "an address");
    let records: Vec<JsValue> = [&own, &again, &other, &unrelated]
        .into_iter()
        .map(|e| js_sys::JSON::parse(&serde_json::to_string(e).unwrap()).unwrap())
        .collect();
    put_values(&name, schema::ACTIVITY, &records).await;

    let db = Db::open(&name).await.unwrap();
    let mut of_a: Vec<_> = activity::about_number(&db, a)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.sid)
        .collect();
    of_a.sort_by_key(|s| s.bytes());
    let mut expected = vec![own.sid, again.sid];
    expected.sort_by_key(|s| s.bytes());
    assert_eq!(of_a, expected);
    let of_b: Vec<_> = activity::about_number(&db, b)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.sid)
        .collect();
    assert_eq!(of_b, vec![other.sid]);
    assert_eq!(activity::count(&db).await.unwrap(), 4, "every entry kept");
    db.close();
    Db::delete(&name).await.unwrap();
}

/// Version 6 adds replication's state without rewriting a record: a version-5 workspace's records
/// carry no change mark, so only a push that reads everything makes them revisions, once.
#[wasm_bindgen_test]
async fn version_5_records_are_shared_by_a_push_that_reads_everything() {
    use regdesk::store::replica;
    let name = unique_name("v5");
    Db::open_at(&name, 5).await.unwrap().close();
    let mut sids = Sids::new(51);
    let entries: Vec<JsValue> = (0..3)
        .map(|i| event(sids.event(), &format!("entry {i}")))
        .map(|e| js_sys::JSON::parse(&serde_json::to_string(&e).unwrap()).unwrap())
        .collect();
    put_values(&name, schema::ACTIVITY, &entries).await;
    addresses_v1(&name).await;

    let db = Db::open(&name).await.unwrap();
    assert_eq!(
        replica::prepare_push(&db, false).await.unwrap(),
        0,
        "no marks"
    );
    assert_eq!(replica::prepare_push(&db, true).await.unwrap(), 4);
    assert_eq!(replica::prepare_push(&db, true).await.unwrap(), 0, "once");
    let ids: Vec<String> = replica::outgoing(&db, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert!(
        ids.contains(&"address:AD00000000000000000000000000000001".to_string()),
        "{ids:?}"
    );
    assert_eq!(ids.len(), 4);
    db.close();
    Db::delete(&name).await.unwrap();
}

/// Version 7 indexes the replica entries with conflicts: a version-6 entry (no conflicts, the
/// app did not sync yet) is kept and not listed; an entry with a conflict written after the
/// upgrade is listed through the index.
#[wasm_bindgen_test]
async fn version_6_replica_entries_are_kept_and_conflicts_are_indexed() {
    use regdesk::domain::replication::replica::Replica;
    use regdesk::store::replica;
    let name = unique_name("v6");
    Db::open_at(&name, 6).await.unwrap().close();
    let mut entry = Replica::new("address:AD00000000000000000000000000000001");
    entry.local_edit(Some(&serde_json::json!({"type": "address"})));
    let raw = js_sys::JSON::parse(&serde_json::to_string(&entry).unwrap()).unwrap();
    put_values(&name, schema::REPLICA, &[raw]).await;
    let db = Db::open(&name).await.unwrap();
    assert_eq!(index_count(&name, schema::REPLICA, "by_conflict").await, 0);
    assert!(replica::conflicts(&db).await.unwrap().is_empty());
    assert_eq!(
        replica::state(&db, &entry.id)
            .await
            .unwrap()
            .map(|r| r.tree),
        Some(entry.tree.clone()),
        "kept as it was"
    );
    db.close();
    Db::delete(&name).await.unwrap();
}

async fn addresses_v1(name: &str) {
    put_raw(
        name,
        schema::ADDRESSES,
        &[r#"{"sid":"AD00000000000000000000000000000001","customer_name":"Acme","street":"Hauptstr. 1","street_secondary":"","city":"Berlin","region":"","postal_code":"10117","country":"DE","friendly_name":"","created":1796119200000}"#],
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_record_that_does_not_decode_is_kept_in_quarantine_not_dropped() {
    let name = unique_name("corrupt");
    let mut sids = Sids::new(20);
    let db = Db::open(&name).await.unwrap();
    let (doc, scan) = document(sids.identity(), None, &png_bytes(64));
    documents::save(&db, &doc, &[scan], None, &[event(sids.event(), "d")])
        .await
        .unwrap();
    db.close();
    put_raw(
        &name,
        schema::DOCUMENTS,
        &[r#"{"sid":"RIffffffffffffffffffffffffffffffff","status":"pending","details":42}"#],
    )
    .await;

    let db = Db::open(&name).await.unwrap();
    let listed = documents::list(&db).await.unwrap();
    assert_eq!(listed, vec![doc]);
    let set_aside = quarantine::list(&db).await.unwrap();
    assert_eq!(set_aside.len(), 1);
    assert_eq!(set_aside[0].store, "documents");
    assert_eq!(set_aside[0].key, "RIffffffffffffffffffffffffffffffff");
    // Listing again finds the same: the bad record moved, it was not lost or duplicated.
    assert_eq!(documents::list(&db).await.unwrap().len(), 1);
    assert_eq!(quarantine::list(&db).await.unwrap().len(), 1);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn records_the_earlier_codec_wrote_still_read_and_index() {
    let name = unique_name("earlier-codec");
    let mut sids = Sids::new(30);
    // No address, no intended area, a scan with no expiry date: `None`s at every depth.
    let (mut doc, scan) = document(sids.identity(), None, &png_bytes(64));
    doc.intended_area = None;
    let mut mapped = number(sids.number(), "+49301111111");
    mapped.identity_sid = Some(doc.sid);
    // A mobile number: no area, no identity, no address.
    let unmapped = number(sids.number(), "+4915712345678");
    Db::open(&name).await.unwrap().close();
    put_values(
        &name,
        schema::DOCUMENTS,
        &[as_the_earlier_codec_wrote(&doc)],
    )
    .await;
    let old_numbers: Vec<JsValue> = [&mapped, &unmapped]
        .into_iter()
        .map(|n| {
            let value = as_the_earlier_codec_wrote(n);
            Reflect::set(&value, &"compliance".into(), &"noncompliant".into()).unwrap();
            value
        })
        .collect();
    assert!(
        Reflect::get(&old_numbers[1], &"identity_sid".into())
            .unwrap()
            .is_undefined()
    );
    put_values(&name, schema::NUMBERS, &old_numbers).await;

    let db = Db::open(&name).await.unwrap();
    assert_eq!(documents::list(&db).await.unwrap(), vec![doc.clone()]);
    let mut listed = numbers::list(&db).await.unwrap();
    listed.sort_by_key(|n| n.sid);
    let mut both = vec![mapped.clone(), unmapped.clone()];
    both.sort_by_key(|n| n.sid);
    assert_eq!(listed, both);
    assert_eq!(
        numbers::of_document(&db, doc.sid).await.unwrap(),
        vec![mapped.clone()]
    );
    assert_eq!(
        numbers::with_compliance(&db, "noncompliant")
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(quarantine::list(&db).await.unwrap().is_empty());

    // Rewritten by today's codec, a `None` is `null`, which IndexedDB leaves out of an index
    // exactly as it left out `undefined`: only the mapped number is in the identity index.
    numbers::update(
        &db,
        &[
            (mapped.clone(), Compliance::NonCompliant(vec![])),
            (unmapped.clone(), Compliance::NonCompliant(vec![])),
        ],
        &event(sids.event(), "n"),
    )
    .await
    .unwrap();
    documents::save(&db, &doc, &[scan], None, &[event(sids.event(), "d")])
        .await
        .unwrap();
    db.close();
    assert_eq!(index_count(&name, schema::NUMBERS, "by_identity").await, 1);
    assert_eq!(index_count(&name, schema::NUMBERS, "by_address").await, 0);
    assert_eq!(index_count(&name, schema::DOCUMENTS, "by_address").await, 0);
    let db = Db::open(&name).await.unwrap();
    assert_eq!(
        numbers::of_document(&db, doc.sid).await.unwrap(),
        vec![mapped]
    );
    assert_eq!(documents::list(&db).await.unwrap(), vec![doc]);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_record_json_cannot_carry_is_quarantined_not_a_panic() {
    let name = unique_name("not-json");
    Db::open(&name).await.unwrap().close();
    let with = |sid: &str, field: &str, value: &JsValue| {
        let record =
            js_sys::JSON::parse(&format!(r#"{{"sid":"{sid}","status":"draft"}}"#)).unwrap();
        Reflect::set(&record, &field.into(), value).unwrap();
        record
    };
    let big = "RI00000000000000000000000000000001";
    let blob = "RI00000000000000000000000000000002";
    put_values(
        &name,
        schema::DOCUMENTS,
        &[
            // JSON.stringify throws on a BigInt, and leaves a Blob as `{}`.
            with(big, "details", &js_sys::BigInt::from(1u64).into()),
            with(blob, "status", &blob_of(&[1, 2, 3], "image/png").into()),
        ],
    )
    .await;

    let db = Db::open(&name).await.unwrap();
    assert!(matches!(
        documents::get(&db, big.parse().unwrap()).await,
        Err(regdesk::store::StoreError::Codec(_))
    ));
    assert!(documents::list(&db).await.unwrap().is_empty());
    let mut set_aside: Vec<String> = quarantine::list(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.key)
        .collect();
    set_aside.sort();
    assert_eq!(set_aside, vec![big.to_string(), blob.to_string()]);
    db.close();
    Db::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn an_open_tab_gives_way_to_an_upgrade_and_is_told_to_reload() {
    let name = unique_name("upgrade");
    let old_tab = Db::open_at(&name, 1).await.unwrap();
    let told = Rc::new(Cell::new(false));
    let flag = told.clone();
    let _sub = changes::subscribe(move |c| {
        if *c == Change::VersionChanged {
            flag.set(true);
        }
    });
    // The new version opens (not blocked: the old connection closes itself).
    let new_tab = Db::open(&name).await.unwrap();
    assert!(old_tab.closed_by_upgrade());
    assert!(told.get(), "the old tab's views were told to reload");
    assert!(matches!(
        numbers::list(&old_tab).await,
        Err(regdesk::store::StoreError::VersionChanged)
    ));
    assert!(numbers::list(&new_tab).await.unwrap().is_empty());
    new_tab.close();
    Db::delete(&name).await.unwrap();
}
