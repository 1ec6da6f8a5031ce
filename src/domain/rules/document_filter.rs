//! Which identity documents a list shows: by where they stand (expiring and expired included),
//! by entity, by regulation and by local area. The documents list, its links from the overview and its
//! tests share this one reading of the filter.

use crate::domain::records::document::{ANNOUNCED_DAYS, IdentityDocument, Standing, Status};
use crate::domain::records::sid::EntitySid;
use crate::domain::rules::regulation::RegulationKey;
use crate::domain::time::calendar::Date;

/// What the status filter asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StandingFilter {
    /// Every document.
    #[default]
    Any,
    /// Documents with this stored status; Passed means still counting.
    Status(Status),
    /// Passed documents whose end is announced ([`ANNOUNCED_DAYS`]).
    Expiring,
    /// Passed documents whose last day is behind them.
    Expired,
}

impl StandingFilter {
    /// Every choice, in the order the filter lists them.
    pub const ALL: [StandingFilter; 8] = [
        StandingFilter::Any,
        StandingFilter::Status(Status::Draft),
        StandingFilter::Status(Status::Pending),
        StandingFilter::Status(Status::Passed),
        StandingFilter::Expiring,
        StandingFilter::Expired,
        StandingFilter::Status(Status::Failed),
        StandingFilter::Status(Status::Replaced),
    ];

    /// The value in the URL (`?status=expiring`); empty for every document.
    pub fn slug(&self) -> &'static str {
        match self {
            StandingFilter::Any => "",
            StandingFilter::Status(s) => s.slug(),
            StandingFilter::Expiring => "expiring",
            StandingFilter::Expired => "expired",
        }
    }

    /// What the filter's option says.
    pub fn label(&self) -> String {
        match self {
            StandingFilter::Any => "Any status".into(),
            StandingFilter::Status(Status::Passed) => "Passed (counting)".into(),
            StandingFilter::Status(s) => s.label().into(),
            StandingFilter::Expiring => {
                format!("Expiring within {ANNOUNCED_DAYS} days")
            }
            StandingFilter::Expired => "Expired".into(),
        }
    }

    /// The choice a URL value names; an unknown one means every document.
    pub fn from_slug(slug: &str) -> StandingFilter {
        StandingFilter::ALL
            .into_iter()
            .find(|f| f.slug() == slug)
            .unwrap_or_default()
    }

    fn matches(&self, document: &IdentityDocument, today: Date) -> bool {
        let standing = document.standing(today);
        match self {
            StandingFilter::Any => true,
            StandingFilter::Status(s) => standing == Standing::Status(*s),
            StandingFilter::Expired => matches!(standing, Standing::Expired(_)),
            StandingFilter::Expiring => {
                standing == Standing::Status(Status::Passed)
                    && document.expiry().is_some_and(|e| e.announced(today))
            }
        }
    }
}

/// A documents list's filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentFilter {
    /// By where they stand.
    pub standing: StandingFilter,
    /// By the entity they are for.
    pub entity: Option<EntitySid>,
    /// By regulation.
    pub regulation: Option<RegulationKey>,
    /// By intended local area (E.164 prefix digits).
    pub area: Option<String>,
}

impl DocumentFilter {
    /// Whether `document` is shown on `today`.
    pub fn matches(&self, document: &IdentityDocument, today: Date) -> bool {
        self.standing.matches(document, today)
            && self.entity.is_none_or(|e| document.entity_sid == Some(e))
            && self.regulation.is_none_or(|r| r == document.regulation)
            && self
                .area
                .as_ref()
                .is_none_or(|a| document.intended_area.as_ref() == Some(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::document::tests::sample;
    use crate::domain::time::Timestamp;

    #[test]
    fn expiring_and_expired_follow_the_calendar() {
        let today: Date = "2027-01-10".parse().unwrap();
        let mut doc = sample();
        doc.files = vec![crate::domain::records::document::tests::passport_expiring(
            "2027-03-01",
        )];
        doc.submit(Timestamp(1)).unwrap();
        let pending = doc.clone();
        doc.decide(Timestamp(2), vec![], "reviewed").unwrap();
        let only = |f: StandingFilter| DocumentFilter {
            standing: f,
            ..DocumentFilter::default()
        };
        let shown = |f: StandingFilter, day: &str| only(f).matches(&doc, day.parse().unwrap());
        // 50 days before its last day: passed and expiring within 90 days.
        assert!(shown(StandingFilter::Status(Status::Passed), "2027-01-10"));
        assert!(shown(StandingFilter::Expiring, "2027-01-10"));
        assert!(
            !shown(StandingFilter::Expiring, "2026-11-30"),
            "92 days ahead"
        );
        assert!(
            shown(StandingFilter::Expiring, "2027-03-01"),
            "its last day"
        );
        assert!(!shown(StandingFilter::Expired, "2027-03-01"));
        assert!(shown(StandingFilter::Expired, "2027-03-02"));
        assert!(!shown(StandingFilter::Status(Status::Passed), "2027-03-02"));
        assert!(!only(StandingFilter::Expiring).matches(&pending, today));
        assert!(only(StandingFilter::Status(Status::Pending)).matches(&pending, today));
        let mut by_area = DocumentFilter {
            area: Some("4930".into()),
            ..DocumentFilter::default()
        };
        assert!(by_area.matches(&doc, today));
        by_area.area = Some("49221".into());
        assert!(!by_area.matches(&doc, today));
        let other = DocumentFilter {
            regulation: Some(RegulationKey {
                number_type: crate::domain::records::kinds::NumberType::Mobile,
                ..doc.regulation
            }),
            ..DocumentFilter::default()
        };
        assert!(!other.matches(&doc, today));
        let acme = EntitySid::from_bytes([9; 16]);
        let mut by_entity = DocumentFilter {
            entity: Some(acme),
            ..DocumentFilter::default()
        };
        assert!(!by_entity.matches(&doc, today), "no entity yet");
        let mut linked = doc.clone();
        linked.entity_sid = Some(acme);
        assert!(by_entity.matches(&linked, today));
        by_entity.entity = Some(EntitySid::from_bytes([10; 16]));
        assert!(!by_entity.matches(&linked, today));
        for f in StandingFilter::ALL {
            assert_eq!(StandingFilter::from_slug(f.slug()), f);
        }
        assert_eq!(StandingFilter::from_slug("nonsense"), StandingFilter::Any);
    }
}
