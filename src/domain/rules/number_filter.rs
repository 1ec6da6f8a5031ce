//! Which numbers a list shows: by compliance, country, type, local area, what is missing, entity,
//! document, address, mapped or not, bought before the rules, label and digits. The whole state
//! reads from and writes to a URL query, so Back, a reload and a shared link show the same list;
//! My numbers, the plan's links and their tests share this one reading.

use crate::domain::phone::e164::DigitsSearch;
use crate::domain::records::kinds::{Country, NumberType};
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EntitySid, IdentitySid};
use crate::domain::rules::compliance::Compliance;
use crate::domain::rules::gap::{Gap, GapKind};

/// What the compliance filter asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ComplianceFilter {
    /// Every number.
    #[default]
    Any,
    /// Numbers that lack something.
    NonCompliant,
    /// Numbers that have everything.
    Compliant,
    /// Numbers whose regulation requires nothing.
    NotRegulated,
    /// Numbers of a type the catalog has no regulation for.
    NotInCatalog,
    /// Numbers the country's plan does not know.
    UnknownType,
}

impl ComplianceFilter {
    /// Every choice, in the order the filter lists them.
    pub const ALL: [ComplianceFilter; 6] = [
        ComplianceFilter::Any,
        ComplianceFilter::NonCompliant,
        ComplianceFilter::Compliant,
        ComplianceFilter::NotRegulated,
        ComplianceFilter::NotInCatalog,
        ComplianceFilter::UnknownType,
    ];

    /// The value in the URL; empty for every number.
    pub fn slug(self) -> &'static str {
        match self {
            ComplianceFilter::Any => "",
            ComplianceFilter::NonCompliant => Compliance::NONCOMPLIANT,
            ComplianceFilter::Compliant => Compliance::Compliant.slug(),
            ComplianceFilter::NotRegulated => Compliance::NotRegulated.slug(),
            ComplianceFilter::NotInCatalog => Compliance::NotInCatalog.slug(),
            ComplianceFilter::UnknownType => Compliance::UnknownType.slug(),
        }
    }

    /// What the option says.
    pub fn label(self) -> &'static str {
        match self {
            ComplianceFilter::Any => "Any",
            ComplianceFilter::NonCompliant => "Non-compliant",
            ComplianceFilter::Compliant => "Compliant",
            ComplianceFilter::NotRegulated => Compliance::NotRegulated.label(),
            ComplianceFilter::NotInCatalog => Compliance::NotInCatalog.label(),
            ComplianceFilter::UnknownType => Compliance::UnknownType.label(),
        }
    }

    fn matches(self, compliance: &Compliance) -> bool {
        self == ComplianceFilter::Any || self.slug() == compliance.slug()
    }
}

/// The URL value of a [`Mapping`] filter for "mapped to nothing".
pub const NOTHING: &str = "none";

/// A filter on what a number is mapped to: anything, nothing, or this record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mapping<S> {
    /// Whatever it is mapped to.
    #[default]
    Any,
    /// Mapped to nothing.
    Nothing,
    /// Mapped to this record.
    To(S),
}

impl<S: Copy + PartialEq + std::fmt::Display + std::str::FromStr> Mapping<S> {
    /// The value in the URL and the filter's select.
    pub fn slug(self) -> String {
        match self {
            Mapping::Any => String::new(),
            Mapping::Nothing => NOTHING.into(),
            Mapping::To(s) => s.to_string(),
        }
    }

    /// The filter a URL or select value names; an unknown one is no filter.
    pub fn from_slug(slug: &str) -> Mapping<S> {
        match slug {
            NOTHING => Mapping::Nothing,
            other => other.parse().map(Mapping::To).unwrap_or_default(),
        }
    }

    fn matches(self, mapped: Option<S>) -> bool {
        match self {
            Mapping::Any => true,
            Mapping::Nothing => mapped.is_none(),
            Mapping::To(s) => mapped == Some(s),
        }
    }
}

/// A yes/no filter's value in the URL and its select (empty when off).
pub fn yes_no(value: Option<bool>) -> String {
    match value {
        None => String::new(),
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
    }
}

