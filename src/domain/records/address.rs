//! Addresses on file: who lives or works where, which is what the local-area rules check.

use serde::{Deserialize, Serialize};

use crate::domain::records::kinds::Country;
use crate::domain::records::sid::AddressSid;
use crate::domain::rules::problem::{Problem, codes};
use crate::domain::time::Timestamp;

/// An address on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Its SID.
    pub sid: AddressSid,
    /// The person or company at the address.
    pub customer_name: String,
    /// Street and house number.
    pub street: String,
    /// A second street line (building, floor), if any.
    #[serde(default)]
    pub street_secondary: String,
    /// The city or town, which local-area rules compare with the number's area.
    pub city: String,
    /// State or region.
    #[serde(default)]
    pub region: String,
    /// Postal code.
    pub postal_code: String,
    /// The country; fixed once the address exists, as in Twilio's API.
    pub country: Country,
    /// A name for lists and drop-downs.
    #[serde(default)]
    pub friendly_name: String,
    /// When it was created.
    pub created: Timestamp,
}

/// What a person enters to create or change an address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressDraft {
    /// The person or company at the address.
    pub customer_name: String,
    /// Street and house number.
    pub street: String,
    /// A second street line.
    pub street_secondary: String,
    /// The city or town.
    pub city: String,
    /// State or region.
    pub region: String,
    /// Postal code.
    pub postal_code: String,
    /// The ISO country code as entered.
    pub country: String,
    /// A name for lists.
    pub friendly_name: String,
}

/// Longest accepted text in an address field; Twilio limits friendly names to 64.
const MAX_LEN: usize = 100;

impl AddressDraft {
    /// The draft of an existing address, for its edit form.
    pub fn of(address: &Address) -> AddressDraft {
        AddressDraft {
            customer_name: address.customer_name.clone(),
            street: address.street.clone(),
            street_secondary: address.street_secondary.clone(),
            city: address.city.clone(),
            region: address.region.clone(),
            postal_code: address.postal_code.clone(),
            country: address.country.to_string(),
            friendly_name: address.friendly_name.clone(),
        }
    }

    /// Every problem with the draft, each on its field.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let required = [
            ("customer_name", &self.customer_name, "Customer name"),
            ("street", &self.street, "Street"),
            ("city", &self.city, "City"),
            ("postal_code", &self.postal_code, "Postal code"),
        ];
        for (field, value, label) in required {
            if value.trim().is_empty() {
                out.push(Problem::at(
                    codes::MISSING_INFORMATION,
                    field,
                    format!("{label} is required."),
                ));
            }
        }
        let all = [
            ("customer_name", &self.customer_name),
            ("street", &self.street),
            ("street_secondary", &self.street_secondary),
            ("city", &self.city),
            ("region", &self.region),
            ("postal_code", &self.postal_code),
        ];
        for (field, value) in all {
            if value.chars().count() > MAX_LEN {
                out.push(Problem::at(
                    codes::INVALID_VALUE,
                    field,
                    format!("At most {MAX_LEN} characters."),
                ));
            }
        }
        if self.friendly_name.chars().count() > 64 {
            out.push(Problem::at(
                codes::INVALID_VALUE,
                "friendly_name",
                "At most 64 characters.",
            ));
        }
        let postal = self.postal_code.trim();
        let country = self.country.trim();
        if !postal.is_empty()
            && !postal
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        {
            out.push(Problem::at(
                codes::INVALID_VALUE,
                "postal_code",
                "A postal code has only letters, digits, spaces and hyphens.",
            ));
        }
        if country.is_empty() {
            out.push(Problem::at(
                codes::MISSING_INFORMATION,
                "country",
                "Country is required.",
            ));
        } else if let Err(e) = country.parse::<Country>() {
            out.push(Problem::at(codes::INVALID_VALUE, "country", e.to_string()));
        }
        out
    }
}

