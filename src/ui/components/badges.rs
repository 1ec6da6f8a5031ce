//! Status and compliance badges: a word and a colour, never colour alone.

use leptos::prelude::*;

use crate::domain::records::document::Standing;
use crate::domain::rules::compliance::Compliance;

/// Where a document stands: its verification status, or *Expired* once a Passed document's last
/// day is behind it.
#[component]
pub fn StandingBadge(standing: Standing) -> impl IntoView {
    view! { <span class=format!("badge {}", standing.slug())>{standing.label()}</span> }
}

/// A number's compliance.
#[component]
pub fn ComplianceBadge(compliance: Compliance) -> impl IntoView {
    let class = match compliance {
        Compliance::NotRegulated => "badge",
        Compliance::NotInCatalog | Compliance::UnknownType => "badge unplaced",
        Compliance::Compliant => "badge compliant",
        Compliance::NonCompliant(_) => "badge noncompliant",
    };
    view! { <span class=class>{compliance.label()}</span> }
}