/// The yes/no filter a value names.
pub fn read_yes_no(value: &str) -> Option<bool> {
    match value {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// My numbers' filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NumberFilter {
    /// By compliance.
    pub compliance: ComplianceFilter,
    /// By country.
    pub country: Option<Country>,
    /// By number type.
    pub number_type: Option<NumberType>,
    /// By local area (E.164 prefix digits).
    pub area: Option<String>,
    /// By what is missing.
    pub missing: Option<GapKind>,
    /// By the entity behind the mapped document.
    pub entity: Option<EntitySid>,
    /// By mapped document.
    pub document: Mapping<IdentitySid>,
    /// By mapped address.
    pub address: Mapping<AddressSid>,
    /// Mapped to anything at all, or to nothing.
    pub mapped: Option<bool>,
    /// Bought before the rules (or not).
    pub legacy: Option<bool>,
    /// Words in the number's label.
    pub label: String,
    /// Digits as typed ([`DigitsSearch`]).
    pub digits: String,
}

/// The URL keys, in the order a query string lists them.
const KEYS: [&str; 12] = [
    "compliance",
    "country",
    "type",
    "area",
    "missing",
    "entity",
    "document",
    "address",
    "mapped",
    "pre",
    "label",
    "digits",
];

impl NumberFilter {
    /// The filter a URL query describes, `get` reading one key. An unknown value is no filter on
    /// that key, so an old or hand-edited link still opens a list. `?noncompliant` (the overview's
    /// link before the compliance filter had values) still means non-compliant numbers.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> NumberFilter {
        let text = |key: &str| get(key).unwrap_or_default();
        let compliance = match text("compliance").as_str() {
            "" if get("noncompliant").is_some() => ComplianceFilter::NonCompliant,
            slug => ComplianceFilter::ALL
                .into_iter()
                .find(|c| c.slug() == slug)
                .unwrap_or_default(),
        };
        NumberFilter {
            compliance,
            country: text("country").parse().ok(),
            number_type: NumberType::from_slug(&text("type")),
            area: Some(text("area"))
                .filter(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_digit())),
            missing: GapKind::from_slug(&text("missing")),
            entity: text("entity").parse().ok(),
            document: Mapping::from_slug(&text("document")),
            address: Mapping::from_slug(&text("address")),
            mapped: read_yes_no(&text("mapped")),
            legacy: read_yes_no(&text("pre")),
            label: text("label"),
            digits: text("digits"),
        }
    }

    /// The query pairs that describe this filter, the empty ones left out.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let values = [
            self.compliance.slug().to_string(),
            self.country
                .map(|c| c.code().to_string())
                .unwrap_or_default(),
            self.number_type
                .map(|t| t.slug().to_string())
                .unwrap_or_default(),
            self.area.clone().unwrap_or_default(),
            self.missing
                .map(|m| m.slug().to_string())
                .unwrap_or_default(),
            self.entity.map(|e| e.to_string()).unwrap_or_default(),
            self.document.slug(),
            self.address.slug(),
            yes_no(self.mapped),
            yes_no(self.legacy),
            self.label.trim().to_string(),
            self.digits.trim().to_string(),
        ];
        KEYS.into_iter()
            .zip(values)
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    /// The page a URL query asks for, 0-based (the URL counts from 1; anything else is the first).
    pub fn page_from_query(get: impl Fn(&str) -> Option<String>) -> usize {
        get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1)
            .saturating_sub(1)
    }

    /// The link to My numbers showing this filter at `page` (0-based; the URL counts from 1).
    pub fn href(&self, page: usize) -> String {
        let mut pairs = self.to_query();
        if page > 0 {
            pairs.push(("page", (page + 1).to_string()));
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if query.is_empty() {
            "/numbers".into()
        } else {
            format!("/numbers?{}", query.join("&"))
        }
    }

    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.to_query().is_empty()
    }

    /// The filter ready to be asked of many numbers: the typed text is read once.
    pub fn matcher(&self) -> NumberMatcher<'_> {
        NumberMatcher {
            filter: self,
            digits: DigitsSearch::new(&self.digits),
            label: self.label.trim().to_lowercase(),
        }
    }
}

/// `text` for a URL query value: every byte but the unreserved ones percent-encoded (a typed
/// `+49` must not read back as a space).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A [`NumberFilter`] with its typed text read, asked once per number.
pub struct NumberMatcher<'a> {
    filter: &'a NumberFilter,
    digits: DigitsSearch,
    label: String,
}

