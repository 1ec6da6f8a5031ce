//! Bulk mapping and its undo: which selected numbers a mapping (or an unmapping) fits, the log
//! entry that records every number's mapping before and after, and the undo that restores those
//! mappings exactly, or refuses, naming the numbers, when a later change touched them.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::domain::ordering::sort_by;
use crate::domain::phone::e164::E164;
use crate::domain::records::activity::{BulkChanges, Event, EventKind, MappingChange, MappingPair};
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid};
use crate::domain::rules::compliance::{
    Compliance, Lookup, MappingChoice, NumberRef, mapping_options,
};
use crate::domain::rules::problem::{Problem, codes};
use crate::domain::rules::regulation::Catalog;
use crate::domain::time::Timestamp;
use crate::domain::time::calendar::Date;
use crate::domain::wording::plural;

/// What a bulk action does to one side of the numbers' mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side<S> {
    /// Leave it as it is.
    #[default]
    Keep,
    /// Map this record.
    Set(S),
    /// Map nothing (Twilio's "None").
    Clear,
}

impl<S: Copy> Side<S> {
    /// Sets `value` when there is one, else keeps the side (a plan's "Map all" maps only what
    /// is missing).
    pub fn set_or_keep(value: Option<S>) -> Side<S> {
        value.map_or(Side::Keep, Side::Set)
    }

    /// The side's value after the action, given what it was.
    pub fn apply(self, current: Option<S>) -> Option<S> {
        match self {
            Side::Keep => current,
            Side::Set(s) => Some(s),
            Side::Clear => None,
        }
    }

    /// The side with the record it sets looked up by `find` (keep and clear stay as they are).
    pub fn try_map<T, E>(self, find: impl FnOnce(S) -> Result<T, E>) -> Result<Side<T>, E> {
        Ok(match self {
            Side::Keep => Side::Keep,
            Side::Set(s) => Side::Set(find(s)?),
            Side::Clear => Side::Clear,
        })
    }

    /// The record it sets, if it sets one.
    pub fn set(self) -> Option<S> {
        match self {
            Side::Set(s) => Some(s),
            _ => None,
        }
    }
}

/// A selected number left untouched by a bulk action, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The number's SID.
    pub sid: NumberSid,
    /// The number, when it is in the workspace.
    pub e164: Option<E164>,
    /// Why the mapping does not fit it.
    pub reasons: Vec<Problem>,
}

/// What a bulk action would do: the numbers it changes, with their new compliance, and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkPlan {
    /// The numbers with their new mapping and compliance.
    pub mapped: Vec<(PhoneNumber, Compliance)>,
    /// Each changed number's mapping before and after, for the log entry and its undo.
    pub changes: Vec<MappingChange>,
    /// The numbers it leaves as they are.
    pub refused: Vec<Refusal>,
}

/// Maps (or unmaps) each selected number where the mapping drop-downs would offer the chosen
/// records for it ([`mapping_options`]: the same document and address fit), and lists the others
/// with the reasons the drop-downs give. A kept side stays as it is, which the address check
/// takes into account; a cleared side is always allowed, as "None" is in the drop-down. A number
/// the action would not change is left out of the changes.
#[allow(clippy::too_many_arguments)]
pub fn plan_bulk_map(
    catalog: &Catalog,
    selected: &[NumberSid],
    numbers: &[PhoneNumber],
    documents: &[IdentityDocument],
    addresses: &[Address],
    identity: Side<IdentitySid>,
    address: Side<AddressSid>,
    today: Date,
) -> BulkPlan {
    let lookup = Lookup::new(documents, addresses);
    let by_sid: HashMap<NumberSid, &PhoneNumber> = numbers.iter().map(|n| (n.sid, n)).collect();
    let mut plan = BulkPlan {
        mapped: Vec::new(),
        changes: Vec::new(),
        refused: Vec::new(),
    };
    let mut seen = HashSet::new();
    for &sid in selected.iter().filter(|s| seen.insert(**s)) {
        let Some(number) = by_sid.get(&sid).copied() else {
            plan.refused.push(Refusal {
                sid,
                e164: None,
                reasons: vec![Problem::general(
                    codes::INVALID_VALUE,
                    format!("Number {sid} is not in the workspace."),
                )],
            });
            continue;
        };
        let reasons = bulk_reasons(
            catalog, number, documents, addresses, identity, address, today,
        );
        if !reasons.is_empty() {
            plan.refused.push(Refusal {
                sid,
                e164: Some(number.e164.clone()),
                reasons,
            });
            continue;
        }
        let before = MappingPair::of(number);
        let after = MappingPair {
            identity: identity.apply(number.identity_sid),
            address: address.apply(number.address_sid),
        };
        if after == before {
            continue;
        }
        let mut next = number.clone();
        next.identity_sid = after.identity;
        next.address_sid = after.address;
        let state = lookup.compliance(&next, today);
        plan.changes.push(MappingChange {
            number: sid,
            e164: number.e164.clone(),
            before,
            after,
        });
        plan.mapped.push((next, state));
    }
    plan
}

