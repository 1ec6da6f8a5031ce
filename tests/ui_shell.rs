//! The app shell, mounted in a real page: navigation, headings, the not-found page.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use regdesk::ui::App;
use regdesk::ui::components::nav::Nav;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let section = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&section).unwrap();
    section.unchecked_into()
}

#[wasm_bindgen_test]
async fn nav_links_to_every_page() {
    let root = container();
    let _mounted = leptos::mount::mount_to(
        root.clone(),
        || view! { <leptos_router::components::Router><Nav/></leptos_router::components::Router> },
    );
    leptos::task::tick().await;
    let text = root.text_content().unwrap();
    for page in [
        "Identity documents",
        "Addresses",
        "Buy a number",
        "My numbers",
        "Activity",
    ] {
        assert!(text.contains(page), "nav lacks {page}: {text}");
    }
    let links = root.query_selector_all("nav a").unwrap();
    assert_eq!(links.length(), 5);
}

#[wasm_bindgen_test]
async fn unknown_url_shows_not_found() {
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/no-such-page"))
        .unwrap();
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), App);
    leptos::task::tick().await;
    let heading = root
        .query_selector("h1")
        .unwrap()
        .expect("a heading")
        .text_content()
        .unwrap();
    assert_eq!(heading, "Page not found");
}