/// The postal-code shapes of the countries whose numbers regdesk knows best, `9` for a digit and
/// `A` for a letter, with an example for the message. A wrong shape (`8033`, `abc` for Germany)
/// is a typing error the reviewer would reject much later as an address mismatch; other
/// countries are checked for their characters only.
fn postal_shapes(country: &str) -> Option<(&'static [&'static str], &'static str)> {
    Some(match country {
        "DE" => (&["99999"], "five digits, such as 10117"),
        "FR" | "IT" | "ES" => (&["99999"], "five digits, such as 75001"),
        "AT" | "CH" | "AU" | "DK" | "BE" => (&["9999"], "four digits, such as 1010"),
        "SE" => (&["999 99", "99999"], "five digits, such as 111 22"),
        "NL" => (
            &["9999 AA", "9999AA"],
            "four digits and two letters, such as 1012 AB",
        ),
        "US" => (
            &["99999", "99999-9999"],
            "a ZIP code such as 10001 or 10001-1234",
        ),
        _ => return None,
    })
}

/// Whether `text` has `shape` (`9` a digit, `A` a letter, anything else itself).
fn has_shape(text: &str, shape: &str) -> bool {
    text.len() == shape.len()
        && text.bytes().zip(shape.bytes()).all(|(c, s)| match s {
            b'9' => c.is_ascii_digit(),
            b'A' => c.is_ascii_alphabetic(),
            _ => c == s,
        })
}

/// Why `address` may not be saved beside `others`: lists and drop-downs show an address by its
/// friendly name, so two addresses with one name could not be told apart there.
pub fn name_clash(address: &Address, others: &[Address]) -> Option<Problem> {
    let name = address.friendly_name.trim();
    if name.is_empty() {
        return None;
    }
    others
        .iter()
        .find(|o| o.sid != address.sid && o.friendly_name.trim().eq_ignore_ascii_case(name))
        .map(|o| {
            Problem::at(
                codes::INVALID_VALUE,
                "friendly_name",
                format!(
                    "Another address is already called \"{}\" ({}); choose another name.",
                    o.friendly_name,
                    o.one_line()
                ),
            )
        })
}

impl AddressDraft {
    /// Every problem with the draft as typed into the form: [`problems`](Self::problems) and the
    /// postal code's shape in its country. The shape is checked only on entry: a backup made
    /// before the check existed must still import, so a stored record is held to `problems`.
    pub fn entry_problems(&self) -> Vec<Problem> {
        let mut out = self.problems();
        let postal = self.postal_code.trim();
        if let Some((shapes, example)) = postal_shapes(self.country.trim())
            && !out
                .iter()
                .any(|p| p.field.as_deref() == Some("postal_code"))
            && !postal.is_empty()
            && !shapes.iter().any(|shape| has_shape(postal, shape))
        {
            out.push(Problem::at(
                codes::INVALID_VALUE,
                "postal_code",
                format!("A postal code in this country is {example}."),
            ));
        }
        out
    }
}

/// The usual names of a post-office box, as their words run together in lower case: `PO Box`,
/// `P.O. Box` and `POBox` all read `pobox`. Initials that are also ordinary words or names (the
/// French `BP`, the Italian `CP`) are left out: they would refuse real streets.
const PO_BOX_NAMES: [&str; 8] = [
    "pobox",
    "postofficebox",
    "postfach",
    "casellapostale",
    "boitepostale",
    "boîtepostale",
    "apartadodecorreos",
    "apdodecorreos",
];

/// Whether an address line names a post-office box: one of [`PO_BOX_NAMES`] in whole words,
/// whatever the case, spacing and dots (`p. o. box 12`, `Postfach 10 20 30`), followed by its
/// number or by nothing. Whole words keep a street named after one (`Postfachstraße 5`) a street,
/// and the number keeps one that merely starts with the words (`Postfach-Allee`) one too.
pub fn names_po_box(line: &str) -> bool {
    // Runs of letters and runs of digits, lower case: "Postfach10" is two words.
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut previous: Option<bool> = None;
    for c in line.chars() {
        let letter = if c.is_alphabetic() {
            Some(true)
        } else if c.is_numeric() {
            Some(false)
        } else {
            None
        };
        if let Some(letter) = letter {
            if previous != Some(letter) {
                words.push((String::new(), letter));
            }
            if let Some((word, _)) = words.last_mut() {
                word.extend(c.to_lowercase());
            }
        }
        previous = letter;
    }
    (0..words.len()).any(|start| {
        let mut joined = String::new();
        (start..words.len()).any(|end| {
            joined.push_str(&words[end].0);
            PO_BOX_NAMES.contains(&joined.as_str())
                && words.get(end + 1).is_none_or(|(_, letter)| !letter)
        })
    })
}

