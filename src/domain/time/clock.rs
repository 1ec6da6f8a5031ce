//! The business-hours clock: "usually within 48 business hours" as arithmetic.
//!
//! A reviewer works 09:00–17:00, Monday to Friday except Berlin's public holidays
//! ([`holidays`](crate::domain::time::holidays)), in their own time zone (Berlin, with its daylight-saving
//! changes, see `calendar::CentralEuropeanTime`). Times are counted on a local clock (milliseconds as if local time were UTC), where a
//! working day is simply `day * DAY_MS + hour * HOUR_MS`, and converted back to instants at the
//! edges.

use serde::{Deserialize, Serialize};

use crate::domain::records::sid::SeededRandom;
use crate::domain::time::Timestamp;
use crate::domain::time::calendar::{
    CentralEuropeanTime, DAY_MS, Date, HOUR_MS, MINUTE_MS, UtcDateTime,
};
use crate::domain::time::holidays::berlin_holiday;

/// The back office's promise: a decision "usually within 48 business hours".
pub const PROMISED_HOURS: i64 = 48;

/// Working hours in a time zone, and arithmetic over them.
#[derive(Debug, Clone)]
pub struct BusinessClock {
    zone: CentralEuropeanTime,
    open_hour: i64,
    close_hour: i64,
}

impl BusinessClock {
    /// The simulated back office: 09:00–17:00 on weekdays, Berlin time.
    pub fn reviewer() -> BusinessClock {
        BusinessClock {
            zone: CentralEuropeanTime,
            open_hour: 9,
            close_hour: 17,
        }
    }

    /// Closing time on the local day of `local`.
    fn close_of(&self, local: i64) -> i64 {
        local.div_euclid(DAY_MS) * DAY_MS + self.close_hour * HOUR_MS
    }

    /// The first working moment at or after `local` (local clock).
    fn next_open(&self, mut local: i64) -> i64 {
        loop {
            let day = local.div_euclid(DAY_MS);
            let into_day = local.rem_euclid(DAY_MS);
            let date = Date::from_unix_days(day);
            if !date.is_weekend() && berlin_holiday(date).is_none() {
                if into_day < self.open_hour * HOUR_MS {
                    return day * DAY_MS + self.open_hour * HOUR_MS;
                }
                if into_day < self.close_hour * HOUR_MS {
                    return local;
                }
            }
            local = (day + 1) * DAY_MS;
        }
    }

    /// Whether the back office is working at `t`.
    pub fn is_open(&self, t: Timestamp) -> bool {
        let local = self.zone.to_local(t.0);
        self.next_open(local) == local
    }

    /// The instant `minutes` business minutes after `start`: nights, weekends and holidays do not
    /// count.
    pub fn add_business_minutes(&self, start: Timestamp, minutes: i64) -> Timestamp {
        let mut local = self.next_open(self.zone.to_local(start.0));
        // Counted in milliseconds: a start in mid-minute must not lose or gain its seconds.
        let mut left = minutes.max(0) * MINUTE_MS;
        loop {
            // Working hours never fall in a daylight-saving gap, so both ends are exact.
            let now = self.zone.to_utc(local);
            let close = self.zone.to_utc(self.close_of(local));
            if left <= close - now {
                return Timestamp(now + left);
            }
            left -= close - now;
            local = self.next_open(self.close_of(local));
        }
    }

    /// When a review submitted at `submitted` is usually decided by: [`PROMISED_HOURS`] business
    /// hours later. It is what a person waiting is told, not when the simulated reviewer will
    /// decide (about one review in ten takes longer).
    pub fn usually_decided_by(&self, submitted: Timestamp) -> Timestamp {
        self.add_business_minutes(submitted, PROMISED_HOURS * 60)
    }

    /// The working hours in words, for the people waiting on a review.
    pub fn hours_text(&self) -> String {
        format!(
            "{:02}:00–{:02}:00 Berlin time on weekdays, except Berlin's public holidays",
            self.open_hour, self.close_hour
        )
    }

