//! The identity documents list.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::clock::PROMISED_HOURS;
use crate::domain::ordering::sort_by;
use crate::domain::regulation::Catalog;
use crate::ui::components::badges::StatusBadge;
use crate::ui::data::use_snapshot;
use crate::ui::state::when;

/// Every identity document with its status, regulation, times and the numbers using it.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    let data = use_snapshot();
    view! {
        <div class="page-head">
            <h1>"Identity documents"</h1>
            <A href="/documents/new" attr:class="button">"Add new identity document"</A>
        </div>
        <p class="lede">{format!("The individuals and businesses behind your numbers, with the documents that prove it. Reviews usually finish within {PROMISED_HOURS} business hours.")}</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(s) if s.documents.is_empty() => view! {
                    <p class="empty">"No identity documents yet. Add one before buying a regulated number."</p>
                }.into_any(),
                Ok(s) => {
                    let mut docs = s.documents.clone();
                    // Newest first.
                    sort_by(&mut docs, |d| -d.created.0);
                    view! {
                        <div class="table-wrap">
                        <table class="stack">
                            <caption class="visually-hidden">"Identity documents"</caption>
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Regulation"</th>
                                <th scope="col">"Status"</th><th scope="col">"Submitted"</th><th scope="col">"Decided"</th>
                                <th scope="col">"Numbers"</th>
                            </tr></thead>
                            <tbody>
                                {docs.into_iter().map(|d| {
                                    let regulation = Catalog::shared().get(&d.regulation).map(|r| r.friendly_name()).unwrap_or_else(|| d.regulation.stable_name());
                                    let used = s.numbers_of_document(d.sid).len();
                                    view! {
                                        <tr>
                                            <td data-label="Name"><a href=format!("/documents/{}", d.sid)>{d.display_name()}</a></td>
                                            <td data-label="Type">{d.end_user_type.label()}</td>
                                            <td data-label="Regulation">{regulation}</td>
                                            <td data-label="Status"><StatusBadge status=d.status/></td>
                                            <td data-label="Submitted">{d.submitted_at().map(when).unwrap_or_else(|| "—".into())}</td>
                                            <td data-label="Decided">{d.decided_at().map(when).unwrap_or_else(|| "—".into())}</td>
                                            <td data-label="Numbers">{used}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