impl Address {
    /// Whether the address is a post-office box: a street line names one ([`names_po_box`]).
    pub fn is_po_box(&self) -> bool {
        names_po_box(&self.street) || names_po_box(&self.street_secondary)
    }

    /// A new address from a valid draft, or every problem with the draft (as entered).
    pub fn create(
        sid: AddressSid,
        draft: &AddressDraft,
        now: Timestamp,
    ) -> Result<Address, Vec<Problem>> {
        let problems = draft.entry_problems();
        let country = match draft.country.trim().parse::<Country>() {
            Ok(c) if problems.is_empty() => c,
            _ => return Err(problems),
        };
        Ok(Address {
            sid,
            customer_name: draft.customer_name.trim().to_string(),
            street: draft.street.trim().to_string(),
            street_secondary: draft.street_secondary.trim().to_string(),
            city: draft.city.trim().to_string(),
            region: draft.region.trim().to_string(),
            postal_code: draft.postal_code.trim().to_string(),
            country,
            friendly_name: draft.friendly_name.trim().to_string(),
            created: now,
        })
    }

    /// This address changed as the draft says. The country cannot change: an address in another
    /// country is another address.
    pub fn updated(&self, draft: &AddressDraft) -> Result<Address, Vec<Problem>> {
        let mut next = Address::create(self.sid, draft, self.created)?;
        if next.country != self.country {
            return Err(vec![Problem::at(
                codes::NOT_ALLOWED,
                "country",
                format!(
                    "The country of an address cannot change (it is {}). Create a new address instead.",
                    self.country
                ),
            )]);
        }
        next.created = self.created;
        Ok(next)
    }

    /// The name lists show: the friendly name, or the street and city.
    pub fn label(&self) -> String {
        if self.friendly_name.is_empty() {
            format!("{}, {} {}", self.street, self.postal_code, self.city)
        } else {
            self.friendly_name.clone()
        }
    }

