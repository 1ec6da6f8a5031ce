//! regdesk: an offline, in-browser console for phone-number regulatory compliance.
//!
//! The crate is layered; each layer depends only on the ones above it in this list (see
//! `ARCHITECTURE.md`):
//! 1. [`domain`]: the rules, as pure Rust, tested natively;
//! 2. `store`: IndexedDB persistence (wasm only);
//! 3. `review`: the simulated verification queue (wasm only);
//! 4. `sync`: team sync, CouchDB replication over the store (wasm only);
//! 5. `ui`: the Leptos components and pages (wasm only).

pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod store;

#[cfg(target_arch = "wasm32")]
pub mod review;

#[cfg(target_arch = "wasm32")]
pub mod sync;

#[cfg(target_arch = "wasm32")]
pub mod ui;
