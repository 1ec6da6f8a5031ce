//! Points in time, as the domain stores them: milliseconds since the Unix epoch (UTC).
//!
//! A plain integer, not a formatted string, because IndexedDB indexes sort it correctly (the
//! review queue asks "what is due before now?") and JavaScript's `Date.now()` yields it directly.
//! The domain never reads a clock: every "now" is passed in, so every rule is testable.

use serde::{Deserialize, Serialize};

/// An instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The instant as jiff's type, for calendar arithmetic.
    pub fn to_jiff(self) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    /// The instant of a jiff timestamp.
    pub fn from_jiff(ts: jiff::Timestamp) -> Timestamp {
        Timestamp(ts.as_millisecond())
    }

    /// The calendar date of this instant in UTC, for expiry and age checks.
    pub fn date_utc(self) -> jiff::civil::Date {
        jiff::tz::TimeZone::UTC.to_datetime(self.to_jiff()).date()
    }

    /// This instant plus `ms` milliseconds.
    pub fn plus_ms(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }

    /// ISO 8601 text in UTC, to the second (`2026-12-01T09:00:00Z`), for logs and exports.
    pub fn to_iso(self) -> String {
        self.to_jiff()
            .round(jiff::Unit::Second)
            .map(|t| t.to_string())
            .unwrap_or_default()
    }
}