    /// `t` on the reviewer's wall clock, `2026-12-08 17:00 Berlin time (16:00 UTC)`: their hours
    /// are Berlin's, so a deadline in UTC alone would hide that it falls at closing time, and the
    /// rest of the console speaks UTC.
    pub fn local_text(&self, t: Timestamp) -> String {
        let local = UtcDateTime::of_unix_ms(self.zone.to_local(t.0));
        let utc = t.utc();
        format!(
            "{} Berlin time ({:02}:{:02} UTC)",
            local.to_minute(),
            utc.hour,
            utc.minute
        )
    }

    /// How many business minutes lie between `from` and `to` (zero if `to` is earlier).
    pub fn business_minutes_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        let mut total = 0;
        let mut local = self.next_open(self.zone.to_local(from.0));
        loop {
            let start = self.zone.to_utc(local);
            if start >= to.0 {
                return total;
            }
            let close = self.zone.to_utc(self.close_of(local));
            let stop = to.0.min(close);
            total += (stop - start) / MINUTE_MS;
            if stop == to.0 {
                return total;
            }
            local = self.next_open(self.close_of(local));
        }
    }
}

/// How long a review takes, in business minutes, drawn from a seeded distribution: most reviews
/// finish well within 48 business hours, about one in ten takes longer ("usually within 48").
pub fn review_delay_minutes(seed: u64) -> i64 {
    let mut rng = SeededRandom::new(seed);
    let slow = rng.next_f64() < 0.1;
    // The mean of two uniforms leans towards the middle of the range, like real queue times.
    let u = (rng.next_f64() + rng.next_f64()) / 2.0;
    let promised = PROMISED_HOURS as f64;
    let hours = if slow {
        promised + u * 24.0
    } else {
        2.0 + u * (promised - 4.0)
    };
    (hours * 60.0).round() as i64
}

/// How fast simulated time runs, so a demo does not wait two days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DemoSpeed {
    /// Business hours as they are: a review takes days.
    RealTime,
    /// One business hour passes each second, nights and weekends skipped.
    #[default]
    HourPerSecond,
    /// Reviews are decided as soon as they are submitted.
    Instant,
}

impl DemoSpeed {
    /// Every speed, for the settings control.
    pub const ALL: [DemoSpeed; 3] = [
        DemoSpeed::RealTime,
        DemoSpeed::HourPerSecond,
        DemoSpeed::Instant,
    ];

