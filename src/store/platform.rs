//! The browser facilities every layer above needs and the domain must not touch: the wall clock
//! and a source of random bytes. Kept here, at the first browser layer, so there is one of each.

use crate::domain::records::sid::RandomSource;
use crate::domain::time::Timestamp;

/// The current time, from the browser's clock.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// Random bytes from the browser's cryptographic generator (`crypto.getRandomValues`), for SIDs.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserRandom;

impl RandomSource for BrowserRandom {
    fn fill(&mut self, bytes: &mut [u8]) {
        let crypto = web_sys::window().and_then(|w| w.crypto().ok());
        let filled = crypto.is_some_and(|c| c.get_random_values_with_u8_array(bytes).is_ok());
        if !filled {
            // No crypto (never the case in a supported browser): fall back to Math.random, which is
            // still unique enough for record names, though not unpredictable.
            for b in bytes.iter_mut() {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
    }
}
