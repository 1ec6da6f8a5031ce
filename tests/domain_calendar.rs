#![cfg(not(target_arch = "wasm32"))]
//! regdesk's own calendar (src/domain/calendar.rs) against jiff, the crate it replaced to save
//! download size: on random dates, instants and texts both must give the same answers, so the
//! hand-written arithmetic is only as trustworthy as the reference it is checked against.

use jiff::ToSpan;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use regdesk::domain::time::Timestamp;
use regdesk::domain::time::calendar::{
    CentralEuropeanTime, DAY_MS, Date, MINUTE_MS, UtcDateTime, date, parse_instant,
};

/// Berlin's rule as a POSIX TZ string, which jiff evaluates independently.
fn berlin() -> TimeZone {
    TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap()
}

fn to_jiff(d: Date) -> jiff::civil::Date {
    jiff::civil::date(d.year(), d.month() as i8, d.day() as i8)
}

/// Days from 0000-01-01 to 9999-12-31.
fn any_day() -> impl Strategy<Value = i64> {
    Date::MIN.unix_days()..=Date::MAX.unix_days()
}

/// Instants from 1996 (the EU rule's start) to 2100, in milliseconds.
fn any_instant() -> impl Strategy<Value = i64> {
    820_454_400_000i64..4_102_444_800_000
}

proptest! {
    #[test]
    fn days_weekdays_and_text_match_jiff(days in any_day()) {
        let ours = Date::from_unix_days(days);
        let theirs = jiff::civil::date(1970, 1, 1).checked_add(days.days()).unwrap();
        prop_assert_eq!(to_jiff(ours), theirs);
        prop_assert_eq!(ours.unix_days(), days);
        prop_assert_eq!(i64::from(ours.weekday()), i64::from(theirs.weekday().to_monday_zero_offset()));
        prop_assert_eq!(ours.to_string(), theirs.to_string());
        prop_assert_eq!(ours.to_string().parse::<Date>(), Ok(ours));
    }

    #[test]
    fn month_and_year_steps_match_jiff(days in any_day(), months in -1200i64..1200) {
        let ours = Date::from_unix_days(days);
        match to_jiff(ours).checked_add(months.months()) {
            Ok(theirs) if theirs.year() >= 0 && theirs.year() <= 9999 => {
                prop_assert_eq!(to_jiff(ours.add_months(months)), theirs);
            }
            // Past the ends, regdesk saturates where jiff errs or goes beyond 9999.
            _ => prop_assert!(matches!(ours.add_months(months), Date::MIN | Date::MAX)),
        }
        if let Ok(theirs) = to_jiff(ours).checked_add((months / 12).years())
            && (0..=9999).contains(&theirs.year())
        {
            prop_assert_eq!(to_jiff(ours.add_years(months / 12)), theirs);
        }
    }

    #[test]
    fn berlin_offsets_match_jiff(ms in any_instant()) {
        let ts = jiff::Timestamp::from_millisecond(ms).unwrap();
        let theirs = berlin().to_offset(ts).seconds() as i64 * 1000;
        prop_assert_eq!(CentralEuropeanTime.offset_ms(ms), theirs);
    }

    #[test]
    fn berlin_local_times_resolve_like_jiff(ms in any_instant()) {
        // A local civil time to the minute, resolved the "compatible" way (earlier of a repeated
        // hour, later for a skipped one), as RFC 5545 and jiff do.
        let local = ms - ms.rem_euclid(MINUTE_MS);
        let civil = UtcDateTime::of_unix_ms(local);
        let dt = DateTime::new(
            civil.date.year(),
            civil.date.month() as i8,
            civil.date.day() as i8,
            civil.hour as i8,
            civil.minute as i8,
            0,
            0,
        )
        .unwrap();
        let theirs = berlin().to_timestamp(dt).unwrap().as_millisecond();
        prop_assert_eq!(CentralEuropeanTime.to_utc(local), theirs);
    }

    #[test]
    fn exported_texts_parse_like_jiff(ms in any_instant()) {
        let seconds = ms - ms.rem_euclid(1000);
        let ts = jiff::Timestamp::from_millisecond(seconds).unwrap();
        prop_assert_eq!(Timestamp(seconds).to_iso(), ts.to_string());
        prop_assert_eq!(parse_instant(&ts.to_string()), Some(seconds));
        let rfc2822 = jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_string(&ts).unwrap();
        prop_assert_eq!(parse_instant(&rfc2822), Some(seconds), "{}", rfc2822);
        let utc = UtcDateTime::of_unix_ms(seconds);
        prop_assert_eq!(utc.date, Timestamp(seconds).date_utc());
        prop_assert_eq!(seconds.div_euclid(DAY_MS), utc.date.unix_days());
    }
}

#[test]
fn the_summer_time_switches_of_2027() {
    // 28 March 2027, 01:00 UTC: clocks jump from 02:00 to 03:00; 31 October, back to 02:00.
    let march = date(2027, 3, 28).unix_days() * DAY_MS + 3_600_000;
    assert_eq!(CentralEuropeanTime.offset_ms(march - 1), 3_600_000);
    assert_eq!(CentralEuropeanTime.offset_ms(march), 7_200_000);
    let october = date(2027, 10, 31).unix_days() * DAY_MS + 3_600_000;
    assert_eq!(CentralEuropeanTime.offset_ms(october - 1), 7_200_000);
    assert_eq!(CentralEuropeanTime.offset_ms(october), 3_600_000);
}
