//! The small vocabularies every rule speaks in: countries, number types and end-user types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO 3166-1 alpha-2 country code, such as `DE`: two uppercase ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// Germany, the country whose local-area rule regdesk models most closely.
    pub const DE: Country = Country(*b"DE");

    /// The code as text.
    pub fn code(&self) -> &str {
        // Only ever built from two ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The country's English name, for the countries regdesk knows; otherwise its code.
    pub fn name(&self) -> &'static str {
        match self.code() {
            "AT" => "Austria",
            "AU" => "Australia",
            "DE" => "Germany",
            "ES" => "Spain",
            "FR" => "France",
            "GB" => "United Kingdom",
            "IT" => "Italy",
            "JP" => "Japan",
            "SE" => "Sweden",
            "US" => "United States",
            _ => "another country",
        }
    }
}

/// Why a string is not a country code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryError(pub String);

impl fmt::Display for CountryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a two-letter ISO country code such as DE",
            self.0
        )
    }
}

impl std::error::Error for CountryError {}

impl FromStr for Country {
    type Err = CountryError;

    fn from_str(s: &str) -> Result<Self, CountryError> {
        match s.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Ok(Country([*a, *b])),
            _ => Err(CountryError(s.to_string())),
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// The kinds of number: the four a regulation can name, then the others a country's numbering
/// plan knows (no catalog regulation names them), then a number the plan does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NumberType {
    /// A geographic number tied to a local area (an Ortsnetz in Germany).
    Local,
    /// A mobile number.
    Mobile,
    /// A non-geographic national number (Germany's +49 32).
    National,
    /// A freephone number.
    TollFree,
    /// A premium-rate number.
    PremiumRate,
    /// A shared-cost number (Germany's 0180).
    SharedCost,
    /// A personal number that follows its owner.
    PersonalNumber,
    /// A number for internet telephony.
    Voip,
    /// A pager.
    Pager,
    /// A universal access number (one number for a company nationwide).
    Uan,
    /// A voicemail access number.
    Voicemail,
    /// A number in no range of its country's plan.
    Unknown,
}

impl NumberType {
    /// The types a regulation can name and the shop sells, in the order the UI lists them.
    pub const SOLD: [NumberType; 4] = [
        NumberType::Local,
        NumberType::Mobile,
        NumberType::National,
        NumberType::TollFree,
    ];

    /// Every number type, in the order the UI lists them.
    pub const ALL: [NumberType; 12] = [
        NumberType::Local,
        NumberType::Mobile,
        NumberType::National,
        NumberType::TollFree,
        NumberType::PremiumRate,
        NumberType::SharedCost,
        NumberType::PersonalNumber,
        NumberType::Voip,
        NumberType::Pager,
        NumberType::Uan,
        NumberType::Voicemail,
        NumberType::Unknown,
    ];

    /// The machine name used in URLs and data files (`toll-free`).
    pub fn slug(&self) -> &'static str {
        match self {
            NumberType::Local => "local",
            NumberType::Mobile => "mobile",
            NumberType::National => "national",
            NumberType::TollFree => "toll-free",
            NumberType::PremiumRate => "premium-rate",
            NumberType::SharedCost => "shared-cost",
            NumberType::PersonalNumber => "personal-number",
            NumberType::Voip => "voip",
            NumberType::Pager => "pager",
            NumberType::Uan => "uan",
            NumberType::Voicemail => "voicemail",
            NumberType::Unknown => "unknown",
        }
    }

    /// The name a person reads.
    pub fn label(&self) -> &'static str {
        match self {
            NumberType::Local => "Local",
            NumberType::Mobile => "Mobile",
            NumberType::National => "National",
            NumberType::TollFree => "Toll-free",
            NumberType::PremiumRate => "Premium rate",
            NumberType::SharedCost => "Shared cost",
            NumberType::PersonalNumber => "Personal number",
            NumberType::Voip => "VoIP",
            NumberType::Pager => "Pager",
            NumberType::Uan => "Universal access",
            NumberType::Voicemail => "Voicemail",
            NumberType::Unknown => "Unknown",
        }
    }

    /// The number type whose [`slug`](Self::slug) is `s`.
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.slug() == s)
    }
}

/// Who stands behind the numbers: a person or a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndUserType {
    /// A natural person.
    Individual,
    /// A company, association or sole trader with a registration.
    Business,
}

impl EndUserType {
    /// Both end-user types.
    pub const ALL: [EndUserType; 2] = [EndUserType::Individual, EndUserType::Business];

    /// The machine name used in URLs and data files.
    pub fn slug(&self) -> &'static str {
        match self {
            EndUserType::Individual => "individual",
            EndUserType::Business => "business",
        }
    }

    /// The name a person reads.
    pub fn label(&self) -> &'static str {
        match self {
            EndUserType::Individual => "Individual",
            EndUserType::Business => "Business",
        }
    }

    /// The end-user type whose [`slug`](Self::slug) is `s`.
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.slug() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_two_uppercase_letters() {
        assert_eq!("DE".parse::<Country>().unwrap(), Country::DE);
        for bad in ["de", "DEU", "D", "", "D1", "ÄÖ"] {
            assert!(bad.parse::<Country>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn slugs_round_trip() {
        for t in NumberType::ALL {
            assert_eq!(NumberType::from_slug(t.slug()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.slug())
            );
        }
        for t in EndUserType::ALL {
            assert_eq!(EndUserType::from_slug(t.slug()), Some(t));
        }
    }
}
