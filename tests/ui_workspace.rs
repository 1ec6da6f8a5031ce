//! "Your data, portable" in the mounted app: the backup page refuses a corrupted file with its
//! precise message and changes nothing, a CSV preview shows its bad row and imports only the
//! good ones, and bulk mapping on My numbers maps the numbers it fits and lists the rest with
//! their reasons, keeping the selection across pages.
#![cfg(target_arch = "wasm32")]

#[path = "support/dom.rs"]
mod dom;
#[path = "support/store_fixtures.rs"]
mod fixtures;

use dom::*;
use fixtures::*;
use regdesk::domain::demo::{self, Demo};
use regdesk::domain::exchange::csv_import::{Existing, parse_numbers};
use regdesk::domain::exchange::portable::{ImportMode, Validated};
use regdesk::domain::phone::e164::E164;
use regdesk::domain::records::document::Status;
use regdesk::domain::records::files::sha256_hex;
use regdesk::domain::records::sid::{EventSid, SeededRandom};
use regdesk::domain::rules::compliance::Compliance;
use regdesk::store::changes::{self, Change};
use regdesk::store::{Db, numbers, platform, workspace};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The demo company, as of the browser's now (the pages judge expiry by the real date).
async fn load_demo(db: &Db) -> Demo {
    let at = platform::now();
    let built = demo::build(at, &mut SeededRandom::new(5));
    let validated = Validated {
        exported_at: at,
        workspace: built.workspace.clone(),
        scans: built.scans.clone(),
        missing_scans: Vec::new(),
    };
    workspace::import(
        db,
        validated,
        ImportMode::Replace,
        EventSid::generate(&mut SeededRandom::new(6)),
        at,
    )
    .await
    .unwrap();
    built
}

fn grouped(e164: &str) -> String {
    E164::parse(e164).unwrap().format_grouped()
}

