//! The compliance plan: every non-compliant number grouped by what would fix it (country, type,
//! local area, what is missing), each group with the one action that fixes it, and the progress
//! of the whole programme towards a deadline. Numbers are judged by [`Lookup::assess`] (the rows'
//! own reasons) and the records offered by [`MappingIndex`] (the drop-downs' own choices), so the
//! plan never proposes what My numbers or a number's page would refuse.

use std::collections::HashMap;

use crate::domain::phone::numbering::LocalArea;
use crate::domain::records::address::Address;
use crate::domain::records::document::{ANNOUNCED_DAYS, IdentityDocument, Status};
use crate::domain::records::kinds::{Country, EndUserType, NumberType};
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, IdentitySid, NumberSid};
use crate::domain::rules::compliance::{Compliance, Lookup, NumberRef};
use crate::domain::rules::gap::{Gap, GapKind, Unfit};
use crate::domain::rules::mapping_index::MappingIndex;
use crate::domain::rules::regulation::Catalog;
use crate::domain::time::calendar::Date;

/// What a group of numbers needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Need {
    /// What a non-compliant number lacks.
    Gap(GapKind),
    /// Compliant now, but its document's last day comes before the deadline (or within the
    /// announced days when no deadline is set).
    Renewal,
}

/// The one action that fixes a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Map every number of the group to these records (each checked again when it is done).
    Map {
        /// The document to map, if the document side is what is missing.
        document: Option<IdentitySid>,
        /// The address to map, if one is needed.
        address: Option<AddressSid>,
    },
    /// Wait for this document's review.
    Wait {
        /// The document.
        document: IdentitySid,
        /// When review usually decides it.
        decided_by: Option<Date>,
    },
    /// Create a document of this kind, for this area.
    Create {
        /// The end-user type, when the catalog offers the number to one type only.
        end_user: Option<EndUserType>,
    },
    /// Renew this document before its last day ends.
    Renew {
        /// The document.
        document: IdentitySid,
        /// Its last day.
        last_day: Date,
    },
    /// Open this document: it failed, was never submitted, or was replaced.
    Open {
        /// The document.
        document: IdentitySid,
        /// What to do there.
        what: Unfit,
    },
    /// Add an address in the number's area (or country).
    AddAddress,
    /// Choose between the versions two machines made apart (the team page).
    Resolve,
}

/// Numbers that one action fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Their country.
    pub country: Country,
    /// Their type.
    pub number_type: NumberType,
    /// Their local area.
    pub area: Option<LocalArea>,
    /// What they need.
    pub need: Need,
    /// The action.
    pub fix: Fix,
    /// The numbers, in E.164 order.
    pub numbers: Vec<NumberSid>,
}

/// Where the programme stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Numbers some regulation covers.
    pub regulated: usize,
    /// Of those, the compliant ones.
    pub compliant: usize,
    /// Documents under review.
    pub pending_reviews: usize,
    /// Passed documents with mapped numbers whose last day comes before the deadline.
    pub expiring: usize,
    /// Days until the deadline (0 on the day itself).
    pub days_left: Option<i64>,
    /// Numbers of a type the catalog has no regulation for: nothing says what they need.
    pub not_in_catalog: usize,
    /// Numbers their country's plan does not know.
    pub unknown_type: usize,
}

impl Progress {
    /// Numbers still to fix.
    pub fn left(&self) -> usize {
        self.regulated - self.compliant
    }

    /// The compliant share in whole percent, rounded down (so 100 % means every one); `None`
    /// when nothing is regulated.
    pub fn percent(&self) -> Option<usize> {
        (self.regulated > 0).then(|| self.compliant * 100 / self.regulated)
    }
}

/// The plan for a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The groups, largest first.
    pub groups: Vec<Group>,
    /// The programme's progress.
    pub progress: Progress,
}

/// Reads a deadline as the date field gives it: a day that exists, today or later.
pub fn read_deadline(text: &str, today: Date) -> Result<Date, String> {
    let day: Date = text
        .trim()
        .parse()
        .map_err(|_| format!("\u{201c}{}\u{201d} is not a date; pick a day.", text.trim()))?;
    if day < today {
        return Err(format!(
            "{day} is in the past; a deadline is today ({today}) or later. The deadline was not changed."
        ));
    }
    Ok(day)
}

/// The grouping key: numbers alike in where they are, what they need and the record involved.
type Key<'n> = (Country, NumberType, &'n str, Need, Option<IdentitySid>);

