//! The console people see: Leptos components and pages. Thin by design: every rule is asked of
//! `domain`, every record is read and written through `store`.

pub mod app;
pub mod components;
pub mod data;
pub mod download;
pub mod offline;
pub mod pages;
pub mod routes;
pub mod startup;
pub mod state;
pub mod sync_control;
pub mod upload;

pub use app::App;

/// Starts the app in the page: panics go to the console with their message, then the app mounts.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
    offline::start();
}
