//! The search field in the header: typing shows the results page (`/search?q=…`), Enter opens
//! the first result, and `/` anywhere outside a field jumps to it. In the main wasm and small:
//! the index and the results are the search page's, loaded when it opens.

use leptos::ev;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

/// The link to the results of `typed`; with `open`, the page opens the first result.
fn results_url(typed: &str, open: bool) -> String {
    let q = String::from(js_sys::encode_uri_component(typed));
    if open {
        format!("/search?q={q}&open=first")
    } else {
        format!("/search?q={q}")
    }
}

/// Whether a key press happened in a place that takes text.
fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        })
}

/// The header's search field.
#[component]
pub fn HeaderSearch() -> impl IntoView {
    let navigate = use_navigate();
    let location = use_location();
    let query = use_query_map();
    let typed = RwSignal::new(String::new());
    let input_ref = NodeRef::<leptos::html::Input>::new();
    // On the results page the field shows what the page searched for (Back, a shared link), but
    // not while someone types in it: the URL catches up with typing a little later, and must not
    // put an older text back.
    Effect::new(move |_| {
        if location.pathname.get() == "/search" {
            let q = query.with(|q| q.get("q")).unwrap_or_default();
            let focused = input_ref.get_untracked().is_some_and(|input| {
                web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.active_element())
                    .is_some_and(|active| active == **input)
            });
            if !focused && typed.get_untracked() != q {
                typed.set(q);
            }
        }
    });
    let _slash = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "/"
            && !ev.ctrl_key()
            && !ev.meta_key()
            && !ev.alt_key()
            && !typing_in_a_field(&ev)
        {
            ev.prevent_default();
            if let Some(input) = input_ref.get_untracked() {
                let _ = input.focus();
                input.select();
            }
        }
    });
    let go = navigate.clone();
    let on_input = move |value: String| {
        typed.set(value.clone());
        let replace = location.pathname.get_untracked() == "/search";
        go(
            &results_url(&value, false),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        navigate(
            &results_url(&typed.get_untracked(), true),
            NavigateOptions {
                replace: location.pathname.get_untracked() == "/search",
                ..Default::default()
            },
        );
    };
    view! {
        <form class="site-search" role="search" on:submit=on_submit>
            <label for="site-search" class="visually-hidden">"Search numbers, labels, names, SIDs and cities"</label>
            <input id="site-search" type="search" node_ref=input_ref placeholder="Search  /" autocomplete="off"
                aria-keyshortcuts="/"
                prop:value=move || typed.get() on:input:target=move |ev| on_input(ev.target().value())/>
        </form>
    }
}
