//! Calendar dates, UTC civil time and the reviewer's time zone, as plain integer arithmetic.
//!
//! Why not a date crate: regdesk used jiff, which does all of this well, but it cost about a
//! tenth of the 350 KB download budget (its error texts, and TZif and POSIX-rule parsers the app
//! never needs). What the app needs is small: proleptic Gregorian dates from 0000 to 9999, UTC
//! date-times for logs and tables, and one fixed daylight-saving rule, the European Union's,
//! for the reviewer in Berlin. `tests/domain_calendar.rs` checks every function here against
//! jiff, which stays a test-only dependency for that purpose.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Milliseconds in a minute, an hour and a day.
pub const MINUTE_MS: i64 = 60_000;
/// Milliseconds in an hour.
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
/// Milliseconds in a day (UTC has no leap seconds in Unix time).
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// A calendar date (year 0000–9999), ordered by time. Stored and shown as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i16,
    month: u8,
    day: u8,
}

/// The date `year-month-day`, for constants and tests; an impossible date fails to compile in a
/// `const` and panics otherwise.
pub const fn date(year: i16, month: u8, day: u8) -> Date {
    match Date::new(year, month, day) {
        Some(d) => d,
        None => panic!("not a calendar date"),
    }
}

/// The number of days of `month` in `year`.
const fn days_in_month(year: i16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    /// The earliest date regdesk represents, the floor of saturating arithmetic.
    pub const MIN: Date = date(0, 1, 1);
    /// The latest date regdesk represents, the ceiling of saturating arithmetic.
    pub const MAX: Date = date(9999, 12, 31);

    /// The date, if it exists in the calendar and lies in 0000–9999.
    pub const fn new(year: i16, month: u8, day: u8) -> Option<Date> {
        if year < 0 || year > 9999 || month < 1 || month > 12 {
            return None;
        }
        if day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The date in a few words for a table row, "14 Dec", with the year only when it is not
    /// `today`'s ("3 Sep 2025"): a reason must fit in a narrow column and still be unambiguous.
    pub fn short(self, today: Date) -> String {
        let month = std::str::from_utf8(MONTHS[usize::from(self.month) - 1]).unwrap_or_default();
        if self.year == today.year {
            format!("{} {month}", self.day)
        } else {
            format!("{} {month} {}", self.day, self.year)
        }
    }

    /// The date `days` days after 1970-01-01 (negative: before), saturating at MIN and MAX.
    ///
    /// Howard Hinnant's `civil_from_days`: counts in 400-year eras that start on 1 March, so
    /// the leap day is the last day of a counted year.
    pub fn from_unix_days(days: i64) -> Date {
        let days = days.clamp(Date::MIN.unix_days(), Date::MAX.unix_days());
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i16;
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (Hinnant's `days_from_civil`, the inverse of `from_unix_days`).
    pub fn unix_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u8 {
        (self.unix_days() + 3).rem_euclid(7) as u8
    }

    /// Whether the date is a Saturday or a Sunday.
    pub fn is_weekend(self) -> bool {
        self.weekday() >= 5
    }

    /// The date `days` days later (earlier if negative), saturating.
    pub fn add_days(self, days: i64) -> Date {
        Date::from_unix_days(self.unix_days().saturating_add(days))
    }

    /// The same day `months` months later (earlier if negative), saturating; a day the target
    /// month lacks becomes its last day (31 January + 1 month = 28 or 29 February), as people
    /// count "at most three months old".
    pub fn add_months(self, months: i64) -> Date {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        if index < 0 {
            return Date::MIN;
        }
        let (year, month) = (index / 12, (index % 12 + 1) as u8);
        if year > 9999 {
            return Date::MAX;
        }
        let year = year as i16;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// The same day `years` years later (earlier if negative); 29 February becomes 28 February
    /// in a common year.
    pub fn add_years(self, years: i64) -> Date {
        self.add_months(years.saturating_mul(12))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 10];
        write_digits(&mut buf[0..4], u32::from(self.year as u16));
        buf[4] = b'-';
        write_digits(&mut buf[5..7], u32::from(self.month));
        buf[7] = b'-';
        write_digits(&mut buf[8..10], u32::from(self.day));
        // Only ASCII digits and dashes were written.
        f.write_str(std::str::from_utf8(&buf).unwrap_or_default())
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Writes `value` as zero-padded decimal digits filling `out`. Formatting through `{:04}` would
/// pull width and padding code into every caller; dates are formatted often.
fn write_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError;

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a date in the form YYYY-MM-DD")
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Exactly `YYYY-MM-DD`, a date that exists.
    fn from_str(s: &str) -> Result<Date, DateError> {
        let mut cursor = Cursor::new(s);
        let d = cursor.date().ok_or(DateError)?;
        if cursor.rest().is_empty() {
            Ok(d)
        } else {
            Err(DateError)
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse()
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

/// A UTC date and time of day, to the second, split from Unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcDateTime {
    /// The date.
    pub date: Date,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
}

impl UtcDateTime {
    /// The civil UTC time of `ms` (milliseconds since the epoch), the sub-second part dropped.
    pub fn of_unix_ms(ms: i64) -> UtcDateTime {
        let date = Date::from_unix_days(ms.div_euclid(DAY_MS));
        let secs = ms.rem_euclid(DAY_MS) / 1000;
        UtcDateTime {
            date,
            hour: (secs / 3600) as u8,
            minute: (secs / 60 % 60) as u8,
            second: (secs % 60) as u8,
        }
    }

    /// RFC 3339 text, `2026-12-01T09:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let mut buf = *b"T00:00:00Z";
        write_digits(&mut buf[1..3], u32::from(self.hour));
        write_digits(&mut buf[4..6], u32::from(self.minute));
        write_digits(&mut buf[7..9], u32::from(self.second));
        let mut out = self.date.to_string();
        out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
        out
    }

    /// `2026-12-01 09:30`: a table's time, to the minute.
    pub fn to_minute(self) -> String {
        let mut buf = *b" 00:00";
        write_digits(&mut buf[1..3], u32::from(self.hour));
        write_digits(&mut buf[4..6], u32::from(self.minute));
        let mut out = self.date.to_string();
        out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
        out
    }
}

/// Central European Time and its summer time, the zone the Berlin reviewer works in: UTC+1, and
/// UTC+2 from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October
/// (the EU rule, Directive 2000/84/EC, in force since 1996).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CentralEuropeanTime;

impl CentralEuropeanTime {
    /// 01:00 UTC on the last Sunday of `month` (March or October, both 31 days long) in `year`.
    fn switch_ms(year: i16, month: u8) -> i64 {
        let last = date(year, month, 31);
        let back = (i64::from(last.weekday()) + 1) % 7;
        last.add_days(-back).unix_days() * DAY_MS + HOUR_MS
    }

    /// The offset from UTC at the instant `utc_ms`, in milliseconds.
    pub fn offset_ms(self, utc_ms: i64) -> i64 {
        let year = Date::from_unix_days(utc_ms.div_euclid(DAY_MS)).year;
        let summer = (Self::switch_ms(year, 3)..Self::switch_ms(year, 10)).contains(&utc_ms);
        if summer { 2 * HOUR_MS } else { HOUR_MS }
    }

    /// Local civil time at `utc_ms`, as milliseconds on a clock that counts local days.
    pub fn to_local(self, utc_ms: i64) -> i64 {
        utc_ms + self.offset_ms(utc_ms)
    }

    /// The instant a local civil time denotes. A time repeated in October's extra hour is read
    /// as the earlier (summer-time) one; a time skipped in March's gap as the hour after it.
    pub fn to_utc(self, local_ms: i64) -> i64 {
        let summer = local_ms - 2 * HOUR_MS;
        if self.offset_ms(summer) == 2 * HOUR_MS {
            summer
        } else {
            local_ms - HOUR_MS
        }
    }
}

/// Milliseconds since the epoch of an instant written in a form providers export:
/// - RFC 3339 / ISO 8601 with an offset: `2024-05-01T10:00:00Z`, `2024-05-01T12:00:00.250+02:00`;
/// - a date and time without offset, taken as UTC: `2024-05-01 10:00:00`, `2024-05-01T10:00`;
/// - a plain date, midnight UTC: `2024-05-01`;
/// - RFC 2822 as Twilio's API writes it: `Wed, 01 May 2024 10:00:00 +0000` (or `GMT`).
pub fn parse_instant(text: &str) -> Option<i64> {
    let mut cursor = Cursor::new(text);
    match cursor.date() {
        Some(date) => iso_rest(date, cursor),
        None => rfc2822(Cursor::new(text)),
    }
}

/// The rest of an ISO 8601 date-time after its date.
fn iso_rest(date: Date, mut cursor: Cursor<'_>) -> Option<i64> {
    let day = date.unix_days() * DAY_MS;
    if cursor.rest().is_empty() {
        return Some(day);
    }
    cursor.eat_if(|b| matches!(b, b'T' | b't' | b' '))?;
    let time = cursor.time_of_day()?;
    let offset = match cursor.eat_if(|b| matches!(b, b'Z' | b'z' | b'+' | b'-')) {
        None => 0,
        Some(b'Z' | b'z') => 0,
        Some(sign) => {
            let hours = cursor.digits(2)?;
            cursor.eat(b':');
            let minutes = cursor.digits(2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let ms = i64::from(hours) * HOUR_MS + i64::from(minutes) * MINUTE_MS;
            if sign == b'-' { -ms } else { ms }
        }
    };
    cursor.rest().is_empty().then_some(day + time - offset)
}

/// The months as RFC 2822 and a row's short dates write them.
const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// RFC 2822: `[Www, ]D Mon YYYY HH:MM[:SS] zone`, the weekday (if given) matching the date.
fn rfc2822(mut cursor: Cursor<'_>) -> Option<i64> {
    const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    let weekday = DAYS.iter().position(|d| cursor.eat_word(d));
    if weekday.is_some() {
        cursor.eat(b',').then_some(())?;
        cursor.spaces();
    }
    let day = cursor.number(2)?;
    cursor.spaces().then_some(())?;
    let month = MONTHS.iter().position(|m| cursor.eat_word(m))? + 1;
    cursor.spaces().then_some(())?;
    let year = cursor.digits(4)?;
    cursor.spaces().then_some(())?;
    let time = cursor.time_of_day()?;
    cursor.spaces().then_some(())?;
    let date = Date::new(year as i16, month as u8, day as u8)?;
    if weekday.is_some_and(|w| w != usize::from(date.weekday())) {
        return None;
    }
    let offset = if ["GMT", "UTC", "UT", "Z"]
        .iter()
        .any(|z| cursor.eat_word(z.as_bytes()))
    {
        0
    } else {
        let sign = cursor.eat_if(|b| b == b'+' || b == b'-')?;
        let hhmm = cursor.digits(4)?;
        let ms = i64::from(hhmm / 100) * HOUR_MS + i64::from(hhmm % 100) * MINUTE_MS;
        if sign == b'-' { -ms } else { ms }
    };
    cursor
        .rest()
        .is_empty()
        .then_some(date.unix_days() * DAY_MS + time - offset)
}

/// A left-to-right reader over ASCII text, shared by the date and timestamp parsers.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `s`.
    fn new(s: &'a str) -> Cursor<'a> {
        Cursor { rest: s.as_bytes() }
    }

    /// What has not been read.
    fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// Reads `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        match self.rest.split_first() {
            Some((&b, tail)) if b == byte => {
                self.rest = tail;
                true
            }
            _ => false,
        }
    }

    /// Reads the next byte if `accept` takes it.
    fn eat_if(&mut self, accept: impl Fn(u8) -> bool) -> Option<u8> {
        match self.rest.split_first() {
            Some((&b, tail)) if accept(b) => {
                self.rest = tail;
                Some(b)
            }
            _ => None,
        }
    }

    /// Reads exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        let mut value = 0u32;
        for &b in head {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.rest = tail;
        Some(value)
    }

    /// Reads `word` if it comes next.
    fn eat_word(&mut self, word: &[u8]) -> bool {
        match self.rest.strip_prefix(word) {
            Some(tail) => {
                self.rest = tail;
                true
            }
            None => false,
        }
    }

    /// Reads one or more spaces; whether there was one.
    fn spaces(&mut self) -> bool {
        let mut any = false;
        while self.eat(b' ') {
            any = true;
        }
        any
    }

    /// Reads one to `max` ASCII digits as a number.
    fn number(&mut self, max: usize) -> Option<u32> {
        let n = self
            .rest
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n == 0 { None } else { self.digits(n) }
    }

    /// Reads `HH:MM[:SS[.fraction]]` as milliseconds into the day (a fraction is cut to
    /// milliseconds).
    fn time_of_day(&mut self) -> Option<i64> {
        let hour = self.digits(2)?;
        self.eat(b':').then_some(())?;
        let minute = self.digits(2)?;
        let second = if self.eat(b':') { self.digits(2)? } else { 0 };
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut ms = 0;
        if self.eat(b'.') || self.eat(b',') {
            let n = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=9).contains(&n) {
                return None;
            }
            let fraction = self.digits(n)?;
            ms = i64::from(fraction / 10u32.pow(n.saturating_sub(3) as u32))
                * 10i64.pow(3u32.saturating_sub(n as u32));
        }
        Some(
            i64::from(hour) * HOUR_MS
                + i64::from(minute) * MINUTE_MS
                + i64::from(second) * 1000
                + ms,
        )
    }

    /// Reads `YYYY-MM-DD`.
    fn date(&mut self) -> Option<Date> {
        let year = self.digits(4)?;
        self.eat(b'-').then_some(())?;
        let month = self.digits(2)?;
        self.eat(b'-').then_some(())?;
        let day = self.digits(2)?;
        Date::new(year as i16, month as u8, day as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_dates_name_the_year_only_when_it_is_another() {
        let today = Date::new(2026, 12, 5).unwrap();
        assert_eq!(Date::new(2026, 12, 14).unwrap().short(today), "14 Dec");
        assert_eq!(Date::new(2025, 9, 3).unwrap().short(today), "3 Sep 2025");
        assert_eq!(Date::new(2027, 1, 1).unwrap().short(today), "1 Jan 2027");
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!("2024-02-29".parse(), Ok(date(2024, 2, 29)));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "2024-01-01x",
            "24-01-01",
            "",
        ] {
            assert_eq!(bad.parse::<Date>(), Err(DateError), "{bad}");
        }
    }

    #[test]
    fn months_constrain_the_day() {
        assert_eq!(date(2024, 1, 31).add_months(1), date(2024, 2, 29));
        assert_eq!(date(2024, 3, 31).add_months(-1), date(2024, 2, 29));
        assert_eq!(date(2024, 2, 29).add_years(1), date(2025, 2, 28));
        assert_eq!(date(2026, 12, 1).add_months(-14), date(2025, 10, 1));
        assert_eq!(date(9999, 12, 1).add_months(1), Date::MAX);
        assert_eq!(date(0, 1, 1).add_days(-1), Date::MIN);
    }

    #[test]
    fn instants_in_every_exported_form() {
        let may1 = date(2024, 5, 1).unix_days() * DAY_MS;
        let ten = may1 + 10 * HOUR_MS;
        for (text, ms) in [
            ("2024-05-01", may1),
            ("2024-05-01T10:00:00Z", ten),
            ("2024-05-01t10:00z", ten),
            ("2024-05-01 10:00:00", ten),
            ("2024-05-01T12:00:00+02:00", ten),
            ("2024-05-01T09:30:00-0030", ten),
            ("2024-05-01T10:00:00.25Z", ten + 250),
            ("2024-05-01T10:00:00.123456789Z", ten + 123),
            ("Wed, 01 May 2024 10:00:00 +0000", ten),
            ("Wed, 1 May 2024 12:00:00 +0200", ten),
            ("01 May 2024 10:00 GMT", ten),
        ] {
            assert_eq!(parse_instant(text), Some(ms), "{text}");
        }
        for bad in [
            "05/01/2024",
            "2024-05-01T25:00:00Z",
            "2024-05-01T10:00:00+2",
            "2024-05-01T10:00:00Zjunk",
            "Thu, 01 May 2024 10:00:00 +0000",
            "Wed, 01 Mai 2024 10:00:00 +0000",
            "2024-05-01T10:00:00.Z",
            "",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }

    #[test]
    fn utc_text() {
        let t = UtcDateTime::of_unix_ms(1_764_579_600_000);
        assert_eq!(t.to_rfc3339(), "2025-12-01T09:00:00Z");
        assert_eq!(t.to_minute(), "2025-12-01 09:00");
        assert_eq!(
            UtcDateTime::of_unix_ms(-1).to_rfc3339(),
            "1969-12-31T23:59:59Z"
        );
    }
}