    /// The address on one line.
    pub fn one_line(&self) -> String {
        let mut parts = vec![self.customer_name.clone(), self.street.clone()];
        if !self.street_secondary.is_empty() {
            parts.push(self.street_secondary.clone());
        }
        parts.push(format!("{} {}", self.postal_code, self.city));
        parts.push(self.country.name().to_string());
        parts.join(", ")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid German draft, shared by the domain's tests that need an address.
    pub(crate) fn draft() -> AddressDraft {
        AddressDraft {
            customer_name: "Acme GmbH".into(),
            street: "Unter den Linden 1".into(),
            city: "Berlin".into(),
            postal_code: "10117".into(),
            country: "DE".into(),
            ..Default::default()
        }
    }

    #[test]
    fn valid_draft_creates_an_address() {
        let a = Address::create(AddressSid::from_bytes([1; 16]), &draft(), Timestamp(0)).unwrap();
        assert_eq!(a.country, Country::DE);
        assert_eq!(a.label(), "Unter den Linden 1, 10117 Berlin");
    }

    #[test]
    fn every_problem_is_on_its_field() {
        let bad = AddressDraft {
            city: " ".into(),
            country: "Germany".into(),
            postal_code: "10<117".into(),
            ..draft()
        };
        let fields: Vec<_> = bad.problems().into_iter().filter_map(|p| p.field).collect();
        assert_eq!(fields, ["city", "postal_code", "country"]);
    }

    #[test]
    fn postal_codes_have_their_country_shape_and_the_country_is_required() {
        let with = |country: &str, postal: &str| AddressDraft {
            country: country.into(),
            postal_code: postal.into(),
            ..draft()
        };
        for (country, postal) in [
            ("DE", "10117"),
            ("SE", "111 22"),
            ("SE", "11122"),
            ("NL", "1012 AB"),
            ("US", "10001-1234"),
            ("GB", "SW1A 1AA"),
        ] {
            assert_eq!(
                with(country, postal).problems(),
                vec![],
                "{country} {postal}"
            );
        }
        for (country, postal) in [
            ("DE", "8033"),
            ("DE", "abc"),
            ("AT", "10117"),
            ("NL", "1012"),
        ] {
            let problems = with(country, postal).entry_problems();
            assert_eq!(problems.len(), 1, "{country} {postal}");
            // A stored record (a backup from before the check) is still valid.
            assert_eq!(
                with(country, postal).problems(),
                vec![],
                "{country} {postal}"
            );
            assert_eq!(problems[0].field.as_deref(), Some("postal_code"));
        }
        assert!(
            with("DE", "8033").entry_problems()[0]
                .message
                .contains("five digits")
        );
        let none = with("", "10117").problems();
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].message, "Country is required.");
    }

    #[test]
    fn two_addresses_cannot_share_a_friendly_name() {
        let named = |sid: u8, name: &str| {
            let mut a =
                Address::create(AddressSid::from_bytes([sid; 16]), &draft(), Timestamp(0)).unwrap();
            a.friendly_name = name.into();
            a
        };
        let existing = [named(1, "Munich branch"), named(2, "")];
        let clash = name_clash(&named(3, " munich BRANCH "), &existing).unwrap();
        assert_eq!(clash.field.as_deref(), Some("friendly_name"));
        assert!(
            clash.message.contains("\"Munich branch\""),
            "{}",
            clash.message
        );
        // Saving an address under its own name, or two without a name, is fine.
        assert_eq!(name_clash(&named(1, "Munich branch"), &existing), None);
        assert_eq!(name_clash(&named(3, ""), &existing), None);
        assert_eq!(name_clash(&named(3, "Berlin office"), &existing), None);
    }

    #[test]
    fn po_boxes_are_recognised_in_their_usual_spellings() {
        for line in [
            "Postfach 10 20 30",
            "POSTFACH 102030",
            "Post fach 12",
            "Postfach10 20 30",
            "PO Box 123",
            "P.O. Box 123",
            "p. o. box 123",
            "P O Box 7",
            "POBox 123",
            "PO-Box #12",
            "Post Office Box 5",
            "Casella postale 45",
            "CASELLA POSTALE 45",
            "Boîte postale 12",
            "Boite Postale 12",
            "Apartado de correos 1234",
            "Apdo. de Correos 1234",
            "c/o Postfach 12 34",
            "Postfach",
        ] {
            assert!(names_po_box(line), "{line:?}");
        }
        for line in [
            "Unter den Linden 1",
            "Postfachstraße 5",
            "Postfach-Allee 5",
            "Poststraße 12",
            "Boxhagener Straße 12",
            "Via Po 17",
            "Box Hill Road 3",
            "Postbox Lane 2",
            "Corso Casella 4",
            "Calle del Apartado 3",
            "Rue de la Boîte 9",
            "Apollo Boxing Club, Hauptstraße 3",
            "",
        ] {
            assert!(!names_po_box(line), "{line:?}");
        }
        let mut a =
            Address::create(AddressSid::from_bytes([1; 16]), &draft(), Timestamp(0)).unwrap();
        assert!(!a.is_po_box());
        a.street_secondary = "Postfach 10 20 30".into();
        assert!(a.is_po_box(), "the second street line counts too");
    }

    #[test]
    fn country_is_fixed_after_creation() {
        let a = Address::create(AddressSid::from_bytes([1; 16]), &draft(), Timestamp(5)).unwrap();
        let moved = AddressDraft {
            country: "AT".into(),
            postal_code: "1010".into(),
            ..draft()
        };
        let err = a.updated(&moved).unwrap_err();
        assert_eq!(err[0].field.as_deref(), Some("country"));
        let renamed = AddressDraft {
            friendly_name: "HQ".into(),
            ..draft()
        };
        let b = a.updated(&renamed).unwrap();
        assert_eq!((b.friendly_name.as_str(), b.created), ("HQ", Timestamp(5)));
    }
}
