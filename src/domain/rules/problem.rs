//! Problems: every unmet requirement, rejection reason and refused action, as one shape.
//!
//! A problem has a Twilio-style code (so it can be looked up and tested), the field it is about (so
//! the form can show it next to that field) and a plain message (so a person can fix it). The form's
//! pre-check, the reviewer, the mapping choices and the purchase guard all produce this type, which
//! is how they are kept from disagreeing.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The codes regdesk uses, with Twilio's meaning.
pub mod codes {
    /// The image is too small to read.
    pub const ILLEGIBLE: u32 = 18002;
    /// The document has expired.
    pub const EXPIRED: u32 = 18003;
    /// A mandatory detail is missing.
    pub const MISSING_INFORMATION: u32 = 18005;
    /// The name on the proof of identity differs from the entered name.
    pub const NAME_MISMATCH: u32 = 18008;
    /// The registration number on the document differs from the entered one.
    pub const REGISTRATION_MISMATCH: u32 = 18010;
    /// The document shows a different address from the one on file.
    pub const ADDRESS_MISMATCH: u32 = 18016;
    /// The document shows no address, and one is required.
    pub const NO_ADDRESS_SHOWN: u32 = 18017;
    /// The address is a post-office box, and the regulation asks for a street address.
    pub const PO_BOX: u32 = 18018;
    /// The proof of address is too old.
    pub const OUTDATED_PROOF: u32 = 18022;
    /// The file cannot be processed: empty, or not the format it claims.
    pub const UNPROCESSABLE_FILE: u32 = 18024;
    /// The number type requires an address in its local area.
    pub const LOCAL_ADDRESS_REQUIRED_REVIEW: u32 = 18039;
    /// A phone-number detail is not in E.164 form.
    pub const INVALID_PHONE: u32 = 18054;
    /// An email detail is not an email address.
    pub const INVALID_EMAIL: u32 = 18055;
    /// No supporting document of an accepted type was provided for a requirement.
    pub const MISSING_DOCUMENT: u32 = 22216;
    /// The number requires a local address, and none is in its area.
    pub const LOCAL_ADDRESS_REQUIRED: u32 = 21615;
    /// An address used by a verified document cannot change.
    pub const ADDRESS_LOCKED: u32 = 21630;
    /// The number requires an address, and none satisfies it.
    pub const ADDRESS_REQUIRED: u32 = 21631;
    /// The number requires a verified identity document, and none has passed.
    pub const IDENTITY_REQUIRED: u32 = 21650;
    /// A document exists but does not satisfy the number's regulation.
    pub const DOCUMENT_UNSUITABLE: u32 = 21651;
    /// The combination of country, number type and end-user type is not offered.
    pub const NOT_OFFERED: u32 = 22201;
    /// A record cannot be changed or deleted in its current state.
    pub const NOT_ALLOWED: u32 = 21647;
    /// A record cannot be deleted while numbers use it.
    pub const IN_USE: u32 = 21648;
    /// A value entered in a form is not valid.
    pub const INVALID_VALUE: u32 = 22215;
    /// regdesk's own, outside Twilio's codes: two machines of a team changed the number's
    /// mapping apart, and nobody has chosen between the versions yet.
    pub const MAPPING_CONFLICT: u32 = 90409;

    /// Twilio's short title for a code, for the error banners and the activity log.
    pub fn title(code: u32) -> &'static str {
        match code {
            ILLEGIBLE => "Document is illegible",
            EXPIRED => "Document expired or invalid",
            MISSING_INFORMATION => "Missing information",
            NAME_MISMATCH => "Name does not match",
            REGISTRATION_MISMATCH => "Business registration number does not match",
            ADDRESS_MISMATCH => "Address does not match the document",
            NO_ADDRESS_SHOWN => "Document shows no address",
            PO_BOX => "PO Box not allowed",
            OUTDATED_PROOF => "Proof of address is outdated",
            UNPROCESSABLE_FILE => "File cannot be processed",
            LOCAL_ADDRESS_REQUIRED_REVIEW => "Number type requires a local address",
            INVALID_PHONE => "Invalid phone number",
            INVALID_EMAIL => "Invalid email address",
            MISSING_DOCUMENT => "Missing supporting document",
            LOCAL_ADDRESS_REQUIRED => "Phone Number Requires a Local Address",
            ADDRESS_LOCKED => "Cannot mutate Address that is linked to a verified Document",
            ADDRESS_REQUIRED => "Phone Number Requires an Address",
            IDENTITY_REQUIRED => "Phone Number Requires a Verified Identity Document",
            DOCUMENT_UNSUITABLE => "Document does not satisfy regulatory requirement",
            NOT_OFFERED => "Not offered",
            NOT_ALLOWED => "Not allowed in this state",
            IN_USE => "In use by phone numbers",
            INVALID_VALUE => "Invalid value",
            _ => "Problem",
        }
    }
}

/// One unmet requirement or refused action.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// The Twilio-style code ([`codes`]).
    pub code: u32,
    /// The field or part of the record it concerns (`first_name`, `address`, `file:0`), if any.
    pub field: Option<String>,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
}

impl Problem {
    /// A problem about one field.
    pub fn at(code: u32, field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A problem about the record as a whole.
    pub fn general(code: u32, message: impl Into<String>) -> Problem {
        Problem {
            code,
            field: None,
            message: message.into(),
        }
    }

    /// The code's title.
    pub fn title(&self) -> &'static str {
        codes::title(self.code)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.title(), self.code, self.message)
    }
}
