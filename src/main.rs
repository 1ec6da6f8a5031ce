//! The regdesk binary: mounts the app into the page. Everything else lives in the library, so
//! tests can mount the same components.

#[cfg(target_arch = "wasm32")]
fn main() {
    regdesk::ui::start();
}

/// regdesk runs in the browser only; a native build exists so `cargo test` can check the domain.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("regdesk is a browser app: run `make serve` and open http://127.0.0.1:8080");
}
