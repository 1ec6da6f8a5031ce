//! Status and compliance badges: a word and a colour, never colour alone.

use leptos::prelude::*;

use crate::domain::compliance::Compliance;
use crate::domain::document::Status;

/// A document's verification status.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    view! { <span class=format!("badge {}", status.slug())>{status.label()}</span> }
}

/// A number's compliance.
#[component]
pub fn ComplianceBadge(compliance: Compliance) -> impl IntoView {
    let class = match compliance {
        Compliance::NotRegulated => "badge",
        Compliance::Compliant => "badge compliant",
        Compliance::NonCompliant(_) => "badge noncompliant",
    };
    view! { <span class=class>{compliance.label()}</span> }
}