impl NumberMatcher<'_> {
    /// Whether the list shows `number`, whose compliance and gap are given and whose mapped
    /// document is for `entity`.
    pub fn matches(
        &self,
        number: &PhoneNumber,
        compliance: &Compliance,
        gap: Option<&Gap>,
        entity: Option<EntitySid>,
    ) -> bool {
        let f = self.filter;
        f.compliance.matches(compliance)
            && f.country.is_none_or(|c| c == number.country)
            && f.number_type.is_none_or(|t| t == number.number_type)
            && f.area
                .as_ref()
                .is_none_or(|p| number.area.as_ref().is_some_and(|a| &a.prefix == p))
            && f.missing.is_none_or(|k| gap.is_some_and(|g| g.kind() == k))
            && f.entity.is_none_or(|e| entity == Some(e))
            && f.document.matches(number.identity_sid)
            && f.address.matches(number.address_sid)
            && f.mapped.is_none_or(|m| {
                m == (number.identity_sid.is_some() || number.address_sid.is_some())
            })
            && f.legacy.is_none_or(|l| l == number.legacy)
            && (self.label.is_empty() || number.friendly_name.to_lowercase().contains(&self.label))
            && (self.digits.is_empty() || self.digits.matches(&number.e164))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::e164::E164;
    use crate::domain::phone::numbering::NumberingPlan;
    use crate::domain::records::sid::NumberSid;
    use crate::domain::time::Timestamp;

    fn number(e164: &str, label: &str) -> PhoneNumber {
        let e164 = E164::parse(e164).unwrap();
        let class = NumberingPlan::builtin().classify(&e164).unwrap();
        let mut n = PhoneNumber::new(NumberSid::from_bytes([7; 16]), e164, class, Timestamp(0));
        n.friendly_name = label.into();
        n
    }

    fn query(pairs: &[(&str, &str)]) -> NumberFilter {
        NumberFilter::from_query(|k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn a_filter_survives_its_url() {
        let filter = NumberFilter {
            compliance: ComplianceFilter::NonCompliant,
            country: "DE".parse().ok(),
            number_type: Some(NumberType::Local),
            area: Some("4930".into()),
            missing: Some(GapKind::Address),
            entity: None,
            document: Mapping::Nothing,
            address: Mapping::Any,
            mapped: Some(false),
            legacy: Some(true),
            label: "Support line".into(),
            digits: "030".into(),
        };
        let pairs = filter.to_query();
        let read = NumberFilter::from_query(|k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(read, filter);
        assert!(NumberFilter::default().is_empty());
        assert_eq!(NumberFilter::default().href(0), "/numbers");
        assert_eq!(
            NumberFilter::page_from_query(|k| (k == "page").then(|| "3".into())),
            2
        );
        assert_eq!(
            NumberFilter::page_from_query(|k| (k == "page").then(|| "x".into())),
            0
        );
        let typed = NumberFilter {
            digits: "+49 30".into(),
            label: "Köln & co".into(),
            ..NumberFilter::default()
        };
        assert_eq!(
            typed.href(2),
            "/numbers?label=K%C3%B6ln%20%26%20co&digits=%2B49%2030&page=3"
        );
    }

    #[test]
    fn old_and_bad_links_still_open_a_list() {
        assert_eq!(
            query(&[("noncompliant", "")]).compliance,
            ComplianceFilter::NonCompliant
        );
        let bad = query(&[
            ("country", "Germany"),
            ("type", "<b>"),
            ("area", "30; drop"),
            ("missing", "x"),
            ("document", "RI-not-a-sid"),
            ("mapped", "maybe"),
        ]);
        assert_eq!(bad, NumberFilter::default());
    }

    #[test]
    fn each_key_narrows_the_list() {
        let berlin = number("+493012345678", "Berlin support");
        let mobile = number("+4915730123456", "");
        let open = Compliance::NonCompliant(Vec::new());
        let gap = Gap::Address;
        let shows = |pairs: &[(&str, &str)], n: &PhoneNumber| {
            query(pairs).matcher().matches(n, &open, Some(&gap), None)
        };
        assert!(shows(&[("digits", "030")], &berlin));
        assert!(!shows(&[("digits", "030")], &mobile));
        assert!(shows(&[("type", "mobile")], &mobile));
        assert!(!shows(&[("type", "mobile")], &berlin));
        assert!(shows(&[("area", "4930")], &berlin));
        assert!(!shows(&[("area", "4930")], &mobile));
        assert!(shows(&[("label", "SUPPORT")], &berlin));
        assert!(!shows(&[("label", "support")], &mobile));
        assert!(shows(&[("missing", "address")], &berlin));
        assert!(!shows(&[("missing", "document")], &berlin));
        assert!(shows(&[("mapped", "no"), ("document", "none")], &berlin));
        assert!(!shows(&[("mapped", "yes")], &berlin));
        assert!(!shows(&[("pre", "yes")], &berlin));
        assert!(!shows(&[("compliance", "compliant")], &berlin));
    }
}
