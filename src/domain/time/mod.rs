//! Points in time, as the domain stores them: milliseconds since the Unix epoch (UTC).
//!
//! A plain integer, not a formatted string, because IndexedDB indexes sort it correctly (the
//! review queue asks "what is due before now?") and JavaScript's `Date.now()` yields it directly.
//! The domain never reads a clock: every "now" is passed in, so every rule is testable.

pub mod calendar;
pub mod clock;
pub mod holidays;

use serde::{Deserialize, Serialize};

use crate::domain::time::calendar::{DAY_MS, Date, UtcDateTime};

/// An instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The calendar date of this instant in UTC, for expiry and age checks.
    pub fn date_utc(self) -> Date {
        Date::from_unix_days(self.0.div_euclid(DAY_MS))
    }

    /// Civil time in UTC, to the second.
    pub fn utc(self) -> UtcDateTime {
        UtcDateTime::of_unix_ms(self.0)
    }

    /// This instant plus `ms` milliseconds.
    pub fn plus_ms(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }

    /// ISO 8601 text in UTC, to the nearest second (`2026-12-01T09:00:00Z`), for logs and
    /// exports.
    pub fn to_iso(self) -> String {
        UtcDateTime::of_unix_ms(self.0.saturating_add(500).div_euclid(1000) * 1000).to_rfc3339()
    }
}
