//! The demo speed preference: how fast simulated review time runs. A small preference, so it
//! lives in localStorage (gloo-storage), not in the database.

use gloo_storage::{LocalStorage, Storage};

use crate::domain::time::clock::DemoSpeed;

const KEY: &str = "regdesk.demo-speed";

/// The chosen speed, or the default (one business hour per second) if none was chosen.
pub fn current() -> DemoSpeed {
    LocalStorage::get(KEY).unwrap_or_default()
}

/// Remembers the chosen speed. It applies to reviews submitted from now on: a queued review keeps
/// the due time it was given.
pub fn set(speed: DemoSpeed) {
    let _ = LocalStorage::set(KEY, speed);
}
