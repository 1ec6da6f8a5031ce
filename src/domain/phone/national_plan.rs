//! Each catalog country's national numbering plan as libphonenumber writes it down: how its
//! numbers are grouped for people (`+39 312 345 6789`, `+44 7911 123456`) and which type a
//! number is where regdesk's own ranges and area tables say nothing (an Austrian `650` mobile, a
//! German `0180` shared-cost number).
//!
//! build.rs compiles the vendored metadata (`data/libphonenumber/`, see `data/NOTICE`) for the
//! catalog's territories into `TERRITORIES`; the patterns are compiled on first use, per
//! territory and per purpose, so a page that only writes numbers never compiles Germany's
//! 10 KB fixed-line pattern.
//!
//! Why not the `phonenumber` crate: it embeds every territory's metadata and the full `regex`
//! engine, several times the size of the ten territories and `regex-lite` that this needs.

use std::sync::OnceLock;

use regex_lite::Regex;

use crate::domain::records::kinds::NumberType;

/// One territory as build.rs writes it.
struct TerritorySource {
    /// The ISO code, as the metadata names the territory.
    #[cfg_attr(not(test), allow(dead_code))]
    id: &'static str,
    calling_code: &'static str,
    formats: &'static [FormatSource],
    /// (index into [`PLAN_TYPES`], national-number pattern, possible lengths as a bit set).
    types: &'static [(usize, &'static str, u32)],
}

/// One way of grouping numbers, as build.rs writes it.
struct FormatSource {
    /// The whole national number, with a group per block.
    pattern: &'static str,
    /// The first digits this format is for (may be empty: any).
    leading: &'static str,
    /// The groups joined for international display (`$1 $2 $3`).
    shown: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/national_plan.rs"));

/// The types of build.rs's `PLAN_TYPES`, in its order: libphonenumber's `fixedLine` is a local
/// number (whose area only the area tables name), the others have the same names.
const PLAN_TYPES: [NumberType; 10] = [
    NumberType::Local,
    NumberType::Mobile,
    NumberType::TollFree,
    NumberType::PremiumRate,
    NumberType::SharedCost,
    NumberType::PersonalNumber,
    NumberType::Voip,
    NumberType::Pager,
    NumberType::Uan,
    NumberType::Voicemail,
];

/// The order libphonenumber tests types in: the special ranges before fixed line and mobile,
/// whose broad patterns can cover them.
const TESTED: [NumberType; 10] = [
    NumberType::PremiumRate,
    NumberType::TollFree,
    NumberType::SharedCost,
    NumberType::Voip,
    NumberType::PersonalNumber,
    NumberType::Pager,
    NumberType::Uan,
    NumberType::Voicemail,
    NumberType::Local,
    NumberType::Mobile,
];

/// A grouping format, compiled.
struct Format {
    pattern: Regex,
    leading: Option<Regex>,
    shown: &'static str,
}

/// A territory's patterns, each kind compiled on first use.
struct Territory {
    source: &'static TerritorySource,
    formats: OnceLock<Vec<Format>>,
    types: OnceLock<Vec<(NumberType, Regex, u32)>>,
}

/// A whole-string match of a pattern from the metadata, which build.rs has checked exists.
fn whole(pattern: &str) -> Regex {
    Regex::new(&format!("^(?:{pattern})$")).expect("libphonenumber's patterns compile")
}

impl Territory {
    fn formats(&self) -> &[Format] {
        self.formats.get_or_init(|| {
            self.source
                .formats
                .iter()
                .map(|f| Format {
                    pattern: whole(f.pattern),
                    leading: (!f.leading.is_empty()).then(|| {
                        Regex::new(&format!("^(?:{})", f.leading))
                            .expect("libphonenumber's patterns compile")
                    }),
                    shown: f.shown,
                })
                .collect()
        })
    }

    fn types(&self) -> &[(NumberType, Regex, u32)] {
        self.types.get_or_init(|| {
            self.source
                .types
                .iter()
                .map(|&(index, pattern, lengths)| (PLAN_TYPES[index], whole(pattern), lengths))
                .collect()
        })
    }
}

fn territories() -> &'static [Territory] {
    static COMPILED: OnceLock<Vec<Territory>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        TERRITORIES
            .iter()
            .map(|source| Territory {
                source,
                formats: OnceLock::new(),
                types: OnceLock::new(),
            })
            .collect()
    })
}

