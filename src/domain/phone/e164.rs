//! Phone numbers in E.164 form (`+4930123456`), the only form the rules compare.
//!
//! Parsing is strict so that two spellings of one number can never become two records; whatever
//! people type (form fields, CSV imports) goes through [`E164::parse_input`], the one reader for
//! typed numbers, which only removes the usual separators first.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The fewest digits (country code included) regdesk accepts; shorter strings are typos.
const MIN_DIGITS: usize = 8;
/// The most digits E.164 allows, country code included.
const MAX_DIGITS: usize = 15;

/// Calling codes of countries whose national numbers never start with 0 after the country code,
/// so a 0 there is the national trunk prefix pasted in by mistake. Italy (+39) is absent on
/// purpose: its landline numbers keep their leading 0 in E.164 (`+39 06…` is Rome).
const TRUNK_ZERO_CODES: &[&str] = &["33", "43", "44", "46", "49", "61", "81"];

/// A phone number in E.164 form, stored as its digits without the leading `+`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct E164(String);

/// Why a string is not an E.164 phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum E164Error {
    /// Nothing was entered.
    Empty,
    /// The number does not start with `+`.
    MissingPlus,
    /// A character other than a digit follows the `+`.
    InvalidCharacter {
        /// 1-based position of the offending character in the input.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// The country code starts with 0, which no country code does.
    LeadingZero,
    /// Fewer digits than any real number has.
    TooShort {
        /// How many digits were given.
        digits: usize,
    },
    /// More than the 15 digits E.164 allows.
    TooLong {
        /// How many digits were given.
        digits: usize,
    },
    /// A national trunk `0` follows the country code (`+49030…` instead of `+4930…`).
    TrunkZero,
}

impl fmt::Display for E164Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            E164Error::Empty => f.write_str("enter a phone number in international form, such as +4930123456"),
            E164Error::MissingPlus => f.write_str(
                "start the number with + or 00 and the country code, such as +49 30 123456",
            ),
            E164Error::InvalidCharacter { position, found } => write!(
                f,
                "character {position} ('{found}') is not a digit"
            ),
            E164Error::LeadingZero => f.write_str(
                "the country code cannot start with 0: write + followed by the country code, such as +49",
            ),
            E164Error::TooShort { digits } => write!(
                f,
                "the number has only {digits} digits; an international number has at least {MIN_DIGITS}, country code included"
            ),
            E164Error::TooLong { digits } => write!(
                f,
                "the number has {digits} digits; an international number has at most {MAX_DIGITS}, country code included"
            ),
            E164Error::TrunkZero => f.write_str(
                "drop the 0 after the country code: +49 030 1234567 is written +49 30 1234567",
            ),
        }
    }
}

impl std::error::Error for E164Error {}

impl E164 {
    /// Parses a number written exactly as `+` and 8 to 15 digits, with nothing else.
    pub fn parse(s: &str) -> Result<E164, E164Error> {
        let Some(rest) = s.strip_prefix('+') else {
            return Err(if s.is_empty() {
                E164Error::Empty
            } else {
                E164Error::MissingPlus
            });
        };
        // Position 1 is the '+', so the first digit is position 2.
        if let Some((index, found)) = rest.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(E164Error::InvalidCharacter {
                position: index + 2,
                found,
            });
        }
        if rest.starts_with('0') {
            return Err(E164Error::LeadingZero);
        }
        // Checked before the length: a pasted trunk 0 is the likelier cause of a length error.
        let code = calling_code_of(rest);
        if TRUNK_ZERO_CODES.contains(&code) && rest[code.len()..].starts_with('0') {
            return Err(E164Error::TrunkZero);
        }
        match rest.len() {
            n if n < MIN_DIGITS => Err(E164Error::TooShort { digits: n }),
            n if n > MAX_DIGITS => Err(E164Error::TooLong { digits: n }),
            _ => Ok(E164(rest.to_string())),
        }
    }

    /// Parses a number as people type it, into a form or a CSV file: drops whitespace, `-`, `.`,
    /// `(` and `)`, reads a leading `00` as `+`, then applies the strict [`parse`](Self::parse).
    /// So the app's own display form (`+44 7700 900123`) reads back. An error's position counts
    /// characters as they were typed, separators included, so it points at what the person sees.
    pub fn parse_input(s: &str) -> Result<E164, E164Error> {
        let kept: Vec<(usize, char)> = s
            .chars()
            .enumerate()
            .filter(|(_, c)| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')'))
            .map(|(i, c)| (i + 1, c))
            .collect();
        // The cleaned text, and for each of its characters its position as typed; a leading
        // `00` becomes the `+`, at the first 0.
        let (cleaned, typed_at): (String, Vec<usize>) = match kept.as_slice() {
            [(at, '0'), (_, '0'), rest @ ..] => std::iter::once((*at, '+'))
                .chain(rest.iter().copied())
                .map(|(at, c)| (c, at))
                .unzip(),
            all => all.iter().map(|&(at, c)| (c, at)).unzip(),
        };
        Self::parse(&cleaned).map_err(|e| match e {
            E164Error::InvalidCharacter { position, found } => E164Error::InvalidCharacter {
                position: typed_at.get(position - 1).copied().unwrap_or(position),
                found,
            },
            other => other,
        })
    }

    /// The digits without the `+`, country code first.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The ITU country calling code the number starts with (`49`, `1`, `7`, …).
    pub fn calling_code(&self) -> &str {
        calling_code_of(&self.0)
    }
}

