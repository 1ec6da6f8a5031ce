//! The business-hours clock: "usually within 48 business hours" as arithmetic.
//!
//! A reviewer works 09:00–17:00, Monday to Friday, in their own time zone (Berlin, with its
//! daylight-saving changes). The zone is a POSIX TZ rule, so no time-zone database has to be
//! compiled into the app; public holidays are not modelled.

use jiff::civil::{DateTime, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::sid::SeededRandom;
use super::time::Timestamp;

/// The reviewer's zone: Central European Time with its summer time (the rule Berlin follows).
pub const REVIEWER_ZONE: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

/// Working hours in a time zone, and arithmetic over them.
#[derive(Debug, Clone)]
pub struct BusinessClock {
    zone: TimeZone,
    open_hour: i8,
    close_hour: i8,
}

impl BusinessClock {
    /// The simulated back office: 09:00–17:00 on weekdays, Berlin time.
    pub fn reviewer() -> BusinessClock {
        // The constant rule is checked by a test, so parsing cannot fail in a tested build.
        BusinessClock::new(REVIEWER_ZONE, 9, 17).unwrap_or_else(|_| BusinessClock {
            zone: TimeZone::UTC,
            open_hour: 9,
            close_hour: 17,
        })
    }

    /// A clock with these hours in the zone given by a POSIX TZ rule.
    pub fn new(posix_zone: &str, open_hour: i8, close_hour: i8) -> Result<BusinessClock, String> {
        if !(0..close_hour).contains(&open_hour) || close_hour > 24 {
            return Err(format!(
                "working hours {open_hour}-{close_hour} are not a day's span"
            ));
        }
        let zone = TimeZone::posix(posix_zone).map_err(|e| e.to_string())?;
        Ok(BusinessClock {
            zone,
            open_hour,
            close_hour,
        })
    }

    fn is_workday(dt: DateTime) -> bool {
        !matches!(dt.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    fn at_hour(&self, dt: DateTime, hour: i8) -> DateTime {
        dt.date().at(hour, 0, 0, 0)
    }

    fn instant(&self, dt: DateTime) -> jiff::Timestamp {
        // Working hours never fall in a daylight-saving gap, so this is unambiguous.
        self.zone
            .to_timestamp(dt)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    /// The first working moment at or after `dt` (civil time in the zone).
    fn next_open(&self, mut dt: DateTime) -> DateTime {
        loop {
            if Self::is_workday(dt) {
                if dt.hour() < self.open_hour {
                    return self.at_hour(dt, self.open_hour);
                }
                if dt < self.at_hour(dt, self.close_hour) {
                    return dt;
                }
            }
            dt = dt.date().tomorrow().map(|d| d.at(0, 0, 0, 0)).unwrap_or(dt);
        }
    }

    /// Whether the back office is working at `t`.
    pub fn is_open(&self, t: Timestamp) -> bool {
        let dt = self.zone.to_datetime(t.to_jiff());
        self.next_open(dt) == dt
    }

    /// The instant `minutes` business minutes after `start`: nights and weekends do not count.
    pub fn add_business_minutes(&self, start: Timestamp, minutes: i64) -> Timestamp {
        let mut dt = self.next_open(self.zone.to_datetime(start.to_jiff()));
        let mut left = minutes.max(0);
        loop {
            let close = self.instant(self.at_hour(dt, self.close_hour));
            let now = self.instant(dt);
            let today = (close.as_millisecond() - now.as_millisecond()) / 60_000;
            if left <= today {
                return Timestamp(now.as_millisecond() + left * 60_000);
            }
            left -= today;
            dt = self.next_open(self.at_hour(dt, self.close_hour));
        }
    }

    /// How many business minutes lie between `from` and `to` (zero if `to` is earlier).
    pub fn business_minutes_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        let mut total = 0;
        let mut dt = self.next_open(self.zone.to_datetime(from.to_jiff()));
        let end = to.to_jiff();
        loop {
            let start = self.instant(dt);
            if start >= end {
                return total;
            }
            let close = self.instant(self.at_hour(dt, self.close_hour));
            let stop = if end < close { end } else { close };
            total += (stop.as_millisecond() - start.as_millisecond()) / 60_000;
            if stop == end {
                return total;
            }
            dt = self.next_open(self.at_hour(dt, self.close_hour));
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
    let hours = if slow {
        48.0 + u * 24.0
    } else {
        2.0 + u * 44.0
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

    /// An instant given as civil time in Berlin.
    fn berlin(y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        let zone = TimeZone::posix(REVIEWER_ZONE).unwrap();
        let dt = jiff::civil::date(y, m, d).at(h, min, 0, 0);
        Timestamp::from_jiff(zone.to_timestamp(dt).unwrap())
    }

    #[test]
    fn the_reviewer_zone_parses() {
        assert!(BusinessClock::new(REVIEWER_ZONE, 9, 17).is_ok());
        assert!(BusinessClock::new("not a zone", 9, 17).is_err());
        assert!(BusinessClock::new(REVIEWER_ZONE, 17, 9).is_err());
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
            (berlin(2027, 3, 26, 16, 0), 2, berlin(2027, 3, 29, 10, 0)),
        ];
        for (start, hours, expected) in cases {
            let due = clock.add_business_minutes(start, hours * 60);
            assert_eq!(due, expected, "{} + {hours}h", start.to_iso());
            assert_eq!(clock.business_minutes_between(start, due), hours * 60);
        }
    }

    #[test]
    fn open_hours() {
        let clock = BusinessClock::reviewer();
        assert!(clock.is_open(berlin(2026, 12, 1, 9, 0)));
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
