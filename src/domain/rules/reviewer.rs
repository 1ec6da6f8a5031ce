//! The simulated reviewer's decision: deterministic, from what was submitted.
//!
//! The reviewer applies exactly the requirement checks of [`evaluation`](crate::domain::rules::evaluation) (the
//! same ones the form's pre-check shows), plus what only the stored file's bytes can tell. The
//! reasons it can give: missing mandatory detail (18005), name on the scan differs (18008),
//! registration number differs (18010), no address shown (18017) or another one (18016), expired
//! document (18003), proof of address too old (18022), address outside the number's area (18039),
//! unprocessable file (18024), image too small to read (18002). No reasons means Passed.

use crate::domain::time::calendar::Date;

use crate::domain::phone::numbering::NumberingPlan;
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::files::FileFacts;
use crate::domain::rules::evaluation::{Target, document_problems};
use crate::domain::rules::problem::{Problem, codes};
use crate::domain::rules::regulation::Catalog;

/// Where the document's intended number is: its regulation's country, and the local area the
/// customer chose for a local number.
pub fn intended_target<'p>(plan: &'p NumberingPlan, document: &IdentityDocument) -> Target<'p> {
    Target {
        country: document.regulation.country,
        area: document
            .intended_area
            .as_deref()
            .and_then(|prefix| plan.area(prefix)),
    }
}

/// Every reason the document fails review; empty means it passes. `facts` holds what the browser
/// measured of each stored file, in the order of `document.files`; `None` for the form's
/// pre-check before the bytes are measured.
pub fn reasons(
    catalog: &Catalog,
    plan: &NumberingPlan,
    document: &IdentityDocument,
    address: Option<&Address>,
    facts: Option<&[FileFacts]>,
    today: Date,
) -> Vec<Problem> {
    let Some(regulation) = catalog.get(&document.regulation) else {
        return vec![Problem::general(
            codes::NOT_OFFERED,
            format!(
                "There is no regulation for {}.",
                document.regulation.stable_name()
            ),
        )];
    };
    // Judged by the rules in force on the day of review.
    let regulation = regulation.as_of(today);
    let mut out = document_problems(
        &regulation,
        document,
        address,
        intended_target(plan, document),
        facts,
        today,
    );
    if let Some(facts) = facts
        && facts.len() != document.files.len()
    {
        out.push(Problem::general(
            codes::UNPROCESSABLE_FILE,
            "A supporting file is missing from storage.",
        ));
    }
    out
}