/// The calling code `digits` start with, by the ITU assignment pattern: 1 and 7 are the only
/// one-digit codes, the listed two-digit codes are the only two-digit ones, everything else has
/// three digits. Needed to spot a trunk 0 and to name an unsupported country's code.
pub(crate) fn calling_code_of(digits: &str) -> &str {
    const TWO_DIGIT: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    let len = if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else if digits.get(..2).is_some_and(|two| TWO_DIGIT.contains(&two)) {
        2
    } else {
        3
    };
    digits.get(..len).unwrap_or(digits)
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.0)
    }
}

impl std::str::FromStr for E164 {
    type Err = E164Error;

    fn from_str(s: &str) -> Result<Self, E164Error> {
        Self::parse(s)
    }
}

impl Serialize for E164 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for E164 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Stored data is always written by `Serialize`, so the strict form is the only valid one.
        E164::parse(&String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// A digits search as people type numbers. Typed with a `+` or `00`, it is the number's start
/// (`+49 30 2345`); typed with a leading `0`, it is the number's start as dialled inside its
/// country (`030` is Berlin: `+49 30…`, not every number with `30` in it; `06` is Rome, whose
/// numbers keep their 0); any other run of digits is found anywhere (`2345678`). Read once per
/// keystroke, then asked of every number without allocating: the list has 50,000 of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitsSearch {
    digits: String,
    from: From,
}

/// Where a [`DigitsSearch`] looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    /// The E.164 digits' start.
    International,
    /// The national number's start as dialled at home (the digits typed include the 0).
    National,
    /// Anywhere in the E.164 digits.
    Anywhere,
}

impl DigitsSearch {
    /// Reads what was typed.
    pub fn new(typed: &str) -> DigitsSearch {
        let typed = typed.trim_start();
        let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
        let (digits, from) = if typed.starts_with('+') {
            (digits, From::International)
        } else if let Some(rest) = digits.strip_prefix("00") {
            (rest.to_string(), From::International)
        } else if digits.starts_with('0') {
            (digits, From::National)
        } else {
            (digits, From::Anywhere)
        };
        DigitsSearch { digits, from }
    }

