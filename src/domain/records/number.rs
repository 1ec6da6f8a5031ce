//! Owned phone numbers and what each is mapped to.

use serde::{Deserialize, Serialize};

use crate::domain::phone::e164::E164;
use crate::domain::phone::numbering::{Classification, LocalArea};
use crate::domain::records::kinds::{Country, NumberType};
use crate::domain::records::sid::{AddressSid, IdentitySid, NumberSid};
use crate::domain::time::Timestamp;

/// The longest label (Twilio's friendly name) a number may have.
pub const MAX_LABEL: usize = 64;

/// A label as typed, checked: trimmed, at most [`MAX_LABEL`] characters, no control characters
/// (a label is shown in lists and written to CSV reports). Empty means no label.
pub fn checked_label(typed: &str) -> Result<String, String> {
    let label = typed.trim();
    let length = label.chars().count();
    if length > MAX_LABEL {
        return Err(format!(
            "A label has at most {MAX_LABEL} characters; this one has {length}."
        ));
    }
    if label.chars().any(char::is_control) {
        return Err("A label cannot hold tabs, line breaks or other control characters.".into());
    }
    Ok(label.to_string())
}

/// A phone number the customer owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// Its SID.
    pub sid: NumberSid,
    /// The number itself.
    pub e164: E164,
    /// Its country.
    pub country: Country,
    /// Its kind.
    pub number_type: NumberType,
    /// Its local area, for local numbers.
    #[serde(default)]
    pub area: Option<LocalArea>,
    /// A name for lists.
    #[serde(default)]
    pub friendly_name: String,
    /// When it was bought.
    pub bought: Timestamp,
    /// The address it is mapped to.
    #[serde(default)]
    pub address_sid: Option<AddressSid>,
    /// The identity document it is mapped to.
    #[serde(default)]
    pub identity_sid: Option<IdentitySid>,
    /// Bought before the requirements applied, so it must be mapped after the fact.
    #[serde(default)]
    pub legacy: bool,
    /// Two machines of a team changed it apart and nobody has chosen yet (see the team page):
    /// this machine's state, set and cleared by replication, never part of what is shared. A
    /// number in conflict does not count as compliant.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_conflict: bool,
}

impl PhoneNumber {
    /// A number as classified by the numbering plan.
    pub fn new(
        sid: NumberSid,
        e164: E164,
        class: Classification,
        bought: Timestamp,
    ) -> PhoneNumber {
        PhoneNumber {
            sid,
            e164,
            country: class.country,
            number_type: class.number_type,
            area: class.area,
            friendly_name: String::new(),
            bought,
            address_sid: None,
            identity_sid: None,
            legacy: false,
            in_conflict: false,
        }
    }

    /// Where the number is, for address rules.
    pub fn target(&self) -> crate::domain::rules::evaluation::Target<'_> {
        crate::domain::rules::evaluation::Target {
            country: self.country,
            area: self.area.as_ref(),
        }
    }

    /// The locality name, for local numbers.
    pub fn locality(&self) -> Option<&str> {
        self.area.as_ref().map(|a| a.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_trimmed_short_and_printable() {
        assert_eq!(checked_label("  Support line "), Ok("Support line".into()));
        assert_eq!(checked_label(""), Ok(String::new()));
        assert_eq!(
            checked_label(&"é".repeat(64)).map(|l| l.chars().count()),
            Ok(64)
        );
        assert!(checked_label(&"x".repeat(65)).unwrap_err().contains("65"));
        assert!(checked_label("a\tb").is_err());
    }
}
