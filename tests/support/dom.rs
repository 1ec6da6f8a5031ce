//! Driving a mounted app through its DOM, as a person would: type, choose, click, wait.
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

/// A fresh element in the page to mount into.
pub fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let section = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&section).unwrap();
    section.unchecked_into()
}

/// Sets the URL the router will read when the app mounts.
pub fn go_to(path: &str) {
    let history = web_sys::window().unwrap().history().unwrap();
    history
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

/// Waits (up to `ms`) until `done` holds, yielding to the browser between checks.
pub async fn until(ms: u32, mut done: impl FnMut() -> bool) -> bool {
    let mut waited = 0;
    while !done() {
        if waited >= ms {
            return false;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
        waited += 20;
    }
    true
}

/// The text of everything under `root`.
pub fn text(root: &Element) -> String {
    root.text_content().unwrap_or_default()
}

/// The first element matching `selector`.
pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

/// Waits until `selector` exists, then returns it.
pub async fn wait_for(root: &Element, selector: &str) -> Element {
    assert!(
        until(5000, || find(root, selector).is_some()).await,
        "{selector} never appeared; page: {}",
        text(root)
    );
    find(root, selector).unwrap()
}

/// Waits until the page's text contains `needle`.
pub async fn wait_text(root: &Element, needle: &str) {
    assert!(
        until(5000, || text(root).contains(needle)).await,
        "never saw {needle:?}; page: {}",
        text(root)
    );
}

/// Types `value` into the input `selector`.
pub async fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = wait_for(root, selector).await.unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
}

/// Chooses `value` in the select `selector`.
pub async fn choose(root: &Element, selector: &str, value: &str) {
    let select: HtmlSelectElement = wait_for(root, selector).await.unchecked_into();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
}

/// The option values of the select `selector`, without the empty "none" option.
pub fn options(root: &Element, selector: &str) -> Vec<String> {
    let list = root
        .query_selector_all(&format!("{selector} option"))
        .unwrap();
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|n| n.unchecked_into::<web_sys::HtmlOptionElement>().value())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Clicks the first button whose text is `label`.
pub async fn click_button(root: &Element, label: &str) {
    assert!(
        until(5000, || button(root, label).is_some()).await,
        "no button {label:?}; page: {}",
        text(root)
    );
    button(root, label).unwrap().click();
    leptos::task::tick().await;
}

fn button(root: &Element, label: &str) -> Option<HtmlElement> {
    let list = root.query_selector_all("button").unwrap();
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
}

/// Chooses a file called `name` holding `bytes` in the file input `selector`, as a person picking
/// it would: the input's files are set through a `DataTransfer`, then `change` fires.
pub async fn choose_file(root: &Element, selector: &str, name: &str, bytes: &[u8]) {
    let input: HtmlInputElement = wait_for(root, selector).await.unchecked_into();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    input.set_files(transfer.files().as_ref());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
}

/// Clicks the element `selector` (a checkbox, a link) once it exists.
pub async fn click(root: &Element, selector: &str) {
    let element: HtmlElement = wait_for(root, selector).await.unchecked_into();
    element.click();
    leptos::task::tick().await;
}

/// Whether the checkbox `selector` is checked.
pub fn checked(root: &Element, selector: &str) -> bool {
    find(root, selector)
        .map(|e| e.unchecked_into::<HtmlInputElement>().checked())
        .unwrap_or(false)
}

/// Mounts the whole app at `path` on its own database; keep the handle alive while testing.
pub fn mount(
    path: &str,
    db: &str,
) -> (
    web_sys::HtmlElement,
    leptos::mount::UnmountHandle<impl leptos::prelude::Mountable + use<>>,
) {
    use leptos::prelude::*;
    go_to(path);
    let root = container();
    let name = db.to_string();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <regdesk::ui::app::AppOn name=name.clone()/> }
    });
    (root, handle)
}
