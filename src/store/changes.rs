//! Telling every view that the workspace changed: the other views of this tab directly, and the
//! other open tabs through a `BroadcastChannel`, so a document decided in one tab updates the
//! badge in all of them without a reload.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

/// The channel every regdesk tab of this origin listens on.
const CHANNEL: &str = "regdesk-changes";

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    /// Identity documents changed (created, edited, submitted, deleted).
    Documents,
    /// A document's status changed: the status callback, for toasts.
    DocumentStatus {
        /// The document's SID.
        sid: String,
        /// Its name.
        name: String,
        /// Its new status (`passed`, `failed`, `pending`).
        status: String,
    },
    /// Addresses changed.
    Addresses,
    /// Numbers changed (bought, mapped, imported, released).
    Numbers,
    /// The whole workspace was replaced (demo data, reset, restore).
    Workspace,
    /// Records that could not be read were moved to quarantine.
    Quarantined,
    /// Another tab upgraded the database; this tab must reload.
    VersionChanged,
}

type Listener = Rc<dyn Fn(&Change)>;

struct Hub {
    next: u64,
    listeners: Vec<(u64, Listener)>,
    channel: Option<BroadcastChannel>,
}

thread_local! {
    static HUB: RefCell<Hub> = const { RefCell::new(Hub { next: 0, listeners: Vec::new(), channel: None }) };
}

fn deliver(change: &Change) {
    // Copy the listeners out first: a listener may subscribe or unsubscribe while it runs.
    let listeners: Vec<Listener> = HUB.with(|h| {
        h.borrow()
            .listeners
            .iter()
            .map(|(_, l)| l.clone())
            .collect()
    });
    for listener in listeners {
        listener(change);
    }
}

/// The tab's channel, opened on first use, delivering other tabs' changes to this tab's listeners.
fn channel() -> Option<BroadcastChannel> {
    HUB.with(|h| {
        let mut hub = h.borrow_mut();
        if hub.channel.is_none() {
            let channel = BroadcastChannel::new(CHANNEL).ok()?;
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
                if let Some(change) = event
                    .data()
                    .as_string()
                    .and_then(|s| serde_json::from_str::<Change>(&s).ok())
                {
                    deliver(&change);
                }
            });
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
            hub.channel = Some(channel);
        }
        hub.channel.clone()
    })
}

/// Announces a committed change to this tab's views and to every other tab.
pub fn publish(change: Change) {
    if let (Some(channel), Ok(text)) = (channel(), serde_json::to_string(&change)) {
        let _ = channel.post_message(&JsValue::from_str(&text));
    }
    deliver(&change);
}

/// Tells this tab only that its connection was closed by another tab's upgrade.
pub(crate) fn announce_version_change() {
    deliver(&Change::VersionChanged);
}

/// A registered listener; dropping it unregisters.
pub struct Subscription(u64);

impl Drop for Subscription {
    fn drop(&mut self) {
        let id = self.0;
        HUB.with(|h| h.borrow_mut().listeners.retain(|(i, _)| *i != id));
    }
}

/// Calls `listener` for every change, from this tab or another, until the subscription drops.
pub fn subscribe(listener: impl Fn(&Change) + 'static) -> Subscription {
    channel();
    HUB.with(|h| {
        let mut hub = h.borrow_mut();
        hub.next += 1;
        let id = hub.next;
        hub.listeners.push((id, Rc::new(listener)));
        Subscription(id)
    })
}
