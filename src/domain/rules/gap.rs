//! What a non-compliant number lacks, as one fact: the few words on its row ("needs a DE local
//! business document for Köln"), the numbers list's *What is missing* filter and the compliance
//! plan's groups all read a [`Gap`], so the three cannot tell different stories.
//!
//! A gap follows the order in which [`compliance`](super::compliance::compliance) judges a number
//! (the mapped document's kind, its standing, its own address, then the mapped address), and the
//! tests hold it to that function: a number has a gap exactly when it is non-compliant.

use crate::domain::records::address::Address;
use crate::domain::records::document::{IdentityDocument, Standing, Status};
use crate::domain::records::kinds::{Country, EndUserType, NumberType};
use crate::domain::records::sid::{AddressSid, IdentitySid};
use crate::domain::rules::compliance::{Compliance, Mapped, NumberRef, offered};
use crate::domain::rules::evaluation::{AddressMiss, address_miss};
use crate::domain::rules::regulation::{Catalog, RegulationKey};
use crate::domain::time::calendar::Date;
use crate::domain::time::clock::BusinessClock;

/// Why a mapped document does not count for a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfit {
    /// It was prepared for another kind of number.
    OtherKind(Country, NumberType),
    /// It failed review.
    Failed,
    /// It was never submitted.
    Draft,
    /// Its renewal replaced it.
    Replaced,
    /// Its regulation is no longer offered.
    NotOffered,
    /// Its own address does not meet the number's address rule.
    Address(AddressMiss),
}

/// What one non-compliant number lacks, the first thing to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// No document is mapped and none is on its way.
    Document {
        /// The end-user type, when the catalog offers the number to one type only.
        end_user: Option<EndUserType>,
    },
    /// A Pending document would satisfy it: the mapped one, or one to map once it passes.
    Pending {
        /// The document.
        document: IdentitySid,
        /// Its name.
        name: String,
        /// Whether it counts for the number once it passes with no mapping to do: the number is
        /// mapped to it, or to the original it renews.
        mapped: bool,
        /// The day review usually decides it by.
        decided_by: Option<Date>,
    },
    /// The mapped document's last day is behind it.
    Expired {
        /// The document.
        document: IdentitySid,
        /// Its name.
        name: String,
        /// The last day it counted.
        last_day: Date,
    },
    /// The mapped document does not count for this number.
    Unsuitable {
        /// The document.
        document: IdentitySid,
        /// Its name.
        name: String,
        /// Why.
        why: Unfit,
    },
    /// The number needs an address and none is mapped.
    Address,
    /// The mapped address does not meet the rule.
    AddressUnfit {
        /// The address.
        address: AddressSid,
        /// Why; `None` when the document proves a different address.
        miss: Option<AddressMiss>,
    },
    /// Two machines of a team changed the number apart; someone must choose a version first.
    Conflict,
}

/// A gap's kind: what the numbers list filters by and the plan groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapKind {
    /// An identity document is missing.
    Document,
    /// A document is under review.
    Pending,
    /// The document expired.
    Expired,
    /// The mapped document does not count.
    Unsuitable,
    /// An address is missing.
    Address,
    /// The mapped address does not fit.
    AddressUnfit,
    /// Its versions are in conflict.
    Conflict,
}

impl GapKind {
    /// Every kind, in the order the filter lists them.
    pub const ALL: [GapKind; 7] = [
        GapKind::Document,
        GapKind::Pending,
        GapKind::Expired,
        GapKind::Unsuitable,
        GapKind::Address,
        GapKind::AddressUnfit,
        GapKind::Conflict,
    ];

    /// The value in a URL (`?missing=address`).
    pub fn slug(self) -> &'static str {
        match self {
            GapKind::Document => "document",
            GapKind::Pending => "pending",
            GapKind::Expired => "expired",
            GapKind::Unsuitable => "unsuitable",
            GapKind::Address => "address",
            GapKind::AddressUnfit => "address-unfit",
            GapKind::Conflict => "conflict",
        }
    }

    /// The kind a URL value names.
    pub fn from_slug(slug: &str) -> Option<GapKind> {
        GapKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// What the filter's option says.
    pub fn label(self) -> &'static str {
        match self {
            GapKind::Document => "A document",
            GapKind::Pending => "A review to finish",
            GapKind::Expired => "A renewal",
            GapKind::Unsuitable => "A document that counts",
            GapKind::Address => "An address",
            GapKind::AddressUnfit => "An address that fits",
            GapKind::Conflict => "A conflict resolved",
        }
    }
}