    /// The label the settings control shows.
    pub fn label(&self) -> &'static str {
        match self {
            DemoSpeed::RealTime => "Real time (business hours)",
            DemoSpeed::HourPerSecond => "Demo: 1 business hour per second",
            DemoSpeed::Instant => "Instant",
        }
    }

    /// When a review of `delay` business minutes, submitted at `start`, is due.
    pub fn due(&self, clock: &BusinessClock, start: Timestamp, delay: i64) -> Timestamp {
        match self {
            DemoSpeed::RealTime => clock.add_business_minutes(start, delay),
            // One business hour (60 minutes) per real second: a minute of review is 1000/60 ms.
            DemoSpeed::HourPerSecond => start.plus_ms(delay * 1000 / 60),
            DemoSpeed::Instant => start,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::calendar::date;

    /// An instant given as civil time in Berlin.
    fn berlin(y: i16, m: u8, d: u8, h: i64, min: i64) -> Timestamp {
        let local = date(y, m, d).unix_days() * DAY_MS + h * HOUR_MS + min * MINUTE_MS;
        Timestamp(CentralEuropeanTime.to_utc(local))
    }

    #[test]
    fn due_times_skip_nights_and_weekends() {
        let clock = BusinessClock::reviewer();
        // (submitted, business hours, expected due), Berlin civil time. 2026-12-04 is a Friday.
        let cases = [
            // Within one day.
            (berlin(2026, 12, 1, 10, 0), 3, berlin(2026, 12, 1, 13, 0)),
            // Runs past 17:00 into the next morning.
            (berlin(2026, 12, 1, 16, 0), 2, berlin(2026, 12, 2, 10, 0)),
            // Submitted at night: the clock starts at 09:00.
            (berlin(2026, 12, 1, 22, 30), 1, berlin(2026, 12, 2, 10, 0)),
            // Friday afternoon to Monday.
            (berlin(2026, 12, 4, 15, 0), 4, berlin(2026, 12, 7, 11, 0)),
            // Submitted on Saturday: nothing happens before Monday 09:00.
            (berlin(2026, 12, 5, 12, 0), 8, berlin(2026, 12, 7, 17, 0)),
            // 48 business hours = six working days.
            (berlin(2026, 12, 1, 9, 0), 48, berlin(2026, 12, 8, 17, 0)),
            // Across the switch to summer time (Sunday 2027-03-28): still 09:00 local.
            (berlin(2027, 3, 25, 16, 0), 2, berlin(2027, 3, 30, 10, 0)),
            // Christmas Eve is a working day; Christmas (a Friday in 2026) is not.
            (berlin(2026, 12, 24, 16, 0), 2, berlin(2026, 12, 28, 10, 0)),
            // Good Friday and Easter Monday 2027 around the summer-time switch.
            (berlin(2027, 3, 25, 9, 0), 16, berlin(2027, 3, 30, 17, 0)),
        ];
        for (start, hours, expected) in cases {
            let due = clock.add_business_minutes(start, hours * 60);
            assert_eq!(due, expected, "{} + {hours}h", start.to_iso());
            assert_eq!(clock.business_minutes_between(start, due), hours * 60);
        }
    }

    #[test]
    fn the_promise_skips_holidays_and_is_told_in_berlin_time() {
        let clock = BusinessClock::reviewer();
        // Wednesday 23 December 2026, 10:00: Christmas Day and New Year's Day (both Fridays)
        // and two weekends do not count; 7 + 8 + 4 × 8 + 1 hours end on Monday 4 January, 10:00.
        let by = clock.usually_decided_by(berlin(2026, 12, 23, 10, 0));
        assert_eq!(by, berlin(2027, 1, 4, 10, 0));
        assert_eq!(
            clock.local_text(by),
            "2027-01-04 10:00 Berlin time (09:00 UTC)"
        );
        // In summer Berlin is UTC+2: closing time is 15:00 UTC, shown as 17:00.
        let summer = clock.usually_decided_by(berlin(2027, 7, 5, 9, 0));
        assert_eq!(summer, berlin(2027, 7, 12, 17, 0));
        assert_eq!(summer.utc().to_minute(), "2027-07-12 15:00");
        assert_eq!(
            clock.local_text(summer),
            "2027-07-12 17:00 Berlin time (15:00 UTC)"
        );
        // A start in mid-minute keeps its seconds.
        let odd = berlin(2026, 12, 1, 13, 51).plus_ms(40_000);
        assert_eq!(
            clock.add_business_minutes(odd, 60),
            berlin(2026, 12, 1, 14, 51).plus_ms(40_000)
        );
        assert_eq!(
            clock.usually_decided_by(odd),
            berlin(2026, 12, 9, 13, 51).plus_ms(40_000)
        );
    }

    #[test]
    fn open_hours() {
        let clock = BusinessClock::reviewer();
        assert!(clock.is_open(berlin(2026, 12, 1, 9, 0)));
        assert!(!clock.is_open(berlin(2026, 12, 25, 11, 0)));
        assert!(
            clock
                .hours_text()
                .starts_with("09:00–17:00 Berlin time on weekdays")
        );
        assert!(!clock.is_open(berlin(2026, 12, 1, 17, 0)));
        assert!(!clock.is_open(berlin(2026, 12, 5, 11, 0)));
    }

    #[test]
    fn delays_are_seeded_and_usually_within_48_hours() {
        assert_eq!(review_delay_minutes(42), review_delay_minutes(42));
        let delays: Vec<i64> = (0..1000).map(review_delay_minutes).collect();
        let within = delays.iter().filter(|&&d| d <= 48 * 60).count();
        assert!((850..=950).contains(&within), "{within} of 1000 within 48h");
        assert!(delays.iter().all(|&d| (120..=72 * 60).contains(&d)));
    }

    #[test]
    fn demo_speeds_scale_the_wait() {
        let clock = BusinessClock::reviewer();
        let start = berlin(2026, 12, 4, 16, 0);
        assert_eq!(DemoSpeed::Instant.due(&clock, start, 600), start);
        assert_eq!(
            DemoSpeed::HourPerSecond.due(&clock, start, 600),
            start.plus_ms(10_000)
        );
        assert_eq!(
            DemoSpeed::RealTime.due(&clock, start, 600),
            berlin(2026, 12, 8, 10, 0)
        );
    }
}