/// The plan for `numbers` on `today`, towards `deadline`.
pub fn plan(
    catalog: &Catalog,
    numbers: &[PhoneNumber],
    documents: &[IdentityDocument],
    addresses: &[Address],
    today: Date,
    deadline: Option<Date>,
) -> Plan {
    let lookup = Lookup::new(documents, addresses);
    let index = MappingIndex::new(catalog, documents, addresses, today);
    // A document counts as expiring when its last day comes before the deadline, or without one
    // within the days an end is announced.
    let horizon = deadline.unwrap_or(today.add_days(ANNOUNCED_DAYS));
    let mut progress = Progress {
        pending_reviews: documents
            .iter()
            .filter(|d| d.status == Status::Pending)
            .count(),
        days_left: deadline.map(|d| d.unix_days() - today.unix_days()),
        ..Progress::default()
    };
    let mut sorted: Vec<&PhoneNumber> = numbers.iter().collect();
    // Compared in place: a key cloned per number cost more than the sort (figure 8).
    sorted.sort_by(|a, b| a.e164.cmp(&b.e164));
    let mut groups: HashMap<Key, Group> = HashMap::new();
    let mut expiring: Vec<IdentitySid> = Vec::new();
    for number in sorted {
        let (state, gap) = lookup.assess(number, today);
        let (need, record) = match (&state, &gap) {
            (Compliance::NotRegulated, _) => continue,
            // Nothing to fix that the catalog can name; counted so the plan can say so.
            (Compliance::NotInCatalog, _) => {
                progress.not_in_catalog += 1;
                continue;
            }
            (Compliance::UnknownType, _) => {
                progress.unknown_type += 1;
                continue;
            }
            (Compliance::Compliant, _) => {
                progress.regulated += 1;
                progress.compliant += 1;
                match lookup.document(number.identity_sid).and_then(|d| {
                    d.expiry()
                        .filter(|e| e.last_day < horizon)
                        .map(|e| (d.sid, e.last_day))
                }) {
                    Some((sid, _)) => {
                        if !expiring.contains(&sid) {
                            expiring.push(sid);
                        }
                        (Need::Renewal, Some(sid))
                    }
                    None => continue,
                }
            }
            (Compliance::NonCompliant(_), Some(gap)) => {
                progress.regulated += 1;
                let record = match gap.kind() {
                    GapKind::Address | GapKind::AddressUnfit => number.identity_sid,
                    _ => gap.document(),
                };
                (Need::Gap(gap.kind()), record)
            }
            (Compliance::NonCompliant(_), None) => {
                progress.regulated += 1;
                continue;
            }
        };
        let key: Key = (
            number.country,
            number.number_type,
            number.area.as_ref().map_or("", |a| a.prefix.as_str()),
            need,
            record,
        );
        groups
            .entry(key)
            .or_insert_with(|| Group {
                country: number.country,
                number_type: number.number_type,
                area: number.area.clone(),
                need,
                fix: fix_for(catalog, &index, &lookup, number, gap.as_ref()),
                numbers: Vec::new(),
            })
            .numbers
            .push(number.sid);
    }
    progress.expiring = expiring.len();
    let mut groups: Vec<Group> = groups.into_values().collect();
    // Largest first; ties in a stable order (country, type, area, need).
    crate::domain::ordering::sort_by(&mut groups, |g| {
        (
            usize::MAX - g.numbers.len(),
            g.country.code().to_string(),
            g.number_type.slug(),
            g.area.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
            g.need,
        )
    });
    Plan { groups, progress }
}

/// The action for a group, decided on its first number and what it lacks (`None`: a compliant
/// number whose document ends soon). The group's numbers are alike in every way the choice
/// depends on.
fn fix_for(
    catalog: &Catalog,
    index: &MappingIndex<'_>,
    lookup: &Lookup<'_>,
    number: &PhoneNumber,
    gap: Option<&Gap>,
) -> Fix {
    let nref = NumberRef::of(number);
    let Some(gap) = gap else {
        let doc = lookup.document(number.identity_sid);
        return match doc.and_then(|d| d.expiry().map(|e| (d.sid, e.last_day))) {
            Some((document, last_day)) => Fix::Renew { document, last_day },
            None => Fix::AddAddress,
        };
    };
    match *gap {
        Gap::Conflict => Fix::Resolve,
        Gap::Pending {
            document,
            decided_by,
            ..
        } => Fix::Wait {
            document,
            decided_by,
        },
        Gap::Address | Gap::AddressUnfit { .. } => {
            match index.eligible(nref, number.identity_sid).addresses.first() {
                Some(&address) => Fix::Map {
                    document: None,
                    address: Some(address),
                },
                None => Fix::AddAddress,
            }
        }
        Gap::Document { end_user } => {
            map_a_document(catalog, index, lookup, nref).unwrap_or(Fix::Create { end_user })
        }
        Gap::Expired {
            document, last_day, ..
        } => map_a_document(catalog, index, lookup, nref)
            .unwrap_or(Fix::Renew { document, last_day }),
        Gap::Unsuitable { document, why, .. } => map_a_document(catalog, index, lookup, nref)
            .unwrap_or(match why {
                Unfit::Failed | Unfit::Draft | Unfit::Replaced => Fix::Open {
                    document,
                    what: why,
                },
                _ => Fix::Create { end_user: None },
            }),
    }
}

