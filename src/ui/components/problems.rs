//! Lists of problems: unmet requirements, rejection reasons, refusal details.

use leptos::prelude::*;

use crate::domain::rules::problem::Problem;

/// Problems as a list, each with its code and message. User-entered text inside messages is
/// rendered as text, never as HTML.
#[component]
pub fn ProblemList(problems: Vec<Problem>) -> impl IntoView {
    view! {
        <ul class="problems">
            {problems
                .into_iter()
                .map(|p| view! {
                    <li><span class="code">{p.code}</span>" "{p.message}</li>
                })
                .collect_view()}
        </ul>
    }
}

/// The problems concerning one field, linked to it by `id` for `aria-describedby`.
#[component]
pub fn FieldErrors(id: String, problems: Vec<Problem>) -> impl IntoView {
    view! {
        <div id=id class="field-error" role="status">
            {problems.into_iter().map(|p| view! { <p>{format!("{} ({})", p.message, p.code)}</p> }).collect_view()}
        </div>
    }
}