/// The territory whose calling code E.164 `digits` start with, and the national number after it.
/// Calling codes are prefix-free, so at most one matches.
fn split(digits: &str) -> Option<(&'static Territory, &str)> {
    territories().iter().find_map(|t| {
        digits
            .strip_prefix(t.source.calling_code)
            .map(|national| (t, national))
    })
}

/// The number written as its country writes it for callers abroad (`+44 7911 123456`), from
/// E.164 digits; `None` when the plan has no format for it (an unknown country, a number that
/// fits none of its formats).
pub fn format_international(digits: &str) -> Option<String> {
    let (territory, national) = split(digits)?;
    let (format, captures) = territory.formats().iter().find_map(|f| {
        f.leading
            .as_ref()
            .is_none_or(|l| l.is_match(national))
            .then(|| f.pattern.captures(national).map(|c| (f, c)))
            .flatten()
    })?;
    let mut grouped = String::new();
    captures.expand(format.shown, &mut grouped);
    Some(format!("+{} {grouped}", territory.source.calling_code))
}

/// The type the plan gives a number from E.164 digits (a fixed line is `Local`, its area still to
/// be found); `None` when the country is not a catalog country or the plan does not know the
/// number.
pub fn plan_type(digits: &str) -> Option<NumberType> {
    let (territory, national) = split(digits)?;
    let types = territory.types();
    let possible = u32::try_from(national.len())
        .ok()
        .filter(|&n| n < 32)
        .map_or(0, |n| 1u32 << n);
    TESTED.into_iter().find(|wanted| {
        types.iter().any(|(t, pattern, lengths)| {
            t == wanted && lengths & possible != 0 && pattern.is_match(national)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_country_has_its_territory() {
        use crate::domain::phone::numbering::NumberingPlan;
        for country in NumberingPlan::builtin().countries() {
            let code = NumberingPlan::builtin().calling_code(country);
            assert!(
                territories()
                    .iter()
                    .any(|t| t.source.id == country.code() && Some(t.source.calling_code) == code),
                "{} is in build.rs's TERRITORIES",
                country.code()
            );
        }
    }

    #[test]
    fn every_territory_is_compiled_with_formats_and_types() {
        for territory in territories() {
            let id = territory.source.id;
            assert!(!territory.formats().is_empty(), "{id} has formats");
            assert!(
                territory.types().iter().any(|t| t.0 == NumberType::Local)
                    && territory.types().iter().any(|t| t.0 == NumberType::Mobile),
                "{id} has fixed lines and mobiles"
            );
        }
    }

    #[test]
    fn numbers_are_grouped_as_each_country_writes_them() {
        let cases = [
            // The two: an Italian mobile and a British mobile.
            ("393640268658", "+39 364 026 8658"),
            ("447713421146", "+44 7713 421146"),
            ("4930123456", "+49 30 123456"),
            ("4915123456789", "+49 1512 3456789"),
            ("390612345678", "+39 06 1234 5678"),
            ("442079460000", "+44 20 7946 0000"),
            ("33612345678", "+33 6 12 34 56 78"),
            ("12125551234", "+1 212-555-1234"),
            ("61412345678", "+61 412 345 678"),
            ("46812345678", "+46 8 123 456 78"),
        ];
        for (digits, written) in cases {
            assert_eq!(
                format_international(digits).as_deref(),
                Some(written),
                "{digits}"
            );
        }
        assert_eq!(
            format_international("41441234567"),
            None,
            "not a catalog country"
        );
    }

    #[test]
    fn the_plan_types_numbers_the_area_tables_do_not_know() {
        let cases = [
            ("436501234567", Some(NumberType::Mobile)),
            ("4918012345678", Some(NumberType::SharedCost)),
            ("499001234567", Some(NumberType::PremiumRate)),
            ("4930123456", Some(NumberType::Local)),
            ("4915123456789", Some(NumberType::Mobile)),
            ("448001234567", Some(NumberType::TollFree)),
            ("33912345678", Some(NumberType::Voip)),
            // A German number in no range of the plan.
            ("4910123456", None),
            ("41441234567", None),
        ];
        for (digits, expected) in cases {
            assert_eq!(plan_type(digits), expected, "{digits}");
        }
    }
}