/// A Passed document the number may be mapped to, with the address it then needs: what "Map
/// all" proposes when one exists. Where no address fits with it, an address is what to add first.
fn map_a_document(
    catalog: &Catalog,
    index: &MappingIndex<'_>,
    lookup: &Lookup<'_>,
    nref: NumberRef<'_>,
) -> Option<Fix> {
    let document = *index.eligible(nref, None).documents.first()?;
    let regulation = catalog.get(&lookup.document(Some(document))?.regulation)?;
    if !regulation.address.requires_address() {
        return Some(Fix::Map {
            document: Some(document),
            address: None,
        });
    }
    Some(
        match index.eligible(nref, Some(document)).addresses.first() {
            Some(&address) => Fix::Map {
                document: Some(document),
                address: Some(address),
            },
            None => Fix::AddAddress,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo;
    use crate::domain::exchange::portable::Workspace;
    use crate::domain::phone::e164::E164;
    use crate::domain::phone::numbering::NumberingPlan;
    use crate::domain::records::document::ValidUntil;
    use crate::domain::records::sid::SeededRandom;
    use crate::domain::rules::bulk::{Side, plan_bulk_map};
    use crate::domain::time::Timestamp;
    use crate::domain::time::calendar::parse_instant;

    /// The demo with 30 more Berlin numbers and 5 more in Munich, none mapped.
    fn programme() -> (Workspace, Date) {
        let now = Timestamp(parse_instant("2026-12-01T12:00:00Z").unwrap());
        let mut ws = demo::build(now, &mut SeededRandom::new(3)).workspace;
        let mut random = SeededRandom::new(9);
        for (prefix, count) in [("4930", 30), ("4989", 5)] {
            for i in 0..count {
                let e164 = E164::parse(&format!("+{prefix}{}", 6_000_000 + i)).unwrap();
                let class = NumberingPlan::builtin().classify(&e164).unwrap();
                ws.numbers.push(PhoneNumber::new(
                    NumberSid::generate(&mut random),
                    e164,
                    class,
                    now,
                ));
            }
        }
        (ws, now.date_utc())
    }

    fn of(ws: &Workspace, today: Date, deadline: Option<Date>) -> Plan {
        plan(
            Catalog::shared(),
            &ws.numbers,
            &ws.documents,
            &ws.addresses,
            today,
            deadline,
        )
    }

    #[test]
    fn a_number_in_conflict_counts_for_nothing_until_someone_chooses() {
        let (mut ws, today) = programme();
        // The Berlin group mapped as its fix says: compliant numbers.
        let Fix::Map { document, address } = of(&ws, today, None).groups[0].fix else {
            panic!("the Berlin group is mapped")
        };
        for n in ws
            .numbers
            .iter_mut()
            .filter(|n| n.area.as_ref().is_some_and(|a| a.prefix == "4930"))
        {
            n.identity_sid = document;
            n.address_sid = address;
        }
        let compliant = |ws: &Workspace| of(ws, today, None).progress.compliant;
        let before = compliant(&ws);
        assert!(before > 0);
        let lookup_before = Lookup::new(&ws.documents, &ws.addresses);
        let i = ws
            .numbers
            .iter()
            .position(|n| lookup_before.compliance(n, today) == Compliance::Compliant)
            .expect("a compliant number");
        ws.numbers[i].in_conflict = true;
        let lookup = Lookup::new(&ws.documents, &ws.addresses);
        let (state, gap) = lookup.assess(&ws.numbers[i], today);
        assert!(
            matches!(&state, Compliance::NonCompliant(p) if p[0].code == crate::domain::rules::problem::codes::MAPPING_CONFLICT),
            "{state:?}"
        );
        assert_eq!(gap, Some(Gap::Conflict));
        let after = of(&ws, today, None);
        assert_eq!(after.progress.compliant, before - 1);
        let group = after
            .groups
            .iter()
            .find(|g| g.need == Need::Gap(GapKind::Conflict))
            .expect("a conflict group");
        assert_eq!(group.numbers, vec![ws.numbers[i].sid]);
        assert_eq!(group.fix, Fix::Resolve);
    }

    #[test]
    fn groups_say_what_fixes_them_and_every_map_all_is_accepted_and_fixes() {
        let (mut ws, today) = programme();
        let before = of(&ws, today, None);
        let berlin = before
            .groups
            .iter()
            .find(|g| g.area.as_ref().is_some_and(|a| a.prefix == "4930"))
            .expect("a Berlin group");
        assert_eq!(
            berlin.numbers.len(),
            31,
            "the demo's Berlin number and the 30 new ones"
        );
        assert_eq!(berlin.need, Need::Gap(GapKind::Document));
        assert!(
            matches!(
                berlin.fix,
                Fix::Map {
                    document: Some(_),
                    address: Some(_)
                }
            ),
            "{:?}",
            berlin.fix
        );
        assert_eq!(before.groups[0].numbers.len(), 31, "largest first");
        let munich = before
            .groups
            .iter()
            .find(|g| g.area.as_ref().is_some_and(|a| a.prefix == "4989"))
            .expect("a Munich group");
        assert!(
            matches!(munich.fix, Fix::Create { .. } | Fix::Wait { .. }),
            "{:?}",
            munich.fix
        );
        assert_eq!(
            before.progress.regulated,
            ws.numbers.len(),
            "every demo number is regulated"
        );
        assert_eq!(before.progress.left(), before.progress.regulated);

        // Every "Map all" is exactly what a bulk mapping accepts, and it leaves the group compliant.
        for group in before
            .groups
            .iter()
            .filter(|g| matches!(g.fix, Fix::Map { .. }))
        {
            let Fix::Map { document, address } = group.fix else {
                unreachable!()
            };
            let done = plan_bulk_map(
                Catalog::shared(),
                &group.numbers,
                &ws.numbers,
                &ws.documents,
                &ws.addresses,
                Side::set_or_keep(document),
                Side::set_or_keep(address),
                today,
            );
            assert!(done.refused.is_empty(), "{:?}", done.refused);
            assert!(done.mapped.iter().all(|(_, c)| *c == Compliance::Compliant));
            for (n, _) in done.mapped {
                let sid = n.sid;
                *ws.numbers.iter_mut().find(|m| m.sid == sid).unwrap() = n;
            }
        }
        let after = of(&ws, today, None);
        assert!(
            after
                .groups
                .iter()
                .all(|g| !matches!(g.fix, Fix::Map { .. }))
        );
        assert_eq!(after.progress.compliant, 31);
        assert_eq!(
            after.progress.percent(),
            Some(31 * 100 / after.progress.regulated)
        );
    }

    #[test]
    fn a_document_ending_before_the_deadline_asks_for_its_renewal() {
        let (mut ws, today) = programme();
        let fixes = of(&ws, today, None);
        let berlin = &fixes.groups[0];
        let Fix::Map {
            document: Some(doc),
            address,
        } = berlin.fix
        else {
            panic!()
        };
        for n in ws
            .numbers
            .iter_mut()
            .filter(|n| berlin.numbers.contains(&n.sid))
        {
            n.identity_sid = Some(doc);
            n.address_sid = address;
        }
        let last_day = today.add_days(200);
        ws.documents
            .iter_mut()
            .find(|d| d.sid == doc)
            .unwrap()
            .valid_until = Some(ValidUntil {
            last_day,
            effective: last_day,
        });
        // No deadline: 200 days away is not announced yet.
        let calm = of(&ws, today, None);
        assert!(calm.groups.iter().all(|g| g.need != Need::Renewal));
        assert_eq!(calm.progress.expiring, 0);
        // A deadline after it: renew before that day.
        let deadline = today.add_days(300);
        let due = of(&ws, today, Some(deadline));
        let renew = due
            .groups
            .iter()
            .find(|g| g.need == Need::Renewal)
            .expect("a renewal group");
        assert_eq!(
            renew.fix,
            Fix::Renew {
                document: doc,
                last_day
            }
        );
        assert_eq!(renew.numbers.len(), 31);
        assert_eq!(due.progress.expiring, 1);
        assert_eq!(due.progress.days_left, Some(300));
    }

    #[test]
    fn a_deadline_is_a_real_day_not_in_the_past() {
        let today = Date::new(2026, 12, 5).unwrap();
        assert_eq!(read_deadline(" 2026-12-05 ", today), Ok(today));
        assert!(
            read_deadline("2026-12-04", today)
                .unwrap_err()
                .contains("in the past")
        );
        assert!(
            read_deadline("2026-02-30", today)
                .unwrap_err()
                .contains("not a date")
        );
        assert!(read_deadline("", today).is_err());
    }

    #[test]
    fn an_empty_workspace_has_an_empty_plan() {
        let today = Date::new(2026, 12, 5).unwrap();
        let empty = plan(Catalog::shared(), &[], &[], &[], today, None);
        assert!(empty.groups.is_empty());
        assert_eq!(empty.progress.percent(), None);
    }
}
