//! The numbering plan of the catalog countries: which prefixes are local areas, which are mobile,
//! national or toll-free ranges, and how long a national number may be.
//!
//! Local areas of Germany, Austria, Italy and Sweden come from the vendored libphonenumber tables
//! in `data/geocoding/` (see the `NOTICE` there); the other countries use short curated lists,
//! marked as such below. Prefixes are E.164 digits including the country code and nest, so every
//! lookup is a longest-prefix match.

use std::collections::HashMap;
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::domain::phone::e164::{E164, calling_code_of};
use crate::domain::phone::national_plan;

impl E164 {
    /// The number for display, grouped as country code, area or range prefix, subscriber
    /// number (`+49 30 1234567`). Here, not in `e164`, because the groups come from the
    /// numbering plan, which itself reads E.164 numbers.
    pub fn format_grouped(&self) -> String {
        NumberingPlan::builtin().format_grouped(self)
    }
}
use crate::domain::records::kinds::{Country, NumberType};

/// A geographic area a local number belongs to (an Ortsnetz in Germany).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalArea {
    /// The country the area is in.
    pub country: Country,
    /// The area's prefix as E.164 digits including the country code, such as `4930`.
    pub prefix: String,
    /// The locality name as the numbering authority writes it, such as `Halle Saale`.
    pub name: String,
}

/// What a number is: its country, its type and, for local numbers, its area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// The country whose numbering plan the number belongs to.
    pub country: Country,
    /// The kind of number.
    pub number_type: NumberType,
    /// The local area; `Some` exactly when `number_type` is `Local`.
    pub area: Option<LocalArea>,
}

/// A block of numbers of one type: the prefix followed by exactly `subscriber_digits` digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// E.164 digits including the country code that every number of the block starts with.
    pub prefix: String,
    /// The type of every number in the block.
    pub number_type: NumberType,
    /// How many digits follow the prefix in a valid number of the block.
    pub subscriber_digits: usize,
}

/// Why a number cannot be classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassifyError {
    /// The number's country code is not one of the catalog countries.
    UnsupportedCountry {
        /// The calling code the number starts with.
        calling_code: String,
    },
    /// The number is geographic (or in no range at all and looks it) but matches no area code.
    NoLocalArea {
        /// The country the calling code belongs to.
        country: Country,
    },
    /// The national significant number is shorter or longer than the country allows.
    WrongLength {
        /// The country the calling code belongs to.
        country: Country,
        /// The fewest digits after the country code the country allows.
        min: usize,
        /// The most digits after the country code the country allows.
        max: usize,
        /// How many digits follow the country code.
        found: usize,
    },
}

impl fmt::Display for ClassifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClassifyError::UnsupportedCountry { calling_code } => write!(
                f,
                "+{calling_code} is not the country code of a country regdesk supports; check the country code"
            ),
            ClassifyError::NoLocalArea { country } => write!(
                f,
                "the number looks geographic but matches no area code of {}; check the area code",
                country.name()
            ),
            ClassifyError::WrongLength {
                country,
                min,
                max,
                found,
            } => {
                let expected = if min == max {
                    format!("{min}")
                } else {
                    format!("{min} to {max}")
                };
                write!(
                    f,
                    "numbers in {} have {expected} digits after the country code, this one has {found}; check for a missing or extra digit",
                    country.name()
                )
            }
        }
    }
}

impl std::error::Error for ClassifyError {}

/// The numbering plan of every catalog country.
#[derive(Debug)]
pub struct NumberingPlan {
    countries: Vec<CountryPlan>,
}

/// One country's part of the plan.
#[derive(Debug)]
struct CountryPlan {
    country: Country,
    calling_code: &'static str,
    /// Allowed lengths of the national significant number (the digits after the country code).
    nsn_len: RangeInclusive<usize>,
    /// First digits of the national number that are geographic, so that a number starting with
    /// one of them but matching no area is reported as such rather than as an unknown range.
    geographic_leads: &'static str,
    areas: Vec<LocalArea>,
    /// Area prefix to index in `areas`, for longest-prefix lookup.
    by_prefix: HashMap<String, usize>,
    longest_area_prefix: usize,
    /// Non-local ranges first, then one local range per area.
    ranges: Vec<Range>,
}

