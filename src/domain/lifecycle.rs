//! What may change or be deleted, and when: the rules that keep records other records rely on.
//!
//! The store reads what uses a record (with its indexes: the reverse lookup Twilio lacks) inside
//! the same transaction as the change, then asks these functions, so a rule cannot be bypassed by
//! a stale page.

use super::address::Address;
use super::document::{IdentityDocument, Status};
use super::number::PhoneNumber;
use super::problem::{Problem, codes};

/// The numbers, as a short list for a message: "+4930…, +4989… and 3 more".
fn list_numbers(numbers: &[PhoneNumber]) -> String {
    let shown: Vec<String> = numbers.iter().take(3).map(|n| n.e164.to_string()).collect();
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
    let docs: Vec<String> = documents_using
        .iter()
        .filter(|d| d.address_sid == Some(address.sid))
        .map(|d| d.display_name())
        .collect();
    if !docs.is_empty() {
        return Err(Problem::general(
            codes::IN_USE,
            format!(
                "This address belongs to the identity document of {}; delete or change that first.",
                docs.join(", ")
            ),
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