fn bulk_reasons(
    catalog: &Catalog,
    number: &PhoneNumber,
    documents: &[IdentityDocument],
    addresses: &[Address],
    identity: Side<IdentitySid>,
    address: Side<AddressSid>,
    today: Date,
) -> Vec<Problem> {
    if identity == Side::Keep && address == Side::Keep {
        return vec![Problem::general(
            codes::INVALID_VALUE,
            "Choose an identity document or an address to map, or None to unmap.",
        )];
    }
    if identity.set().is_none() && address.set().is_none() {
        return Vec::new();
    }
    let options = mapping_options(
        catalog,
        NumberRef::of(number),
        documents,
        addresses,
        identity.apply(number.identity_sid),
        today,
    );
    options.refusals(
        MappingChoice::default(),
        MappingChoice {
            document: identity.set(),
            address: address.set(),
        },
    )
}

/// The entry a bulk action leaves: what the numbers were mapped to, by name (the SIDs stay in
/// the changes), how many were left as they were, and every number's mapping before and after.
pub fn bulk_event(
    sid: EventSid,
    at: Timestamp,
    identity: Side<&IdentityDocument>,
    address: Side<&Address>,
    plan: &BulkPlan,
) -> Event {
    let set: Vec<String> = [
        identity
            .set()
            .map(|d| format!("\u{201c}{}\u{201d}", d.display_name())),
        address.set().map(Address::label),
    ]
    .into_iter()
    .flatten()
    .collect();
    let cleared: Vec<&str> = [
        (identity == Side::Clear).then_some("identity document"),
        (address == Side::Clear).then_some("address"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let numbers = plural(plan.changes.len(), "number", "numbers");
    let what = match (set.is_empty(), cleared.is_empty()) {
        (false, true) => format!("Mapped {numbers} to {}", set.join(" and ")),
        (true, false) => format!("Unmapped the {} of {numbers}", cleared.join(" and ")),
        _ => format!(
            "Mapped {numbers} to {} with no {}",
            set.join(" and "),
            cleared.join(" and ")
        ),
    };
    let subject = identity
        .set()
        .map(|d| d.sid.to_string())
        .or_else(|| address.set().map(|a| a.sid.to_string()))
        .unwrap_or_default();
    let left = match plan.refused.len() {
        0 => String::new(),
        n => format!("; {} left unchanged", plural(n, "number", "numbers")),
    };
    Event {
        sid,
        at,
        kind: EventKind::NumberMapped,
        subject,
        summary: format!("{what}{left}"),
        callback: None,
        bulk: Some(BulkChanges {
            changes: {
                // In the order the numbers are listed, for the log's expansion.
                let mut changes = plan.changes.clone();
                sort_by(&mut changes, |c| c.e164.clone());
                changes
            },
            undoes: None,
            undone_by: None,
        }),
    }
}

/// Why an entry cannot be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoRefusal {
    /// It records no bulk change (or is itself an undo).
    NotUndoable,
    /// It was undone already, by this entry.
    AlreadyUndone(EventSid),
    /// These numbers changed (or were released) after it: undoing would overwrite that.
    Touched(Vec<E164>),
}

impl std::fmt::Display for UndoRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UndoRefusal::NotUndoable => f.write_str("This entry has nothing to undo."),
            UndoRefusal::AlreadyUndone(_) => f.write_str("This change was undone already."),
            UndoRefusal::Touched(numbers) => {
                let shown: Vec<String> = numbers.iter().map(E164::format_grouped).collect();
                write!(
                    f,
                    "Nothing was undone: {} changed after this mapping ({}). Undoing it would \
                     overwrite that; change {} on {} own page instead.",
                    plural(numbers.len(), "number", "numbers"),
                    shown.join(", "),
                    if numbers.len() == 1 { "it" } else { "them" },
                    if numbers.len() == 1 { "its" } else { "their" },
                )
            }
        }
    }
}

/// Whether the log offers to undo `entry`: a bulk change, not an undo itself, not undone yet.
/// (Whether a later change touched its numbers is known only when [`plan_undo`] reads them.)
pub fn undoable(entry: &Event) -> bool {
    entry
        .bulk
        .as_ref()
        .is_some_and(|b| b.undoes.is_none() && b.undone_by.is_none() && !b.changes.is_empty())
}