#[wasm_bindgen_test]
async fn a_corrupted_backup_is_refused_with_its_precise_message_and_nothing_changes() {
    let name = unique_name("ws-corrupt");
    let db = Db::open(&name).await.unwrap();
    load_demo(&db).await;
    let before = workspace::snapshot(&db).await.unwrap();
    let file = workspace::export(&db, NOW).await.unwrap();
    let bytes = bytes_of(&file.blob).await;

    // A record broken and the checksum resealed: the record checks must name it.
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let broken_sid = value["body"]["numbers"][1]["sid"]
        .as_str()
        .unwrap()
        .to_string();
    value["body"]["numbers"][1]["e164"] = "not a number".into();
    let body = serde_json::to_string(&value["body"]).unwrap();
    value["checksum"] = sha256_hex(body.as_bytes()).into();
    let resealed = serde_json::to_vec(&value).unwrap();

    let (root, _app) = mount("/workspace", &name);
    wait_for(&root, "h1").await;
    assert_eq!(
        find(&root, "h1").unwrap().text_content().unwrap(),
        "Backup and import"
    );
    choose_file(&root, "#import-file", "backup.json", &resealed).await;
    let alert = wait_for(&root, "[data-testid=import-error] [role=alert]").await;
    let message = text(&alert);
    assert!(message.contains("number 2"), "{message}");
    assert!(message.contains(&broken_sid), "{message}");
    assert!(message.contains("e164"), "{message}");
    assert!(message.contains("Nothing was changed"), "{message}");
    assert!(find(&root, "[data-testid=import-ready]").is_none());

    // The same file edited without resealing: the checksum catches it.
    let mut tampered = bytes.clone();
    let at = tampered
        .windows(7)
        .position(|w| w == b"Berlin ")
        .expect("the demo has a Berlin office");
    tampered[at] = b'b';
    choose_file(&root, "#import-file", "edited.json", &tampered).await;
    wait_text(&root, "changed or damaged after export").await;
    assert!(find(&root, "[data-testid=import-ready]").is_none());

    // Cut short: an incomplete file.
    choose_file(
        &root,
        "#import-file",
        "short.json",
        &bytes[..bytes.len() / 2],
    )
    .await;
    wait_text(&root, "incomplete").await;

    let after = workspace::snapshot(&db).await.unwrap();
    assert_eq!(before, after, "nothing was written");

    // A sound file is offered for import, with what it holds.
    choose_file(&root, "#import-file", "good.json", &bytes).await;
    let ready = wait_for(&root, "[data-testid=import-ready]").await;
    assert!(text(&ready).contains("4 numbers"), "{}", text(&ready));
    assert!(find(&root, "[data-testid=import-error] [role=alert]").is_none());
    click_button(&root, "Merge into this workspace").await;
    wait_text(&root, "Already here unchanged").await;
    assert_eq!(
        workspace::snapshot(&db).await.unwrap().numbers,
        before.numbers
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_csv_with_a_bad_row_shows_it_in_the_preview_and_imports_only_the_valid_rows() {
    let name = unique_name("ws-csv");
    let db = Db::open(&name).await.unwrap();
    let csv = "Phone Number,Friendly Name,Date Bought\n\
               +49 30 1234567,Berlin desk,2024-05-01\n\
               4930555,Broken,2024-05-01\n\
               +49 40 1234567,,2024-05-02\n";
    let expected = parse_numbers(csv.as_bytes(), &Existing::default()).unwrap();
    let bad = expected.errors().next().unwrap();
    let problem = bad.problems[0].to_string();

    let (root, _app) = mount("/workspace", &name);
    choose_file(&root, "#csv-file", "numbers.csv", csv.as_bytes()).await;
    let summary = wait_for(&root, "[data-testid=csv-summary]").await;
    assert!(
        text(&summary).contains("2 valid, 1 with errors"),
        "{}",
        text(&summary)
    );
    let row = wait_for(&root, "table.csv-preview tr.row-error").await;
    let row_text = text(&row);
    assert!(row_text.starts_with('3'), "row number first: {row_text}");
    assert!(row_text.contains("4930555"), "{row_text}");
    assert!(row_text.contains(&problem), "{row_text} / {problem}");
    assert_eq!(
        root.query_selector_all("table.csv-preview tbody tr")
            .unwrap()
            .length(),
        3
    );
    assert!(
        numbers::list(&db).await.unwrap().is_empty(),
        "the preview writes nothing"
    );

    click_button(&root, "Import 2 numbers").await;
    wait_text(&root, "Imported 2 numbers.").await;
    assert!(text(&root).contains("1 row with errors was not imported"));
    let mut owned: Vec<String> = numbers::list(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| {
            assert!(n.legacy);
            n.e164.to_string()
        })
        .collect();
    owned.sort();
    assert_eq!(owned, ["+49301234567", "+49401234567"]);
    assert!(
        find(&root, "table.csv-preview").is_none(),
        "the preview is gone"
    );

    // The same file again: every row is now owned, so nothing is importable.
    choose_file(&root, "#csv-file", "numbers.csv", csv.as_bytes()).await;
    let summary = wait_for(&root, "[data-testid=csv-summary]").await;
    assert!(
        text(&summary).contains("0 valid, 3 with errors"),
        "{}",
        text(&summary)
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn bulk_mapping_maps_the_eligible_numbers_and_lists_the_refused_with_reasons() {
    let name = unique_name("ws-bulk");
    let db = Db::open(&name).await.unwrap();
    let built = load_demo(&db).await;
    let passed = built
        .workspace
        .documents
        .iter()
        .find(|d| d.status == Status::Passed)
        .unwrap()
        .clone();
    let berlin = built.workspace.addresses[0].clone();
    assert_eq!(berlin.city, "Berlin");

    let (root, _app) = mount("/numbers", &name);
    let berlin_box = format!("input[aria-label='Select {}']", grouped("+49302345678"));
    // The first rows (a cold start's, from the stored slugs) can be selected at once …
    wait_for(&root, &berlin_box).await;
    assert!(
        find(&root, "#bulk-identity").is_none(),
        "no bar without a selection"
    );
    click(&root, "input[aria-label='Select all on this page']").await;
    wait_text(&root, "4 numbers selected").await;
    assert!(checked(&root, &berlin_box));

    // … and the bulk bar offers the documents once the whole workspace is read.
    assert!(
        until(5000, || find(&root, "#numbers-count")
            .map(|e| text(&e))
            .as_deref()
            == Some("4 numbers"))
        .await,
        "the whole list was read"
    );
    // Neither side chosen: asked to choose, nothing written.
    click_button(&root, "Apply to selected").await;
    wait_text(
        &root,
        "Choose an identity document, an address, or None to unmap.",
    )
    .await;

    choose(&root, "#bulk-identity", &passed.sid.to_string()).await;
    choose(&root, "#bulk-address", &berlin.sid.to_string()).await;
    click_button(&root, "Apply to selected").await;
    wait_text(&root, "Mapped 1 number to").await;
    let result = find(&root, "[data-testid=bulk-result]").unwrap();
    let listed = text(&result);
    assert!(listed.contains("3 numbers left unchanged"), "{listed}");
    assert!(listed.contains(&passed.display_name()), "named: {listed}");
    for n in ["+49892345678", "+49402345678", "+4915712345678"] {
        assert!(listed.contains(&grouped(n)), "{n} listed: {listed}");
    }
    assert!(
        find(&result, ".refused .problems .code").is_some(),
        "each with coded reasons: {listed}"
    );

    let stored = numbers::list(&db).await.unwrap();
    for n in &stored {
        if n.e164.to_string() == "+49302345678" {
            assert_eq!(
                (n.identity_sid, n.address_sid),
                (Some(passed.sid), Some(berlin.sid))
            );
        } else {
            assert_eq!(
                (n.identity_sid, n.address_sid),
                (None, None),
                "{} untouched",
                n.e164
            );
        }
    }
    assert_eq!(
        numbers::with_compliance(&db, "compliant")
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        find(&root, "#bulk-identity").is_none(),
        "the selection is cleared"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_selection_survives_paging_and_filters_keep_working() {
    let name = unique_name("ws-paging");
    let db = Db::open(&name).await.unwrap();
    let mut sids = Sids::new(77);
    let many: Vec<_> = (0..60)
        .map(|i| {
            (
                number(sids.number(), &format!("+4930{:07}", 2_000_000 + i)),
                Compliance::NonCompliant(vec![]),
            )
        })
        .collect();
    numbers::add(&db, &many, &event(sids.event(), "n"))
        .await
        .unwrap();
    let first = format!("input[aria-label='Select {}']", grouped("+49302000000"));
    let last = format!("input[aria-label='Select {}']", grouped("+49302000059"));

    let (root, _app) = mount("/numbers", &name);
    // The first rows show before the whole list is read; the pager needs the whole list.
    wait_text(&root, "60 numbers").await;
    click(&root, &first).await;
    wait_text(&root, "1 number selected").await;
    click_button(&root, "Next").await;
    click(&root, &last).await;
    wait_text(&root, "2 numbers selected").await;
    click_button(&root, "Previous").await;
    wait_for(&root, &first).await;
    assert!(checked(&root, &first), "still selected after paging");

    type_into(&root, "#filter-digits", "2000059").await;
    let count = |root: &web_sys::Element| find(root, "#numbers-count").map(|e| text(&e));
    assert!(until(2000, || count(&root).as_deref() == Some("1 number")).await);
    wait_text(&root, "(1 not shown by the filters)").await;
    assert!(checked(&root, &last));
    root.remove();
}

/// Regression: when the list shrinks under the page shown (here another tab replaces the
/// workspace; a bulk mapping out of a non-compliant-only list does the same), the pager said
/// "Page 2 of 1" over an empty table. It now stays on the last page that exists.
#[wasm_bindgen_test]
async fn the_pager_stays_on_a_page_that_exists_when_the_list_shrinks() {
    let name = unique_name("ws-shrink");
    let db = Db::open(&name).await.unwrap();
    let mut sids = Sids::new(78);
    let many: Vec<_> = (0..60)
        .map(|i| {
            (
                number(sids.number(), &format!("+4930{:07}", 3_000_000 + i)),
                Compliance::NonCompliant(vec![]),
            )
        })
        .collect();
    numbers::add(&db, &many, &event(sids.event(), "n"))
        .await
        .unwrap();
    let (root, _app) = mount("/numbers", &name);
    wait_text(&root, "Page 1 of 2").await;
    click_button(&root, "Next").await;
    wait_text(&root, "Page 2 of 2").await;

    load_demo(&db).await;
    changes::publish(Change::Numbers);
    wait_text(&root, "Page 1 of 1").await;
    assert!(
        until(2000, || find(&root, "#numbers-count")
            .map(|e| text(&e))
            .as_deref()
            == Some("4 numbers"))
        .await
    );
    assert_eq!(
        root.query_selector_all("main tbody tr").unwrap().length(),
        4
    );
    root.remove();
}