    /// Whether the search is empty (every number matches it).
    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    /// Whether `number` is found by the search (every number is, by an empty one).
    pub fn matches(&self, number: &E164) -> bool {
        match self.from {
            From::International => number.0.starts_with(&self.digits),
            From::Anywhere => number.0.contains(&self.digits),
            From::National => {
                let code = number.calling_code();
                let national = &number.0[code.len()..];
                // Where the 0 is a trunk prefix it is not part of the national number; in Italy
                // it is.
                let typed = if TRUNK_ZERO_CODES.contains(&code) {
                    &self.digits[1..]
                } else {
                    &self.digits
                };
                national.starts_with(typed)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_search_reads_numbers_as_people_write_them() {
        let munich = E164::parse("+49892345678").unwrap();
        for typed in [
            "",
            "4989",
            "+49 89",
            "0049 89 23",
            "089 2345678",
            "089-234",
            "2345678",
            " 089",
        ] {
            assert!(DigitsSearch::new(typed).matches(&munich), "{typed:?}");
        }
        for typed in ["030", "+89", "0030", "4930", "2345679", "0234"] {
            assert!(!DigitsSearch::new(typed).matches(&munich), "{typed:?}");
        }
    }

    #[test]
    fn a_leading_zero_is_the_start_as_dialled_at_home() {
        let berlin = E164::parse("+493012345678").unwrap();
        let mobile_with_30 = E164::parse("+4915730123456").unwrap();
        let munich_with_30 = E164::parse("+49893012345").unwrap();
        let rome = E164::parse("+390612345678").unwrap();
        let london = E164::parse("+442079460000").unwrap();
        let berlin_030 = DigitsSearch::new("030");
        assert!(berlin_030.matches(&berlin));
        assert!(!berlin_030.matches(&mobile_with_30));
        assert!(!berlin_030.matches(&munich_with_30));
        assert!(DigitsSearch::new("06 123").matches(&rome));
        assert!(DigitsSearch::new("020 7946").matches(&london));
        // Without a 0 or +, digits are found anywhere.
        assert!(DigitsSearch::new("30").matches(&mobile_with_30));
    }

    #[test]
    fn strict_parse_errors() {
        let cases: &[(&str, E164Error)] = &[
            ("", E164Error::Empty),
            ("4930123456", E164Error::MissingPlus),
            ("004930123456", E164Error::MissingPlus),
            (
                "+49 30123456",
                E164Error::InvalidCharacter {
                    position: 4,
                    found: ' ',
                },
            ),
            (
                "+4930-123456",
                E164Error::InvalidCharacter {
                    position: 6,
                    found: '-',
                },
            ),
            (
                "+49301234x6",
                E164Error::InvalidCharacter {
                    position: 10,
                    found: 'x',
                },
            ),
            ("+0049301234", E164Error::LeadingZero),
            ("+", E164Error::TooShort { digits: 0 }),
            ("+493012", E164Error::TooShort { digits: 6 }),
            ("+1234567", E164Error::TooShort { digits: 7 }),
            ("+4930123456789012", E164Error::TooLong { digits: 16 }),
            ("+49030123456", E164Error::TrunkZero),
            ("+44020794600", E164Error::TrunkZero),
        ];
        for (input, expected) in cases {
            assert_eq!(E164::parse(input).as_ref(), Err(expected), "{input:?}");
            assert!(!expected.to_string().is_empty());
        }
    }

    #[test]
    fn strict_parse_accepts() {
        let cases: &[(&str, &str)] = &[
            ("+4930123456", "49"),
            ("+12125551234", "1"),
            ("+491571234567", "49"),
            ("+12345678", "1"),
            ("+493012345678901", "49"),
            // Italy keeps the leading 0 of landlines in E.164.
            ("+390612345678", "39"),
            ("+79161234567", "7"),
            ("+3531234567", "353"),
        ];
        for (input, code) in cases {
            let n = E164::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(n.to_string(), *input);
            assert_eq!(n.digits(), &input[1..]);
            assert_eq!(n.calling_code(), *code);
        }
        assert_eq!(
            E164::parse("+4930123456789012").unwrap_err(),
            E164Error::TooLong { digits: 16 }
        );
    }

    #[test]
    fn form_input_is_cleaned_then_parsed_strictly() {
        let cases: &[(&str, Result<&str, E164Error>)] = &[
            ("+49 30 123456", Ok("+4930123456")),
            ("0049 (30) 123-456", Ok("+4930123456")),
            ("+1 (212) 555.1234", Ok("+12125551234")),
            ("  +44 20 7946 0000 ", Ok("+442079460000")),
            ("00 1 212 555 1234", Ok("+12125551234")),
            ("030 123456", Err(E164Error::MissingPlus)),
            ("+49 (0)30 123456", Err(E164Error::TrunkZero)),
            (
                "+49 30 12345/6",
                Err(E164Error::InvalidCharacter {
                    position: 13,
                    found: '/',
                }),
            ),
            ("", Err(E164Error::Empty)),
            ("   ", Err(E164Error::Empty)),
        ];
        for (input, expected) in cases {
            let got = E164::parse_input(input).map(|n| n.to_string());
            assert_eq!(got, expected.clone().map(str::to_string), "{input:?}");
        }
    }

    /// The position of a wrong character is where the person sees it: counted in characters (not
    /// bytes) of the text as typed, spaces, separators and a `00` prefix included.
    #[test]
    fn typed_input_errors_point_at_the_character_as_typed() {
        let at = |typed: &str| match E164::parse_input(typed) {
            Err(E164Error::InvalidCharacter { position, found }) => (position, found),
            other => panic!("{typed:?}: {other:?}"),
        };
        assert_eq!(at("+44 7700 9OO123"), (11, 'O'));
        assert_eq!(at("0044 7700 9OO123"), (12, 'O'));
        assert_eq!(at("  +49 30 12x4567"), (12, 'x'));
        // An en dash is not a separator; the characters before it are one byte each or more.
        assert_eq!(at("+49 30 – 1234567"), (8, '–'));
        assert_eq!(at("+49\u{a0}30\u{a0}12ä4567"), (10, 'ä'));
        // A second plus is the character typed, not the one `00` became.
        assert_eq!(at("0049 +30 1234567"), (6, '+'));
    }

    #[test]
    fn serde_uses_the_plus_form_and_rejects_loose_input() {
        let n = E164::parse("+4930123456").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"+4930123456\"");
        assert_eq!(serde_json::from_str::<E164>(&json).unwrap(), n);
        assert!(serde_json::from_str::<E164>("\"+49 30 123456\"").is_err());
        assert!(serde_json::from_str::<E164>("\"004930123456\"").is_err());
    }

    #[test]
    fn grouped_format_is_the_countrys_own() {
        let cases: &[(&str, &str)] = &[
            ("+4930123456", "+49 30 123456"),
            ("+4971561234567", "+49 7156 1234567"),
            ("+4915771234567", "+49 1577 1234567"),
            ("+12125551234", "+1 212-555-1234"),
            // No plan for the country: the calling code, then the rest.
            ("+79161234567", "+7 9161234567"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                E164::parse(input).unwrap().format_grouped(),
                *expected,
                "{input}"
            );
        }
    }
}
