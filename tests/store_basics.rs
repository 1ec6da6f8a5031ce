//! The store against the browser's real IndexedDB: open, write, read back, reopen.
#![cfg(target_arch = "wasm32")]

use regdesk::store::{Db, meta};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database name no other test uses: all tests of a binary share one page and one origin.
fn unique_name(test: &str) -> String {
    format!("test-{test}-{}", js_sys::Math::random())
}

#[wasm_bindgen_test]
async fn writes_read_back_and_survive_a_fresh_connection() {
    let name = unique_name("meta");
    let db = Db::open(&name).await.unwrap();
    assert_eq!(meta::get(&db, "workspace").await.unwrap(), None);
    meta::set(&db, "workspace", "Acme GmbH").await.unwrap();
    assert_eq!(
        meta::get(&db, "workspace").await.unwrap().as_deref(),
        Some("Acme GmbH")
    );
    db.close();

    // What a reload does: a new connection to the same database.
    let again = Db::open(&name).await.unwrap();
    assert_eq!(
        meta::get(&again, "workspace").await.unwrap().as_deref(),
        Some("Acme GmbH")
    );
    again.close();
    Db::delete(&name).await.unwrap();
}