/// The numbers an undo of `entry` writes back, each with its mapping before the entry; refused
/// whole when any of them is no longer mapped as the entry left it.
pub fn plan_undo(entry: &Event, numbers: &[PhoneNumber]) -> Result<Vec<PhoneNumber>, UndoRefusal> {
    let bulk = entry
        .bulk
        .as_ref()
        .filter(|b| b.undoes.is_none() && !b.changes.is_empty())
        .ok_or(UndoRefusal::NotUndoable)?;
    if let Some(by) = bulk.undone_by {
        return Err(UndoRefusal::AlreadyUndone(by));
    }
    let by_sid: HashMap<NumberSid, &PhoneNumber> = numbers.iter().map(|n| (n.sid, n)).collect();
    let mut touched = Vec::new();
    let mut restored = Vec::new();
    for change in &bulk.changes {
        match by_sid.get(&change.number) {
            Some(n) if MappingPair::of(n) == change.after => {
                let mut back = (*n).clone();
                back.identity_sid = change.before.identity;
                back.address_sid = change.before.address;
                restored.push(back);
            }
            _ => touched.push(change.e164.clone()),
        }
    }
    if touched.is_empty() {
        Ok(restored)
    } else {
        Err(UndoRefusal::Touched(touched))
    }
}

/// The entry an undo leaves: which entry it undid, with every number's mapping swapped back.
pub fn undo_event(sid: EventSid, at: Timestamp, undone: &Event) -> Event {
    let changes: Vec<MappingChange> = undone
        .bulk
        .iter()
        .flat_map(|b| &b.changes)
        .map(|c| MappingChange {
            number: c.number,
            e164: c.e164.clone(),
            before: c.after,
            after: c.before,
        })
        .collect();
    Event {
        sid,
        at,
        kind: EventKind::NumberMapped,
        subject: undone.sid.to_string(),
        summary: format!(
            "Undid \u{201c}{}\u{201d}: {} mapped as before",
            undone.summary,
            plural(changes.len(), "number", "numbers")
        ),
        callback: None,
        bulk: Some(BulkChanges {
            changes,
            undoes: Some(undone.sid),
            undone_by: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo;
    use crate::domain::phone::numbering::NumberingPlan;
    use crate::domain::records::document::Status;
    use crate::domain::records::kinds::NumberType;
    use crate::domain::records::sid::SeededRandom;
    use crate::domain::time::calendar::parse_instant;

    fn demo_workspace() -> (crate::domain::exchange::portable::Workspace, Timestamp) {
        let now = Timestamp(parse_instant("2026-12-01T12:00:00Z").unwrap());
        (demo::build(now, &mut SeededRandom::new(3)).workspace, now)
    }

    /// Regression: bulk-mapping a local document and a Berlin address onto a mobile number gave,
    /// besides the document's reason, a 21615 "the number's local area is unknown" for the
    /// address, judged by the rules of a document that does not apply to mobiles.
    #[test]
    fn a_bulk_mapping_refused_for_its_document_gives_the_document_reason_alone() {
        let (ws, now) = demo_workspace();
        let local_doc = ws
            .documents
            .iter()
            .find(|d| d.status == Status::Passed && d.regulation.number_type == NumberType::Local)
            .unwrap();
        let berlin = ws.addresses.iter().find(|a| a.city == "Berlin").unwrap();
        let mobile = ws
            .numbers
            .iter()
            .find(|n| n.number_type == NumberType::Mobile)
            .unwrap();
        let plan = plan_bulk_map(
            Catalog::shared(),
            &[mobile.sid],
            &ws.numbers,
            &ws.documents,
            &ws.addresses,
            Side::Set(local_doc.sid),
            Side::Set(berlin.sid),
            now.date_utc(),
        );
        assert!(plan.mapped.is_empty());
        let reasons: Vec<u32> = plan.refused[0].reasons.iter().map(|p| p.code).collect();
        assert!(!reasons.is_empty());
        assert!(
            !reasons.contains(&codes::LOCAL_ADDRESS_REQUIRED),
            "{:?}",
            plan.refused[0].reasons
        );
    }

    /// An unmapping changes every mapped number, records what each had, and an undo gives
    /// exactly that back; a second undo, or one after a later change, is refused and names the
    /// numbers.
    #[test]
    fn unmap_then_undo_restores_exactly_and_refuses_after_a_later_change() {
        let (mut ws, now) = demo_workspace();
        // Two numbers in a Passed local document's area, then every number it fits mapped.
        let doc = ws
            .documents
            .iter()
            .find(|d| d.status == Status::Passed && d.regulation.number_type == NumberType::Local)
            .unwrap()
            .clone();
        let area = doc.intended_area.clone().unwrap();
        for (i, tail) in ["4444441", "4444442"].into_iter().enumerate() {
            let e164 = E164::parse(&format!("+{area}{tail}")).unwrap();
            let class = NumberingPlan::builtin().classify(&e164).unwrap();
            let mut n =
                PhoneNumber::new(NumberSid::from_bytes([i as u8 + 9; 16]), e164, class, now);
            n.address_sid = doc.address_sid;
            ws.numbers.push(n);
        }
        let all: Vec<NumberSid> = ws.numbers.iter().map(|n| n.sid).collect();
        let first = plan_bulk_map(
            Catalog::shared(),
            &all,
            &ws.numbers,
            &ws.documents,
            &ws.addresses,
            Side::Set(doc.sid),
            Side::Keep,
            now.date_utc(),
        );
        for (n, _) in &first.mapped {
            let slot = ws.numbers.iter_mut().find(|m| m.sid == n.sid).unwrap();
            *slot = n.clone();
        }
        let mapped: Vec<NumberSid> = ws
            .numbers
            .iter()
            .filter(|n| n.identity_sid.is_some())
            .map(|n| n.sid)
            .collect();
        assert!(mapped.len() >= 2, "the document fits the new numbers");
        let before = ws.numbers.clone();
        let plan = plan_bulk_map(
            Catalog::shared(),
            &mapped,
            &ws.numbers,
            &ws.documents,
            &ws.addresses,
            Side::Clear,
            Side::Keep,
            now.date_utc(),
        );
        assert!(plan.refused.is_empty());
        assert_eq!(plan.changes.len(), mapped.len());
        let entry = bulk_event(
            EventSid::from_bytes([1; 16]),
            now,
            Side::Clear,
            Side::Keep,
            &plan,
        );
        assert!(
            entry
                .summary
                .starts_with("Unmapped the identity document of"),
            "{}",
            entry.summary
        );
        for (n, _) in &plan.mapped {
            assert!(n.identity_sid.is_none());
            let slot = ws.numbers.iter_mut().find(|m| m.sid == n.sid).unwrap();
            *slot = n.clone();
        }

        let restored = plan_undo(&entry, &ws.numbers).unwrap();
        for n in &restored {
            assert_eq!(Some(n), before.iter().find(|b| b.sid == n.sid));
        }
        let undo = undo_event(EventSid::from_bytes([2; 16]), now, &entry);
        assert_eq!(plan_undo(&undo, &ws.numbers), Err(UndoRefusal::NotUndoable));

        // A later change to one number: the whole undo is refused, and says which.
        let touched = mapped[0];
        let slot = ws.numbers.iter_mut().find(|m| m.sid == touched).unwrap();
        slot.identity_sid = before
            .iter()
            .find(|b| b.sid == touched)
            .unwrap()
            .identity_sid;
        let e164 = slot.e164.clone();
        let refusal = plan_undo(&entry, &ws.numbers).unwrap_err();
        assert_eq!(refusal, UndoRefusal::Touched(vec![e164.clone()]));
        assert!(refusal.to_string().contains(&e164.format_grouped()));

        let mut undone = entry.clone();
        undone.bulk.as_mut().unwrap().undone_by = Some(undo.sid);
        assert_eq!(
            plan_undo(&undone, &ws.numbers),
            Err(UndoRefusal::AlreadyUndone(undo.sid))
        );
    }

    #[test]
    fn nothing_chosen_is_refused_and_an_unchanged_number_is_no_change() {
        let (ws, now) = demo_workspace();
        let sids: Vec<NumberSid> = ws.numbers.iter().map(|n| n.sid).collect();
        let plan = |identity, address| {
            plan_bulk_map(
                Catalog::shared(),
                &sids,
                &ws.numbers,
                &ws.documents,
                &ws.addresses,
                identity,
                address,
                now.date_utc(),
            )
        };
        let none = plan(Side::Keep, Side::Keep);
        assert!(none.changes.is_empty());
        assert_eq!(none.refused.len(), sids.len());
        let unmapped = ws
            .numbers
            .iter()
            .filter(|n| n.address_sid.is_none())
            .count();
        let cleared = plan(Side::Keep, Side::Clear);
        assert_eq!(cleared.changes.len(), sids.len() - unmapped);
    }
}