/// Static description of a country, turned into a [`CountryPlan`] once.
struct CountrySpec {
    code: &'static str,
    calling_code: &'static str,
    nsn_len: RangeInclusive<usize>,
    geographic_leads: &'static str,
    /// National-number length of the example numbers built for local areas.
    local_nsn_len: usize,
    areas: AreaSource,
    /// Non-geographic ranges: prefix, type, subscriber digits.
    ranges: &'static [(&'static str, NumberType, usize)],
}

enum AreaSource {
    /// A vendored libphonenumber geocoding table, as build.rs compiles it: the prefixes, each
    /// written as the number of digits to drop from the previous one, then its new digits, and
    /// ended by `,`; and the names, one per line, in the same order.
    Table {
        prefixes: &'static str,
        names: &'static str,
    },
    /// A curated list of (prefix, name), for countries without a vendored table.
    Curated(&'static [(&'static str, &'static str)]),
}

/// The compiled form of a vendored geocoding table (see build.rs).
macro_rules! geocoding_table {
    ($stem:literal) => {
        AreaSource::Table {
            prefixes: include_str!(concat!(env!("OUT_DIR"), "/", $stem, ".prefixes")),
            names: include_str!(concat!(env!("OUT_DIR"), "/", $stem, ".names")),
        }
    };
}

use NumberType::{Mobile, National, TollFree};

const SPECS: &[CountrySpec] = &[
    CountrySpec {
        code: "DE",
        calling_code: "49",
        // Up to 11 digits by the German plan; short old subscriber numbers in small Ortsnetze
        // can make a geographic number as short as 6.
        nsn_len: 6..=11,
        geographic_leads: "23456789",
        local_nsn_len: 10,
        areas: geocoding_table!("de-49"),
        ranges: &[
            // 49157 and 49158 are the mobile blocks Twilio sells; they get their own ranges so
            // the shop inventory can be built from them.
            ("49157", Mobile, 8),
            ("49158", Mobile, 8),
            ("4915", Mobile, 9),
            ("4916", Mobile, 8),
            ("4917", Mobile, 8),
            ("4932", National, 9),
            ("49800", TollFree, 7),
        ],
    },
    CountrySpec {
        code: "AT",
        calling_code: "43",
        nsn_len: 5..=13,
        geographic_leads: "1234567",
        local_nsn_len: 10,
        areas: geocoding_table!("en-43"),
        ranges: &[
            // Not all of 4366: 43662 is Salzburg. 067x and 068x hold no area codes.
            ("43660", Mobile, 7),
            ("43664", Mobile, 7),
            ("4367", Mobile, 8),
            ("4368", Mobile, 8),
            ("43800", TollFree, 6),
        ],
    },
    CountrySpec {
        code: "IT",
        calling_code: "39",
        nsn_len: 6..=11,
        // Italian landlines keep their leading 0 after +39.
        geographic_leads: "0",
        local_nsn_len: 10,
        areas: geocoding_table!("en-39"),
        ranges: &[("393", Mobile, 9), ("39800", TollFree, 6)],
    },
    CountrySpec {
        code: "SE",
        calling_code: "46",
        nsn_len: 7..=10,
        geographic_leads: "12345689",
        local_nsn_len: 9,
        areas: geocoding_table!("en-46"),
        ranges: &[("467", Mobile, 8), ("4620", TollFree, 6)],
    },
    CountrySpec {
        code: "FR",
        calling_code: "33",
        nsn_len: 9..=9,
        geographic_leads: "12345",
        local_nsn_len: 9,
        // Curated: France's geographic numbers are five regional zones, not towns.
        areas: AreaSource::Curated(&[
            ("331", "Paris (Île-de-France)"),
            ("332", "Rennes/Nantes/Rouen (Nord-Ouest)"),
            ("333", "Lille/Strasbourg (Nord-Est)"),
            ("334", "Marseille/Lyon/Nice (Sud-Est)"),
            ("335", "Bordeaux/Toulouse (Sud-Ouest)"),
        ]),
        ranges: &[
            ("336", Mobile, 8),
            ("337", Mobile, 8),
            ("33800", TollFree, 6),
        ],
    },
    CountrySpec {
        code: "GB",
        calling_code: "44",
        // Mostly 10; a few small exchanges and 0800 numbers are shorter.
        nsn_len: 7..=10,
        geographic_leads: "12",
        local_nsn_len: 10,
        // Curated: major cities only.
        areas: AreaSource::Curated(&[
            ("4420", "London"),
            ("44113", "Leeds"),
            ("44117", "Bristol"),
            ("44121", "Birmingham"),
            ("44131", "Edinburgh"),
            ("44141", "Glasgow"),
            ("44151", "Liverpool"),
            ("44161", "Manchester"),
            ("4428", "Belfast (Northern Ireland)"),
            ("4429", "Cardiff"),
        ]),
        ranges: &[("447", Mobile, 9), ("44800", TollFree, 7)],
    },
    CountrySpec {
        code: "ES",
        calling_code: "34",
        nsn_len: 9..=9,
        geographic_leads: "89",
        local_nsn_len: 9,
        // Curated: the provincial codes of the three largest cities.
        areas: AreaSource::Curated(&[
            ("3491", "Madrid"),
            ("3493", "Barcelona"),
            ("3496", "Valencia"),
        ]),
        ranges: &[("346", Mobile, 8), ("34900", TollFree, 6)],
    },
    CountrySpec {
        code: "AU",
        calling_code: "61",
        // 9 digits; 1800 freephone numbers have 10.
        nsn_len: 9..=10,
        geographic_leads: "2378",
        local_nsn_len: 9,
        // Curated: Australia's four geographic zones, named by their largest city.
        areas: AreaSource::Curated(&[
            ("612", "Sydney (NSW/ACT)"),
            ("613", "Melbourne (VIC/TAS)"),
            ("617", "Brisbane (QLD)"),
            ("618", "Adelaide/Perth (SA/NT/WA)"),
        ]),
        ranges: &[("614", Mobile, 8), ("611800", TollFree, 6)],
    },
    CountrySpec {
        code: "JP",
        calling_code: "81",
        nsn_len: 9..=10,
        geographic_leads: "123456789",
        local_nsn_len: 9,
        // Curated: a few large cities.
        areas: AreaSource::Curated(&[
            ("813", "Tokyo"),
            ("816", "Osaka"),
            ("8111", "Sapporo"),
            ("8145", "Yokohama"),
            ("8152", "Nagoya"),
            ("8175", "Kyoto"),
            ("8192", "Fukuoka"),
        ]),
        ranges: &[
            ("8170", Mobile, 8),
            ("8180", Mobile, 8),
            ("8190", Mobile, 8),
            ("81120", TollFree, 6),
            ("81800", TollFree, 7),
        ],
    },
    CountrySpec {
        code: "US",
        calling_code: "1",
        nsn_len: 10..=10,
        geographic_leads: "23456789",
        local_nsn_len: 10,
        // Curated: a few area codes of large cities. North American numbers do not mark
        // mobiles, so the US has no mobile range.
        areas: AreaSource::Curated(&[
            ("1202", "Washington"),
            ("1206", "Seattle"),
            ("1212", "New York"),
            ("1213", "Los Angeles"),
            ("1312", "Chicago"),
            ("1415", "San Francisco"),
            ("1617", "Boston"),
        ]),
        ranges: &[
            ("1800", TollFree, 7),
            ("1888", TollFree, 7),
            ("1877", TollFree, 7),
        ],
    },
];

/// The (prefix, name) pairs of a compiled geocoding table (see [`AreaSource::Table`]).
fn table_areas(prefixes: &str, names: &'static str) -> Vec<(String, &'static str)> {
    let mut prefix = String::new();
    prefixes
        .split_terminator(',')
        .zip(names.lines())
        .map(|(step, name)| {
            let (drop, digits) = step.split_at(1);
            let drop = usize::from(drop.as_bytes()[0] - b'0');
            prefix.truncate(prefix.len().saturating_sub(drop));
            prefix.push_str(digits);
            (prefix.clone(), name)
        })
        .collect()
}

impl CountryPlan {
    fn build(spec: &CountrySpec) -> CountryPlan {
        let country: Country = spec
            .code
            .parse()
            .expect("the specs use valid country codes");
        let pairs: Vec<(String, &str)> = match spec.areas {
            AreaSource::Table { prefixes, names } => table_areas(prefixes, names),
            AreaSource::Curated(list) => list.iter().map(|&(p, n)| (p.to_string(), n)).collect(),
        };
        let areas: Vec<LocalArea> = pairs
            .into_iter()
            .map(|(prefix, name)| LocalArea {
                country,
                prefix,
                name: name.to_string(),
            })
            .collect();
        let by_prefix = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.prefix.clone(), i))
            .collect();
        let longest_area_prefix = areas.iter().map(|a| a.prefix.len()).max().unwrap_or(0);
        let cc_len = spec.calling_code.len();
        let ranges = spec
            .ranges
            .iter()
            .map(|&(prefix, number_type, subscriber_digits)| Range {
                prefix: prefix.to_string(),
                number_type,
                subscriber_digits,
            })
            .chain(areas.iter().map(|a| Range {
                prefix: a.prefix.clone(),
                number_type: NumberType::Local,
                subscriber_digits: spec.local_nsn_len.saturating_sub(a.prefix.len() - cc_len),
            }))
            .collect();
        CountryPlan {
            country,
            calling_code: spec.calling_code,
            nsn_len: spec.nsn_len.clone(),
            geographic_leads: spec.geographic_leads,
            areas,
            by_prefix,
            longest_area_prefix,
            ranges,
        }
    }

    fn local_area(&self, digits: &str) -> Option<&LocalArea> {
        let longest = self.longest_area_prefix.min(digits.len());
        (self.calling_code.len() + 1..=longest)
            .rev()
            .find_map(|len| self.by_prefix.get(&digits[..len]))
            .map(|&i| &self.areas[i])
    }

    /// The longest non-local range `digits` fall in.
    fn special_range(&self, digits: &str) -> Option<&Range> {
        self.ranges
            .iter()
            .filter(|r| r.number_type != NumberType::Local && digits.starts_with(&r.prefix))
            .max_by_key(|r| r.prefix.len())
    }
}

