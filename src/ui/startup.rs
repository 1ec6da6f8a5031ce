//! The order of a start: the first page first, then everything else.
//!
//! A first visit downloads the main wasm and the chunk of the page it opens, and nothing more
//! before that page is on screen (see "Split build" in ARCHITECTURE.md). The review worker, the
//! compliance refresh, the catalog check and the offline worker's download of every other chunk
//! wait for [`first_route_shown`], so they never compete with the page the user asked for.

use std::cell::RefCell;

use futures::channel::oneshot;

#[derive(Default)]
struct State {
    shown: bool,
    waiting: Vec<oneshot::Sender<()>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Called by every route when its view is built: the first call releases what waits.
pub fn route_shown() {
    let waiting = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.shown = true;
        std::mem::take(&mut s.waiting)
    });
    for w in waiting {
        let _ = w.send(());
    }
}

/// Resolves once the first route's view has been built (at once if it has been), then after
/// `settle_ms` more, so the page's own first reads go before the background work.
pub async fn first_route_shown(settle_ms: u32) {
    let wait = STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.shown {
            return None;
        }
        let (tx, rx) = oneshot::channel();
        s.waiting.push(tx);
        Some(rx)
    });
    if let Some(rx) = wait {
        let _ = rx.await;
    }
    gloo_timers::future::TimeoutFuture::new(settle_ms).await;
}
