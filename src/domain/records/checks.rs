//! What a record that comes from outside must satisfy beyond decoding: the same rules for a
//! record in an imported workspace file and a document replicated from a team's server. Each
//! check gives the field that is wrong and why.

use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::address::{Address, AddressDraft};
use crate::domain::records::document::{IdentityDocument, checked_name};
use crate::domain::records::number::PhoneNumber;

/// A check's verdict: `Err((field, message))`, the field as a path (`files[0].sha256`).
pub type Checked = Result<(), (String, String)>;

/// Whether `s` is a SHA-256 as regdesk writes it: 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// An address: every rule its form applies.
pub fn address(a: &Address) -> Checked {
    match AddressDraft::of(a).problems().into_iter().next() {
        Some(p) => Err((p.field.unwrap_or_else(|| ".".into()), p.message)),
        None => Ok(()),
    }
}

/// An identity document: a name as the form allows it (or none), scans named by their SHA-256.
pub fn document(d: &IdentityDocument) -> Checked {
    if !d.name.trim().is_empty()
        && let Err(p) = checked_name(&d.name)
    {
        return Err(("name".into(), p.message));
    }
    for (j, file) in d.files.iter().enumerate() {
        if !is_sha256_hex(&file.sha256) {
            return Err((
                format!("files[{j}].sha256"),
                "a SHA-256 is 64 lowercase hex digits".into(),
            ));
        }
    }
    Ok(())
}

/// A number: one the numbering plan places, in the country and of the type it says.
pub fn number(n: &PhoneNumber) -> Checked {
    let class = NumberingPlan::builtin()
        .classify(&n.e164)
        .map_err(|e| ("e164".to_string(), e.to_string()))?;
    if class.country != n.country {
        return Err((
            "country".into(),
            format!(
                "{} is a number of {}, not {}",
                n.e164, class.country, n.country
            ),
        ));
    }
    if class.number_type != n.number_type {
        return Err((
            "number_type".into(),
            format!(
                "{} is a {} number, not {}",
                n.e164,
                class.number_type.slug(),
                n.number_type.slug()
            ),
        ));
    }
    Ok(())
}
