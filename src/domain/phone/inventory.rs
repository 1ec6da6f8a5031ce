//! The shop's inventory: available numbers, generated deterministically from the numbering plan
//! (a few numbers per area and number type for every catalog country), so every machine offers
//! the same numbers and a test can name one.

use crate::domain::phone::e164::E164;
use crate::domain::phone::locality::AreaSearch;
use crate::domain::phone::numbering::{Classification, NumberingPlan, Range};
use crate::domain::records::kinds::{Country, NumberType};
use crate::domain::records::sid::SeededRandom;
use crate::domain::rules::regulation::Catalog;

/// How many numbers each area or range offers.
pub const PER_RANGE: usize = 3;

/// A search of the inventory; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Only this country.
    pub country: Option<Country>,
    /// Only this number type.
    pub number_type: Option<NumberType>,
    /// Only areas whose name, or a word of it, starts with this text (case-insensitive).
    pub area: String,
    /// Only numbers whose digits contain these digits.
    pub digits: String,
}

/// One number for sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The number.
    pub e164: E164,
    /// What it is.
    pub class: Classification,
}

/// A stable seed from text (FNV-1a), so each range always yields the same numbers.
fn seed_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One random number of `range`: subscriber digits drawn from `rng` (never starting with 0 or 1,
/// which lead to service and trunk codes), kept only if it classifies back as the range's type.
pub fn draw(plan: &NumberingPlan, range: &Range, rng: &mut SeededRandom) -> Option<Offer> {
    let mut digits = range.prefix.clone();
    for i in 0..range.subscriber_digits {
        let d = if i == 0 {
            2 + rng.next_u64() % 8
        } else {
            rng.next_u64() % 10
        };
        digits.push(char::from(b'0' + d as u8));
    }
    let e164 = E164::parse(&format!("+{digits}")).ok()?;
    let class = plan.classify(&e164).ok()?;
    (class.number_type == range.number_type).then_some(Offer { e164, class })
}

/// The numbers a range offers: random-looking but fixed digits that classify back into the
/// same range (a digit sequence that would fall into a nested area is skipped).
fn numbers_of(plan: &NumberingPlan, range: &Range) -> Vec<Offer> {
    let mut rng = SeededRandom::new(seed_of(&range.prefix));
    let mut out: Vec<Offer> = Vec::new();
    for _ in 0..PER_RANGE * 8 {
        if out.len() == PER_RANGE {
            break;
        }
        let Some(offer) = draw(plan, range, &mut rng) else {
            continue;
        };
        let same_area = offer
            .class
            .area
            .as_ref()
            .is_none_or(|a| a.prefix == range.prefix);
        if same_area && !out.iter().any(|o| o.e164 == offer.e164) {
            out.push(offer);
        }
    }
    out
}

/// The offers matching `query`, at most `limit`, in a stable order: country, then the plan's
/// order of ranges.
pub fn search(plan: &NumberingPlan, catalog: &Catalog, query: &Query, limit: usize) -> Vec<Offer> {
    let digits: String = query.digits.chars().filter(char::is_ascii_digit).collect();
    let mut out = Vec::new();
    for country in catalog.countries() {
        if query.country.is_some_and(|c| c != country) {
            continue;
        }
        let area = AreaSearch::new(plan, country, &query.area);
        let sold: Vec<NumberType> = NumberType::SOLD
            .into_iter()
            .filter(|t| !catalog.for_number(country, *t).is_empty())
            .collect();
        for range in plan.ranges(country) {
            if !sold.contains(&range.number_type)
                || query.number_type.is_some_and(|t| t != range.number_type)
            {
                continue;
            }
            if !area.is_empty() && !plan.area(&range.prefix).is_some_and(|a| area.matches(a)) {
                continue;
            }
            for offer in numbers_of(plan, range) {
                if digits.is_empty() || offer.e164.digits().contains(&digits) {
                    out.push(offer);
                    if out.len() >= limit {
                        return out;
                    }
                }
            }
        }
    }
    out
}