impl Gap {
    /// Its kind.
    pub fn kind(&self) -> GapKind {
        match self {
            Gap::Document { .. } => GapKind::Document,
            Gap::Pending { .. } => GapKind::Pending,
            Gap::Expired { .. } => GapKind::Expired,
            Gap::Unsuitable { .. } => GapKind::Unsuitable,
            Gap::Address => GapKind::Address,
            Gap::AddressUnfit { .. } => GapKind::AddressUnfit,
            Gap::Conflict => GapKind::Conflict,
        }
    }

    /// The document the gap is about, if any.
    pub fn document(&self) -> Option<IdentitySid> {
        match self {
            Gap::Pending { document, .. }
            | Gap::Expired { document, .. }
            | Gap::Unsuitable { document, .. } => Some(*document),
            _ => None,
        }
    }

    /// The few words a row shows for `number` ("needs a DE local business document for Köln").
    pub fn why(&self, number: &NumberRef<'_>, today: Date) -> String {
        let area = number.target.area;
        match self {
            Gap::Document { end_user } => format!(
                "needs {}",
                document_wanted(
                    number.target.country,
                    number.number_type,
                    *end_user,
                    area.map(|a| a.name.as_str())
                )
            ),
            Gap::Pending {
                name,
                mapped,
                decided_by,
                ..
            } => {
                let by = decided_by
                    .map(|d| format!(", decided by {}", d.short(today)))
                    .unwrap_or_default();
                if *mapped {
                    format!("document pending{by}")
                } else {
                    format!("\u{201c}{name}\u{201d} pending{by}; map it then")
                }
            }
            Gap::Expired { last_day, .. } => {
                format!("document expired after {}", last_day.short(today))
            }
            Gap::Unsuitable { why, .. } => match why {
                Unfit::OtherKind(country, kind) => format!(
                    "document is for {} {} numbers",
                    country.code(),
                    kind.label().to_lowercase()
                ),
                Unfit::Failed => "document failed review".into(),
                Unfit::Draft => "document not submitted".into(),
                Unfit::Replaced => "document replaced; map its renewal".into(),
                Unfit::NotOffered => "document's regulation no longer offered".into(),
                Unfit::Address(miss) => format!("document's {}", miss_words(*miss, number)),
            },
            Gap::Address => match area {
                Some(a) => format!("needs an address in {}", a.name),
                None => "needs an address".into(),
            },
            Gap::AddressUnfit { miss: None, .. } => "address differs from the document's".into(),
            Gap::AddressUnfit { miss: Some(m), .. } => miss_words(*m, number),
            Gap::Conflict => "two versions of its mapping, changed apart; choose one".into(),
        }
    }
}

/// An address miss in a few words.
fn miss_words(miss: AddressMiss, number: &NumberRef<'_>) -> String {
    match miss {
        AddressMiss::Missing => "address missing".into(),
        AddressMiss::WrongCountry => {
            format!("address not in {}", number.target.country.name())
        }
        AddressMiss::OutsideArea => match number.target.area {
            Some(a) => format!("address outside the {} area", a.name),
            None => "address: the number's area is unknown".into(),
        },
        AddressMiss::NotForeign => {
            format!("address must be outside {}", number.target.country.name())
        }
        AddressMiss::PoBox => "address is a PO box".into(),
    }
}

/// The document a number wants, as the row and the plan say it: "an IT mobile document", "a DE
/// local business document for Köln". The article follows the country code as it is read
/// letter by letter (an A-T, a D-E).
pub fn document_wanted(
    country: Country,
    number_type: NumberType,
    end_user: Option<EndUserType>,
    area: Option<&str>,
) -> String {
    let code = country.code();
    let article = if code.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X'])
    {
        "an"
    } else {
        "a"
    };
    format!(
        "{article} {code} {}{} document{}",
        number_type.label().to_lowercase(),
        end_user
            .map(|e| format!(" {}", e.label().to_lowercase()))
            .unwrap_or_default(),
        area.map(|a| format!(" for {a}")).unwrap_or_default()
    )
}

/// The few words a row says beside a number's badge: what a non-compliant number lacks (its
/// gap), or, for a number no regulation can be found for, where the gap in the knowledge is.
/// "Not regulated" says all there is and gets no words.
pub fn reason(
    state: &Compliance,
    gap: Option<&Gap>,
    number: &NumberRef<'_>,
    today: Date,
) -> Option<String> {
    match state {
        Compliance::NotInCatalog => Some(format!(
            "the catalog has no {} {} regulation",
            number.target.country.code(),
            number.number_type.label().to_lowercase()
        )),
        Compliance::UnknownType => Some(format!(
            "in no range of the {} numbering plan",
            number.target.country.name()
        )),
        _ => gap.map(|g| g.why(number, today)),
    }
}

