//! Offline: registers the service worker (`public/sw.js`) in release builds, and offers
//! *Reload to update* when a new version of the app has been installed beside the running one.
//!
//! The worker caches the whole build at install, so after one visit the app opens with no server.
//! A new build installs a new worker that *waits* (the page keeps running the old code); this
//! module notices it and sets [`update_ready`]. [`reload_to_update`] tells the waiting worker to
//! take over and reloads the page once it has. [`UpdateBanner`] shows both; [`start`] mounts it.
//!
//! Debug builds (`trunk serve`) register nothing: a caching worker would make rebuilds confusing.
//! The bindings are declared here rather than through web-sys features, so the crate's feature
//! list stays as it is.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The URL the worker is served at: stable across builds (Trunk copies it without hashing).
const SCRIPT_URL: &str = "/sw.js";

/// How long after the first page is built the worker is registered (and starts downloading the
/// rest of the build).
const REGISTER_AFTER_MS: u32 = 500;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(extends = web_sys::EventTarget)]
    #[derive(Clone)]
    type ServiceWorkerContainer;
    #[wasm_bindgen(method)]
    fn register(this: &ServiceWorkerContainer, url: &str) -> js_sys::Promise;
    #[wasm_bindgen(method, getter)]
    fn controller(this: &ServiceWorkerContainer) -> Option<ServiceWorker>;

    #[wasm_bindgen(extends = web_sys::EventTarget)]
    #[derive(Clone)]
    type ServiceWorkerRegistration;
    #[wasm_bindgen(method, getter)]
    fn installing(this: &ServiceWorkerRegistration) -> Option<ServiceWorker>;
    #[wasm_bindgen(method, getter)]
    fn waiting(this: &ServiceWorkerRegistration) -> Option<ServiceWorker>;

    #[wasm_bindgen(extends = web_sys::EventTarget)]
    #[derive(Clone)]
    type ServiceWorker;
    #[wasm_bindgen(method, getter)]
    fn state(this: &ServiceWorker) -> String;
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &ServiceWorker, message: &JsValue);
}

struct State {
    update_ready: ArcRwSignal<bool>,
    waiting: Option<ServiceWorker>,
    reloading: bool,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State {
        update_ready: ArcRwSignal::new(false),
        waiting: None,
        reloading: false,
    });
}

/// True once a new version is installed and waiting: the page can offer *Reload to update*.
pub fn update_ready() -> ArcReadSignal<bool> {
    STATE.with(|s| s.borrow().update_ready.read_only())
}

/// Lets the waiting version take over; the page reloads as soon as it controls the page.
pub fn reload_to_update() {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(worker) = s.waiting.clone() {
            s.reloading = true;
            worker.post_message(&JsValue::from_str("skip-waiting"));
        }
    });
}

/// Registers the service worker (release builds only) and mounts [`UpdateBanner`].
pub fn start() {
    if cfg!(debug_assertions) {
        return;
    }
    let Some(container) = container() else {
        return;
    };
    leptos::mount::mount_to_body(UpdateBanner);
    // A new worker took over because we asked it to: load the new version's page.
    listen(&container, "controllerchange", |_| {
        if STATE.with(|s| s.borrow().reloading)
            && let Some(window) = web_sys::window()
        {
            let _ = window.location().reload();
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        // Installing the worker downloads every file of the build (every page's chunk): after the
        // first page is shown, so the first visit's own downloads go first.
        super::startup::first_route_shown(REGISTER_AFTER_MS).await;
        match JsFuture::from(container.register(SCRIPT_URL)).await {
            // Some environments (automation with workers blocked) resolve without a registration.
            Ok(registration) if registration.is_object() => watch(registration.unchecked_into()),
            Ok(_) => {}
            Err(err) => {
                leptos::logging::warn!(
                    "regdesk: the offline worker could not be registered: {err:?}"
                )
            }
        }
    });
}

/// A small bar at the bottom of the page while a new version waits.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ready = update_ready();
    view! {
        <Show when=move || ready.get()>
            <div
                class="update-banner"
                role="status"
                data-testid="update-banner"
                style:position="fixed"
                style:left="1rem"
                style:right="1rem"
                style:bottom="1rem"
                style:display="flex"
                style:gap="1rem"
                style:align-items="center"
                style:justify-content="space-between"
                style:padding=".75rem 1rem"
                style:background="#1d2430"
                style:color="#ffffff"
                style:border-radius="6px"
                style:z-index="20"
            >
                <span>"A new version of regdesk is ready."</span>
                <button type="button" on:click=move |_| reload_to_update()>
                    "Reload to update"
                </button>
            </div>
        </Show>
    }
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let value = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    (!value.is_undefined() && !value.is_null()).then(|| value.unchecked_into())
}

/// Follows the registration: a worker already waiting, or one that finishes installing later
/// while an older one controls the page, is a new version.
fn watch(registration: ServiceWorkerRegistration) {
    if let Some(worker) = registration.waiting() {
        offer(worker);
    }
    let reg = registration.clone();
    listen(&registration, "updatefound", move |_| {
        let Some(worker) = reg.installing() else {
            return;
        };
        let w = worker.clone();
        listen(&worker, "statechange", move |_| {
            let controlled = container().and_then(|c| c.controller()).is_some();
            if w.state() == "installed" && controlled {
                offer(w.clone());
            }
        });
    });
}

fn offer(worker: ServiceWorker) {
    let ready = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.waiting = Some(worker);
        s.update_ready.clone()
    });
    ready.set(true);
}

/// Adds an event listener that lives as long as the page.
fn listen(target: &web_sys::EventTarget, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}