impl NumberingPlan {
    /// The plan of all catalog countries, built from the vendored tables on first use.
    pub fn builtin() -> &'static NumberingPlan {
        static PLAN: OnceLock<NumberingPlan> = OnceLock::new();
        PLAN.get_or_init(|| NumberingPlan {
            countries: SPECS.iter().map(CountryPlan::build).collect(),
        })
    }

    /// The countries the plan covers, in catalog order.
    pub fn countries(&self) -> impl Iterator<Item = Country> + '_ {
        self.countries.iter().map(|c| c.country)
    }

    fn country_plan(&self, country: Country) -> Option<&CountryPlan> {
        self.countries.iter().find(|c| c.country == country)
    }

    /// The plan of the country whose calling code `digits` start with.
    fn plan_for_digits(&self, digits: &str) -> Option<&CountryPlan> {
        self.countries
            .iter()
            .find(|c| digits.starts_with(c.calling_code))
    }

    /// The country's calling code (`49` for Germany), if the plan covers the country.
    pub fn calling_code(&self, country: Country) -> Option<&str> {
        self.country_plan(country).map(|c| c.calling_code)
    }

    /// Says which country, number type and (for local numbers) area a number belongs to.
    pub fn classify(&self, number: &E164) -> Result<Classification, ClassifyError> {
        let digits = number.digits();
        let plan =
            self.plan_for_digits(digits)
                .ok_or_else(|| ClassifyError::UnsupportedCountry {
                    calling_code: calling_code_of(digits).to_string(),
                })?;
        let country = plan.country;
        let national = &digits[plan.calling_code.len()..];
        if !plan.nsn_len.contains(&national.len()) {
            return Err(ClassifyError::WrongLength {
                country,
                min: *plan.nsn_len.start(),
                max: *plan.nsn_len.end(),
                found: national.len(),
            });
        }
        // Special ranges first: some sit inside geographic-looking digits (Germany's 800 and 32).
        if let Some(range) = plan.special_range(digits) {
            return Ok(Classification {
                country,
                number_type: range.number_type,
                area: None,
            });
        }
        let geographic = national
            .chars()
            .next()
            .is_some_and(|c| plan.geographic_leads.contains(c));
        if geographic && let Some(area) = plan.local_area(digits) {
            return Ok(Classification {
                country,
                number_type: NumberType::Local,
                area: Some(area.clone()),
            });
        }
        // Where the ranges and area tables say nothing, the country's own plan may know the
        // type (an Austrian 650 mobile, a German 0180 shared-cost number). A fixed line still
        // needs its area, which only the tables name.
        let number_type = match national_plan::plan_type(digits) {
            Some(NumberType::Local) => None,
            Some(other) => Some(other),
            None if geographic => None,
            None => Some(NumberType::Unknown),
        };
        match number_type {
            Some(number_type) => Ok(Classification {
                country,
                number_type,
                area: None,
            }),
            None => Err(ClassifyError::NoLocalArea { country }),
        }
    }

    /// The local area whose prefix is the longest one the number starts with.
    pub fn local_area(&self, number: &E164) -> Option<&LocalArea> {
        let digits = number.digits();
        self.plan_for_digits(digits)?.local_area(digits)
    }

    /// Every local area of a country, in table order.
    pub fn areas(&self, country: Country) -> Vec<&LocalArea> {
        self.country_plan(country)
            .map(|c| c.areas.iter().collect())
            .unwrap_or_default()
    }

    /// The local area with exactly this prefix (E.164 digits including the country code).
    pub fn area(&self, prefix: &str) -> Option<&LocalArea> {
        let plan = self.plan_for_digits(prefix)?;
        plan.by_prefix.get(prefix).map(|&i| &plan.areas[i])
    }

    /// The country's ranges for building example numbers: mobile, national and toll-free ranges
    /// first, then one local range per area. A local range's numbers can fall into a longer
    /// nested area (`49212` Solingen contains `492129` Haan), so pick subscriber digits that do
    /// not start another area's prefix when the area matters.
    pub fn ranges(&self, country: Country) -> &[Range] {
        self.country_plan(country)
            .map(|c| c.ranges.as_slice())
            .unwrap_or(&[])
    }

    /// The number grouped for display as its country writes it (`+39 312 345 6789`); where the
    /// country's plan has no format for it, as country code, area or range prefix, then the rest.
    pub fn format_grouped(&self, number: &E164) -> String {
        let digits = number.digits();
        if let Some(written) = national_plan::format_international(digits) {
            return written;
        }
        let Some(plan) = self.plan_for_digits(digits) else {
            let code = calling_code_of(digits);
            return format!("+{code} {}", &digits[code.len()..]);
        };
        let cc = plan.calling_code;
        let prefix_len = plan
            .special_range(digits)
            .map(|r| r.prefix.len())
            .or_else(|| plan.local_area(digits).map(|a| a.prefix.len()));
        match prefix_len {
            // Range prefixes shorter than the country code plus one digit do not occur; the
            // guard keeps the output sane if one is ever added.
            Some(len) if len > cc.len() && len < digits.len() => {
                format!("+{cc} {} {}", &digits[cc.len()..len], &digits[len..])
            }
            _ => format!("+{cc} {}", &digits[cc.len()..]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> &'static NumberingPlan {
        NumberingPlan::builtin()
    }

    #[test]
    fn compiled_tables_hold_every_vendored_line() {
        let vendored = [
            ("DE", include_str!("../data/geocoding/de-49.txt")),
            ("AT", include_str!("../data/geocoding/en-43.txt")),
            ("IT", include_str!("../data/geocoding/en-39.txt")),
            ("SE", include_str!("../data/geocoding/en-46.txt")),
        ];
        for (code, text) in vendored {
            let lines: Vec<(String, String)> = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(|l| {
                    let (p, n) = l.split_once('|').unwrap();
                    (p.trim().to_string(), n.trim().to_string())
                })
                .collect();
            let spec = SPECS.iter().find(|s| s.code == code).unwrap();
            let AreaSource::Table { prefixes, names } = spec.areas else {
                panic!("{code} has a vendored table");
            };
            let compiled: Vec<(String, String)> = table_areas(prefixes, names)
                .into_iter()
                .map(|(p, n)| (p, n.to_string()))
                .collect();
            assert!(lines.len() > 20, "{code}");
            assert_eq!(compiled, lines, "{code}");
        }
    }

    fn num(s: &str) -> E164 {
        E164::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn country(code: &str) -> Country {
        code.parse().unwrap()
    }

    #[test]
    fn tables_load_completely() {
        let cases = [("DE", 5207), ("AT", 1029), ("IT", 121), ("SE", 272)];
        for (code, lines) in cases {
            assert_eq!(plan().areas(country(code)).len(), lines, "{code}");
        }
        assert_eq!(plan().area("4930").map(|a| a.name.as_str()), Some("Berlin"));
        assert_eq!(
            plan().area("497156").map(|a| a.name.as_str()),
            Some("Ditzingen")
        );
        assert_eq!(plan().area("4312").map(|a| a.name.as_str()), Some("Vienna"));
        assert_eq!(plan().area("4999999"), None);
        assert!(plan().areas(country("CH")).is_empty());
    }

    #[test]
    fn every_area_is_in_its_countrys_geographic_range() {
        for spec in SPECS {
            let c = country(spec.code);
            for area in plan().areas(c) {
                assert!(area.prefix.starts_with(spec.calling_code), "{area:?}");
                let lead = area.prefix[spec.calling_code.len()..]
                    .chars()
                    .next()
                    .unwrap();
                assert!(spec.geographic_leads.contains(lead), "{area:?}");
            }
        }
    }

    #[test]
    fn longest_prefix_wins() {
        let cases = [
            ("+4921291234567", "492129", "Haan Rheinland"),
            ("+4921211234567", "49212", "Solingen"),
            ("+492203123456", "492203", "Köln-Porz"),
            ("+49221123456", "49221", "Köln"),
            ("+4989123456", "4989", "München"),
            ("+4981311234567", "498131", "Dachau"),
        ];
        for (number, prefix, name) in cases {
            let area = plan().local_area(&num(number)).unwrap();
            assert_eq!(
                (area.prefix.as_str(), area.name.as_str()),
                (prefix, name),
                "{number}"
            );
        }
    }

    /// A classification as the table below spells it: type and area prefix, or the error.
    type Expected = Result<(NumberType, Option<&'static str>), ClassifyError>;

    #[test]
    fn classification() {
        let local = |n: &str| {
            plan()
                .classify(&num(n))
                .map(|c| (c.number_type, c.area.map(|a| a.prefix)))
        };
        let cases: &[(&str, Expected)] = &[
            ("+4930123456", Ok((NumberType::Local, Some("4930")))),
            ("+4915771234567", Ok((Mobile, None))),
            ("+4915812345678", Ok((Mobile, None))),
            ("+491711234567", Ok((Mobile, None))),
            ("+4932123456789", Ok((National, None))),
            ("+498001234567", Ok((TollFree, None))),
            ("+436641234567", Ok((Mobile, None))),
            ("+43662123456", Ok((NumberType::Local, Some("43662")))),
            ("+390612345678", Ok((NumberType::Local, Some("3906")))),
            ("+393123456789", Ok((Mobile, None))),
            ("+46812345678", Ok((NumberType::Local, Some("468")))),
            ("+33612345678", Ok((Mobile, None))),
            ("+33112345678", Ok((NumberType::Local, Some("331")))),
            ("+442079460000", Ok((NumberType::Local, Some("4420")))),
            ("+447911123456", Ok((Mobile, None))),
            ("+61412345678", Ok((Mobile, None))),
            ("+611800123456", Ok((TollFree, None))),
            ("+81312345678", Ok((NumberType::Local, Some("813")))),
            ("+81120123456", Ok((TollFree, None))),
            ("+12125551234", Ok((NumberType::Local, Some("1212")))),
            ("+18005551234", Ok((TollFree, None))),
            (
                "+79161234567",
                Err(ClassifyError::UnsupportedCountry {
                    calling_code: "7".into(),
                }),
            ),
            (
                "+41441234567",
                Err(ClassifyError::UnsupportedCountry {
                    calling_code: "41".into(),
                }),
            ),
            (
                "+35312345678",
                Err(ClassifyError::UnsupportedCountry {
                    calling_code: "353".into(),
                }),
            ),
            // Ranges only the country's plan knows; a number it does not know keeps its country.
            ("+491812345678", Ok((NumberType::Uan, None))),
            ("+436501234567", Ok((Mobile, None))),
            ("+4918012345678", Ok((NumberType::SharedCost, None))),
            ("+4910123456", Ok((NumberType::Unknown, None))),
            (
                "+331234567890",
                Err(ClassifyError::WrongLength {
                    country: country("FR"),
                    min: 9,
                    max: 9,
                    found: 10,
                }),
            ),
            ("+33912345678", Ok((NumberType::Voip, None))),
            // A geographic-looking number the plan does not know either.
            (
                "+4920000000",
                Err(ClassifyError::NoLocalArea {
                    country: Country::DE,
                }),
            ),
            ("+12135551234", Ok((NumberType::Local, Some("1213")))),
            (
                "+16505551234",
                Err(ClassifyError::NoLocalArea {
                    country: country("US"),
                }),
            ),
            (
                "+1212555123",
                Err(ClassifyError::WrongLength {
                    country: country("US"),
                    min: 10,
                    max: 10,
                    found: 9,
                }),
            ),
            (
                "+49301234567890",
                Err(ClassifyError::WrongLength {
                    country: Country::DE,
                    min: 6,
                    max: 11,
                    found: 12,
                }),
            ),
        ];
        for (number, expected) in cases {
            let expected = expected.clone().map(|(t, p)| (t, p.map(str::to_string)));
            assert_eq!(local(number), expected, "{number}");
        }
    }

    #[test]
    fn classify_errors_explain_themselves() {
        let errors = [
            ClassifyError::UnsupportedCountry {
                calling_code: "7".into(),
            },
            ClassifyError::NoLocalArea {
                country: Country::DE,
            },
            ClassifyError::WrongLength {
                country: Country::DE,
                min: 6,
                max: 11,
                found: 12,
            },
        ];
        for e in errors {
            assert!(e.to_string().contains("check"), "{e}");
        }
    }

    #[test]
    fn calling_codes() {
        assert_eq!(plan().calling_code(Country::DE), Some("49"));
        assert_eq!(plan().calling_code(country("US")), Some("1"));
        assert_eq!(plan().calling_code(country("CH")), None);
        assert_eq!(plan().countries().count(), 10);
    }

    #[test]
    fn every_range_builds_a_number_of_its_type() {
        for c in plan().countries().collect::<Vec<_>>() {
            for range in plan().ranges(c) {
                let number = num(&format!(
                    "+{}{}",
                    range.prefix,
                    "5".repeat(range.subscriber_digits)
                ));
                let got = plan()
                    .classify(&number)
                    .unwrap_or_else(|e| panic!("{range:?}: {e}"));
                assert_eq!(got.number_type, range.number_type, "{range:?}");
                assert_eq!(got.country, c);
                if let Some(area) = got.area {
                    assert!(
                        area.prefix.starts_with(&range.prefix),
                        "{range:?} -> {area:?}"
                    );
                }
            }
        }
    }

    // proptest is a native-only dev-dependency: the wasm build checks these tests but never runs them.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn de_area_prefix_plus_digits_is_local_in_that_area_or_a_nested_one(
                index in 0usize..5207,
                tail in proptest::collection::vec(0u8..10, 12),
            ) {
                let area = plan().areas(Country::DE)[index];
                let subscriber = 10 - (area.prefix.len() - 2);
                let tail: String = tail.iter().take(subscriber).map(|d| char::from(b'0' + d)).collect();
                let number = num(&format!("+{}{tail}", area.prefix));
                let got = plan().classify(&number).unwrap();
                prop_assert_eq!(got.number_type, NumberType::Local);
                let found = got.area.unwrap();
                prop_assert!(found.prefix.starts_with(&area.prefix), "{:?} -> {:?}", area, found);
            }
        }
    }
}