/// The day review usually decides a Pending document by ([`BusinessClock::usually_decided_by`]).
pub fn decided_by(document: &IdentityDocument) -> Option<Date> {
    let clock = BusinessClock::reviewer();
    document
        .submitted_at()
        .map(|at| clock.usually_decided_by(at).date_utc())
}

/// What a non-compliant `number` lacks, given what it is mapped to and the Pending document on
/// its way to satisfying it ([`on_its_way`](super::compliance::on_its_way)); `decided` is
/// [`decided_by`], or a table of its answers when many numbers are asked. Asked only of a
/// number [`compliance`](super::compliance::compliance) calls non-compliant.
pub fn gap(
    catalog: &Catalog,
    number: NumberRef<'_>,
    mapped: Mapped<'_>,
    waiting: Option<&IdentityDocument>,
    today: Date,
    decided: &dyn Fn(&IdentityDocument) -> Option<Date>,
) -> Gap {
    let Some(doc) = mapped.document else {
        if let Some(d) = waiting {
            return pending(d, false, decided);
        }
        let regulations = offered(catalog, number);
        // Only an address is missing where a regulation needs no document.
        if let Some(r) = regulations.iter().find(|r| !r.identity_required) {
            return address_gap(catalog, r.key, mapped.address, number);
        }
        let mut users = regulations.iter().map(|r| r.key.end_user_type);
        let end_user = match (users.next(), users.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        };
        return Gap::Document { end_user };
    };
    // A renewal under review takes its original's numbers when it passes: that is the news.
    if let Some(renewal) = waiting.filter(|d| d.renews == Some(doc.sid)) {
        return pending(renewal, true, decided);
    }
    let unsuitable = |why| Gap::Unsuitable {
        document: doc.sid,
        name: doc.display_name(),
        why,
    };
    let key = doc.regulation;
    if key.country != number.target.country || key.number_type != number.number_type {
        return unsuitable(Unfit::OtherKind(key.country, key.number_type));
    }
    match doc.standing(today) {
        Standing::Expired(e) => {
            return Gap::Expired {
                document: doc.sid,
                name: doc.display_name(),
                last_day: e.last_day,
            };
        }
        Standing::Status(Status::Pending) => return pending(doc, true, decided),
        Standing::Status(Status::Failed) => return unsuitable(Unfit::Failed),
        Standing::Status(Status::Draft) => return unsuitable(Unfit::Draft),
        Standing::Status(Status::Replaced) => return unsuitable(Unfit::Replaced),
        Standing::Status(Status::Passed) => {}
    }
    let Some(regulation) = catalog.get(&key).filter(|r| r.offered) else {
        return unsuitable(Unfit::NotOffered);
    };
    if let Some(miss) = address_miss(regulation, mapped.document_address, number.target) {
        return unsuitable(Unfit::Address(miss));
    }
    address_gap(catalog, key, mapped.address, number)
}

/// The address side of a gap, under the regulation `key` names. A mapped address that meets
/// the rule and still does not do is not the one the document proves (`miss: None`).
fn address_gap(
    catalog: &Catalog,
    key: RegulationKey,
    address: Option<&Address>,
    number: NumberRef<'_>,
) -> Gap {
    match address {
        None => Gap::Address,
        Some(address) => Gap::AddressUnfit {
            address: address.sid,
            miss: catalog
                .get(&key)
                .and_then(|r| address_miss(r, Some(address), number.target)),
        },
    }
}

/// A Pending document as a gap.
fn pending(
    document: &IdentityDocument,
    mapped: bool,
    decided: &dyn Fn(&IdentityDocument) -> Option<Date>,
) -> Gap {
    Gap::Pending {
        document: document.sid,
        name: document.display_name(),
        mapped,
        decided_by: decided(document),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wanted_document_reads_as_said_aloud() {
        let c = |code: &str| code.parse::<Country>().unwrap();
        assert_eq!(
            document_wanted(c("IT"), NumberType::Mobile, None, None),
            "an IT mobile document"
        );
        assert_eq!(
            document_wanted(
                c("DE"),
                NumberType::Local,
                Some(EndUserType::Business),
                Some("Köln")
            ),
            "a DE local business document for Köln"
        );
        assert_eq!(
            document_wanted(c("AT"), NumberType::Local, None, Some("Wien")),
            "an AT local document for Wien"
        );
        assert_eq!(
            document_wanted(c("GB"), NumberType::Mobile, None, None),
            "a GB mobile document"
        );
    }
}
