//! Search results: numbers, identity documents, individuals and businesses, and addresses that
//! match what was typed in the header, grouped by kind. `?open=first` (Enter in the field)
//! opens the first result instead.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::domain::rules::search::{Found, Query, SearchIndex};
use crate::domain::wording::{grouped, plural};
use crate::ui::data::{Snapshot, use_snapshot};

/// Results shown per kind.
const SHOWN: usize = 20;

/// A result as a link: where it goes, what it says, and a detail.
type Link = (String, String, String);

/// The results, by kind, as links.
fn links(s: &Snapshot, found: &Found) -> [(&'static str, Vec<Link>, usize); 4] {
    let numbers = found
        .numbers
        .iter()
        .filter_map(|sid| s.numbers.iter().find(|n| n.sid == *sid))
        .map(|n| {
            let detail = [n.friendly_name.as_str(), n.locality().unwrap_or_default()]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            (
                format!("/numbers/{}", n.sid),
                n.e164.format_grouped(),
                detail,
            )
        })
        .collect();
    let documents = found
        .documents
        .iter()
        .filter_map(|sid| s.document(Some(*sid)))
        .map(|d| {
            (
                format!("/documents/{}", d.sid),
                d.display_name(),
                format!("{} · {}", d.status.label(), d.sid),
            )
        })
        .collect();
    let entities = found
        .entities
        .iter()
        .filter_map(|sid| s.entity(Some(*sid)))
        .map(|e| {
            (
                format!("/documents?entity={}", e.sid),
                e.name(),
                "their documents".to_string(),
            )
        })
        .collect();
    let addresses = found
        .addresses
        .iter()
        .filter_map(|sid| s.address(Some(*sid)))
        .map(|a| ("/addresses".to_string(), a.label(), a.one_line()))
        .collect();
    [
        ("Numbers", numbers, found.totals[0]),
        ("Identity documents", documents, found.totals[1]),
        ("Individuals and businesses", entities, found.totals[2]),
        ("Addresses", addresses, found.totals[3]),
    ]
}

/// The results page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let data = use_snapshot();
    let snapshot = Memo::new(move |_| data.get().and_then(|r| r.ok()));
    // Indexed once per workspace snapshot, not per keystroke.
    let index: RwSignal<Option<std::sync::Arc<SearchIndex>>> = RwSignal::new(None);
    Effect::new(move |_| {
        let built = snapshot.with(|s| {
            s.as_ref().map(|s| {
                std::sync::Arc::new(SearchIndex::new(
                    &s.numbers,
                    &s.documents,
                    &s.entities,
                    &s.addresses,
                ))
            })
        });
        index.set(built);
    });
    let typed = Memo::new(move |_| query.with(|q| q.get("q")).unwrap_or_default());
    let found = Memo::new(move |_| {
        let q = Query::new(&typed.get())?;
        index.with(|i| i.as_ref().map(|i| i.find(&q, SHOWN)))
    });
    let results = Memo::new(move |_| {
        found.with(|f| {
            snapshot.with(|s| match (f, s) {
                (Some(f), Some(s)) => Some(links(s, f)),
                _ => None,
            })
        })
    });
    // Enter in the header: the first result, in place of the results page.
    Effect::new(move |_| {
        let open = query.with(|q| q.get("open")).is_some();
        if !open {
            return;
        }
        let first = results.with(|r| {
            r.as_ref().and_then(|kinds| {
                kinds
                    .iter()
                    .find_map(|(_, links, _)| links.first().map(|l| l.0.clone()))
            })
        });
        if let Some(href) = first {
            navigate(
                &href,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! {
        <h1>"Search"</h1>
        {move || {
            let text = typed.get();
            if Query::new(&text).is_none() {
                return view! { <p class="empty">"Type a number, a label, a name, a SID or a city in the search field above (shortcut: /)."</p> }.into_any();
            }
            match results.get() {
                None => view! { <p>"Reading the workspace…"</p> }.into_any(),
                Some(kinds) if kinds.iter().all(|(_, _, total)| *total == 0) => {
                    view! { <p class="empty" role="status">{format!("Nothing matches \u{201c}{text}\u{201d}.")}</p> }.into_any()
                }
                Some(kinds) => {
                    let total: usize = kinds.iter().map(|(_, _, t)| t).sum();
                    view! {
                        <p class="hint" role="status">{format!("{} for \u{201c}{text}\u{201d}.", plural(total, "result", "results"))}</p>
                        {kinds.into_iter().filter(|(_, _, t)| *t > 0).map(|(kind, links, t)| view! {
                            <section class="card search-kind" aria-label=kind>
                                <h2>{format!("{kind} ({})", grouped(t))}</h2>
                                <ul class="search-results">
                                    {links.into_iter().map(|(href, label, detail)| view! {
                                        <li><a href=href>{label}</a>" "<span class="hint">{detail}</span></li>
                                    }).collect_view()}
                                </ul>
                                {(t > SHOWN).then(|| view! { <p class="hint">{format!("and {} more", grouped(t - SHOWN))}</p> })}
                            </section>
                        }).collect_view()}
                    }.into_any()
                }
            }
        }}
    }
}
