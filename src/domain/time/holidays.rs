//! Berlin's public holidays: the days the simulated back office does not work.
//!
//! "Usually within 48 business hours" is a promise made by people who take the legal holidays of
//! where they sit. Berlin has the nine national ones, of which four move with Easter, plus
//! International Women's Day (8 March, since 2019). The 24th and 31st of December are ordinary
//! working days in law, so they count here too.

use crate::domain::time::calendar::{Date, date};

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous algorithm published by
/// Meeus, valid for every Gregorian year).
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // Month is 3 or 4 and day 1..=31 by construction.
    date(year, month as u8, day as u8)
}

/// The name of the public holiday in Berlin on `day`, if it is one.
pub fn berlin_holiday(day: Date) -> Option<&'static str> {
    let fixed = match (day.month(), day.day()) {
        (1, 1) => Some("New Year's Day"),
        (3, 8) if day.year() >= 2019 => Some("International Women's Day"),
        (5, 1) => Some("Labour Day"),
        (10, 3) => Some("German Unity Day"),
        (12, 25) => Some("Christmas Day"),
        (12, 26) => Some("Second Day of Christmas"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    // The movable feasts all fall between March and June.
    if !(3..=6).contains(&day.month()) {
        return None;
    }
    match day.unix_days() - easter_sunday(day.year()).unix_days() {
        -2 => Some("Good Friday"),
        1 => Some("Easter Monday"),
        39 => Some("Ascension Day"),
        50 => Some("Whit Monday"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_sundays() {
        // Published dates, including both ends of Easter's range (22 March, 25 April).
        let known = [
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2285, 3, 22),
        ];
        for (y, m, d) in known {
            assert_eq!(easter_sunday(y), date(y, m, d), "Easter {y}");
            assert_eq!(easter_sunday(y).weekday(), easter_sunday(2026).weekday());
        }
    }

    #[test]
    fn berlin_holidays_of_2027() {
        let holidays: Vec<(u8, u8, &str)> = (0..365)
            .map(|i| date(2027, 1, 1).add_days(i))
            .filter_map(|d| berlin_holiday(d).map(|n| (d.month(), d.day(), n)))
            .collect();
        assert_eq!(
            holidays,
            vec![
                (1, 1, "New Year's Day"),
                (3, 8, "International Women's Day"),
                (3, 26, "Good Friday"),
                (3, 29, "Easter Monday"),
                (5, 1, "Labour Day"),
                (5, 6, "Ascension Day"),
                (5, 17, "Whit Monday"),
                (10, 3, "German Unity Day"),
                (12, 25, "Christmas Day"),
                (12, 26, "Second Day of Christmas"),
            ]
        );
        assert_eq!(berlin_holiday(date(2018, 3, 8)), None, "Berlin law of 2019");
        assert_eq!(berlin_holiday(date(2026, 12, 24)), None);
    }
}
