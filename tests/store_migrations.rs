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
use regdesk::store::changes::{self, Change};
use regdesk::store::{Db, addresses, documents, numbers, quarantine, schema};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Writes raw JS records into a store, bypassing the repositories, as an older regdesk (or a
/// corruption) would have left them.
async fn put_raw(name: &str, store: &str, records: &[&str]) {
    let db = Database::open(name).await.unwrap();
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let os = tx.object_store(store).unwrap();
    for json in records {
        let value = js_sys::JSON::parse(json).unwrap();
        os.put(value).primitive().unwrap();
    }
    tx.commit().await.unwrap();
    db.close();
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
