//! The programme's burndown: how many non-compliant numbers were left at the end of each day,
//! drawn against the straight line that would reach none by the deadline.
//!
//! Why a series of its own rather than a replay of the activity log: the log says what was
//! mapped and decided, but not what every number's compliance was afterwards, and documents
//! expire with time without any entry. Replaying mappings, decisions and expiries to rebuild past
//! counts would repeat the whole compliance computation for every day, and any entry the log
//! lacks (a workspace restored from a backup) would silently bend the line. So the app records
//! the count itself, each time the workspace changes (`store::progress`): one entry per day, the
//! day's last count. A day the app was not open has no entry; the chart keeps the last count
//! until the next one, which is what was known.

use serde::{Deserialize, Serialize};

use crate::domain::time::calendar::Date;

/// How many days the series keeps: a programme longer than a year starts dropping its oldest.
pub const KEPT_DAYS: usize = 400;

/// One day's count, as it stood at the day's last change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// The day.
    pub day: Date,
    /// Non-compliant numbers.
    pub left: u32,
    /// Numbers a regulation applies to (compliant or not).
    pub regulated: u32,
}

/// The recorded days, oldest first, at most one per day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Burndown {
    days: Vec<DayCount>,
}

impl Burndown {
    /// The recorded days, oldest first.
    pub fn days(&self) -> &[DayCount] {
        &self.days
    }

    /// Records `count` as its day's latest; whether the series changed. A count for a day before
    /// the last recorded one (the clock was set back) is ignored, so the series stays in order.
    pub fn record(&mut self, count: DayCount) -> bool {
        match self.days.last_mut() {
            Some(last) if last.day == count.day => {
                let changed = *last != count;
                *last = count;
                changed
            }
            Some(last) if last.day > count.day => false,
            _ => {
                self.days.push(count);
                if self.days.len() > KEPT_DAYS {
                    self.days.drain(..self.days.len() - KEPT_DAYS);
                }
                true
            }
        }
    }

    /// The chart from the first recorded day to the deadline (or to `today` without one, or
    /// when the deadline has passed): `None` until two days are known or a deadline gives the
    /// line somewhere to go.
    pub fn chart(&self, today: Date, deadline: Option<Date>) -> Option<Chart> {
        let first = self.days.first()?;
        let end = deadline.filter(|d| *d > today).unwrap_or(today);
        if end <= first.day {
            return None;
        }
        let top = self.days.iter().map(|d| d.left).max().unwrap_or(0).max(1);
        let span = (end.unix_days() - first.day.unix_days()) as f32;
        let x = |day: Date| (day.unix_days() - first.day.unix_days()) as f32 / span;
        let y = |left: u32| 1.0 - left as f32 / top as f32;
        // Steps: a count holds until the next recorded day, and the last one until today.
        let mut actual = Vec::with_capacity(self.days.len() * 2 + 1);
        for (i, day) in self.days.iter().enumerate() {
            if i > 0 {
                actual.push((x(day.day), y(self.days[i - 1].left)));
            }
            actual.push((x(day.day), y(day.left)));
        }
        let last = self.days.last().expect("a first day exists");
        if today > last.day && today <= end {
            actual.push((x(today), y(last.left)));
        }
        Some(Chart {
            start: first.day,
            end,
            top,
            actual,
            ideal: deadline
                .filter(|d| *d > first.day && *d == end)
                .map(|_| [(0.0, y(first.left)), (1.0, 1.0)]),
        })
    }
}

/// A burndown ready to draw: points in a unit square, x from the first day (0) to the end (1),
/// y from `top` numbers left (0) to none (1), as SVG's y axis runs down.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The first recorded day.
    pub start: Date,
    /// The deadline, or today.
    pub end: Date,
    /// The most numbers left on any day: the top of the y axis.
    pub top: u32,
    /// The recorded counts as steps.
    pub actual: Vec<(f32, f32)>,
    /// The straight line from the first day's count to none at the deadline.
    pub ideal: Option<[(f32, f32); 2]>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn count(d: &str, left: u32) -> DayCount {
        DayCount {
            day: day(d),
            left,
            regulated: 100,
        }
    }

    #[test]
    fn a_day_keeps_its_last_count_and_the_series_stays_in_order() {
        let mut b = Burndown::default();
        assert!(b.record(count("2026-11-01", 80)));
        assert!(
            b.record(count("2026-11-01", 70)),
            "the day's later count wins"
        );
        assert!(
            !b.record(count("2026-11-01", 70)),
            "the same count changes nothing"
        );
        assert!(b.record(count("2026-11-03", 50)));
        assert!(
            !b.record(count("2026-11-02", 60)),
            "a day before the last is ignored"
        );
        assert_eq!(
            b.days(),
            &[count("2026-11-01", 70), count("2026-11-03", 50)]
        );
    }

    #[test]
    fn the_series_keeps_its_newest_days() {
        let mut b = Burndown::default();
        let first = day("2025-01-01");
        for i in 0..(KEPT_DAYS as i64 + 10) {
            b.record(DayCount {
                day: first.add_days(i),
                left: 1,
                regulated: 1,
            });
        }
        assert_eq!(b.days().len(), KEPT_DAYS);
        assert_eq!(b.days()[0].day, first.add_days(10));
    }

    #[test]
    fn the_chart_steps_to_today_and_aims_at_the_deadline() {
        let mut b = Burndown::default();
        b.record(count("2026-11-01", 80));
        b.record(count("2026-11-11", 40));
        let chart = b.chart(day("2026-11-21"), Some(day("2026-12-01"))).unwrap();
        assert_eq!(
            (chart.start, chart.end, chart.top),
            (day("2026-11-01"), day("2026-12-01"), 80)
        );
        // 80 left on day 0 of 30; 80 until day 10, then 40; 40 still on day 20 (today).
        assert_eq!(
            chart.actual,
            vec![
                (0.0, 0.0),
                (10.0 / 30.0, 0.0),
                (10.0 / 30.0, 0.5),
                (20.0 / 30.0, 0.5)
            ]
        );
        assert_eq!(chart.ideal, Some([(0.0, 0.0), (1.0, 1.0)]));
    }

    #[test]
    fn without_a_deadline_the_chart_ends_today_and_has_no_ideal_line() {
        let mut b = Burndown::default();
        assert_eq!(b.chart(day("2026-11-05"), None), None, "nothing recorded");
        b.record(count("2026-11-01", 10));
        assert_eq!(b.chart(day("2026-11-01"), None), None, "one day is no line");
        let chart = b.chart(day("2026-11-05"), None).unwrap();
        assert_eq!(chart.end, day("2026-11-05"));
        assert_eq!(chart.ideal, None);
        assert_eq!(chart.actual, vec![(0.0, 0.0), (1.0, 0.0)]);
        // A deadline already behind us draws no ideal line either.
        let late = b.chart(day("2026-11-05"), Some(day("2026-11-03"))).unwrap();
        assert_eq!(late.ideal, None);
    }
}
