//! What may change or be deleted, and when: the rules that keep records other records rely on.
//!
//! The store reads what uses a record (with its indexes: the reverse lookup Twilio lacks) inside
//! the same transaction as the change, then asks these functions, so a rule cannot be bypassed by
//! a stale page.

use crate::domain::records::address::Address;
use crate::domain::records::document::{IdentityDocument, Status};
use crate::domain::records::number::PhoneNumber;
use crate::domain::rules::problem::{Problem, codes};

/// The numbers, as a short list for a message: "+4930…, +4989… and 3 more".
fn list_numbers(numbers: &[PhoneNumber]) -> String {
    let shown: Vec<String> = numbers
        .iter()
        .take(3)
        .map(|n| n.e164.format_grouped())
        .collect();
    match numbers.len() {
        0..=3 => shown.join(", "),
        n => format!("{} and {} more", shown.join(", "), n - 3),
    }
}

/// Whether an address may change: not while a Passed document relies on it (Twilio's 21630).
pub fn may_update_address(
    address: &Address,
    documents_using: &[IdentityDocument],
) -> Result<(), Problem> {
    let locked: Vec<String> = documents_using
        .iter()
        .filter(|d| d.address_sid == Some(address.sid) && d.status == Status::Passed)
        .map(|d| d.display_name())
        .collect();
    if locked.is_empty() {
        Ok(())
    } else {
        Err(Problem::general(
            codes::ADDRESS_LOCKED,
            format!(
                "This address is part of the verified identity document of {}; it cannot change. Create a new address instead.",
                locked.join(", ")
            ),
        ))
    }
}

/// Whether an address may be deleted: not while a number or a document uses it.
pub fn may_delete_address(
    address: &Address,
    numbers_using: &[PhoneNumber],
    documents_using: &[IdentityDocument],
) -> Result<(), Problem> {
    if !numbers_using.is_empty() {
        return Err(Problem::general(
            codes::IN_USE,
            format!(
                "This address is mapped to {}; map those numbers to another address first.",
                list_numbers(numbers_using)
            ),
        ));
    }
    // With the status, two documents of one company (a Failed one and its successor) read apart.
    let docs: Vec<String> = documents_using
        .iter()
        .filter(|d| d.address_sid == Some(address.sid))
        .map(|d| d.name_and_status())
        .collect();
    if !docs.is_empty() {
        // 21648 is about numbers; a document holding the address makes the deletion not allowed.
        return Err(Problem::general(
            codes::NOT_ALLOWED,
            if docs.len() == 1 {
                format!(
                    "This address belongs to the identity document of {}; delete or change that first.",
                    docs[0]
                )
            } else {
                format!(
                    "This address belongs to the identity documents of {}; delete or change those first.",
                    docs.join(", ")
                )
            },
        ));
    }
    Ok(())
}

/// Whether a document may be deleted: not while under review, nor while numbers use it.
pub fn may_delete_document(
    document: &IdentityDocument,
    numbers_using: &[PhoneNumber],
) -> Result<(), Problem> {
    if document.status == Status::Pending {
        return Err(Problem::general(
            codes::NOT_ALLOWED,
            "This document is under review; it can be deleted once it is decided.",
        ));
    }
    if !numbers_using.is_empty() {
        return Err(Problem::general(
            codes::IN_USE,
            format!(
                "This document is mapped to {}; map those numbers to another document first.",
                list_numbers(numbers_using)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::address::tests::draft;
    use crate::domain::records::document::tests::sample;
    use crate::domain::records::sid::{AddressSid, IdentitySid};
    use crate::domain::time::Timestamp;

    /// Regression: an address held by a company's Failed document and its corrected successor
    /// was refused as "In use by phone numbers (21648)", naming "Acme GmbH, Acme GmbH".
    #[test]
    fn an_address_held_by_documents_is_refused_naming_them_apart() {
        let address =
            Address::create(AddressSid::from_bytes([1; 16]), &draft(), Timestamp(0)).unwrap();
        let mut failed = sample();
        failed.address_sid = Some(address.sid);
        failed.status = Status::Failed;
        let mut pending = failed.clone();
        pending.sid = IdentitySid::from_bytes([4; 16]);
        pending.status = Status::Pending;
        let refused = may_delete_address(&address, &[], &[failed.clone(), pending]).unwrap_err();
        assert_eq!(refused.code, codes::NOT_ALLOWED);
        assert!(
            refused
                .message
                .contains("identity documents of Acme GmbH (Failed), Acme GmbH (Pending)"),
            "{}",
            refused.message
        );
        let one = may_delete_address(&address, &[], &[failed]).unwrap_err();
        assert!(
            one.message
                .contains("identity document of Acme GmbH (Failed);")
        );
        assert_eq!(may_delete_address(&address, &[], &[]), Ok(()));
    }
}
