//! Acting on many numbers: the bar shown while numbers are selected (map a document and/or an
//! address, or unmap either), and the notice that reports what a bulk action did, with the
//! refused numbers grouped by reason and an *Undo* that restores the previous mappings.

use std::collections::HashSet;

#[cfg(split)]
use leptos::lazy;
use leptos::prelude::*;

use crate::domain::ordering::sort_by;
use crate::domain::records::sid::{AddressSid, EventSid, IdentitySid, NumberSid};
use crate::domain::rules::bulk::{Refusal, Side};
use crate::domain::rules::problem::Problem;
use crate::domain::wording::{grouped, plural};
use crate::store::changes::{self, Change};
use crate::store::platform::BrowserRandom;
use crate::store::workspace::{self, BulkReport};
use crate::ui::components::problems::ProblemList;
use crate::ui::state::{now, use_app};

/// What the last bulk action or undo did, for the notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkOutcome {
    /// A bulk mapping's report.
    Mapped(BulkReport),
    /// An undo restored this many numbers.
    Undone(usize),
    /// The action failed (an undo refused included); nothing was written.
    Failed(String),
}

/// The select value meaning "map nothing".
const CLEAR: &str = "none";

/// A side of the bulk mapping as its select gives it.
fn side_of<S: std::str::FromStr>(value: &str) -> Side<S> {
    match value {
        "" => Side::Keep,
        CLEAR => Side::Clear,
        other => other.parse().map(Side::Set).unwrap_or_default(),
    }
}

/// Moves the focus to the element `id` once the next render has happened (the control that had
/// it, in the selection bar, may be gone; a form's error shows after the render).
pub fn focus_later(id: impl Into<String>) {
    let id = id.into();
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    });
}

/// The refused numbers grouped by their reasons, in first-seen order, so fifty numbers refused
/// for one reason read as one entry.
fn by_reasons(refused: Vec<Refusal>) -> Vec<(Vec<Problem>, Vec<String>)> {
    let mut groups: Vec<(Vec<Problem>, Vec<String>)> = Vec::new();
    for r in refused {
        let shown = r
            .e164
            .as_ref()
            .map(|e| e.format_grouped())
            .unwrap_or_else(|| r.sid.to_string());
        // The document's address and the chosen one can fail for the same words: say it once.
        let mut reasons: Vec<Problem> = Vec::new();
        for p in r.reasons {
            if !reasons.contains(&p) {
                reasons.push(p);
            }
        }
        match groups.iter_mut().find(|(known, _)| *known == reasons) {
            Some((_, names)) => names.push(shown),
            None => groups.push((reasons, vec![shown])),
        }
    }
    groups
}

/// Undoes the bulk entry `entry`. A split point: the log shows Undo on every bulk entry, but
/// only a click needs the compliance rules an undo recomputes numbers with.
#[cfg_attr(split, lazy)]
async fn run_undo(db: crate::store::Db, entry: EventSid) -> Result<usize, String> {
    workspace::undo_bulk(&db, entry, EventSid::generate(&mut BrowserRandom), now())
        .await
        .map_err(|e| e.to_string())
}

/// Undoes the bulk entry `entry` and reports it in `outcome`.
pub fn undo(db: crate::store::Db, entry: EventSid, outcome: RwSignal<Option<BulkOutcome>>) {
    leptos::task::spawn_local(async move {
        let result = run_undo(db, entry).await;
        outcome.set(Some(match result {
            Ok(n) => {
                changes::publish(Change::Numbers);
                BulkOutcome::Undone(n)
            }
            Err(e) => BulkOutcome::Failed(e),
        }));
        focus_later("bulk-result-notice");
    });
}

/// The notice for the last bulk action.
#[component]
pub fn BulkResult(outcome: RwSignal<Option<BulkOutcome>>) -> impl IntoView {
    let state = use_app();
    let dismiss = move |_| outcome.set(None);
    view! {
        <div aria-live="polite" class="bulk-result" data-testid="bulk-result">
            {move || outcome.get().map(|o| match o {
                BulkOutcome::Failed(e) => view! {
                    <div id="bulk-result-notice" class="notice error" role="alert" tabindex="-1">
                        <p>{e}</p>
                        <button type="button" class="secondary" on:click=dismiss>"Dismiss"</button>
                    </div>
                }.into_any(),
                BulkOutcome::Undone(n) => view! {
                    <div id="bulk-result-notice" class="notice ok" tabindex="-1">
                        <p>{format!("Undone: {} mapped as before.", plural(n, "number is", "numbers are"))}</p>
                        <button type="button" class="secondary" on:click=dismiss>"Dismiss"</button>
                    </div>
                }.into_any(),
                BulkOutcome::Mapped(report) => {
                    let mapped = report.mapped.len();
                    let refused = report.refused.len();
                    let tone = if mapped > 0 { "notice ok" } else { "notice info" };
                    view! {
                        <div id="bulk-result-notice" class=tone tabindex="-1">
                            <p class="bulk-summary">{match (mapped, refused) {
                                (0, 0) => "Nothing changed: the selected numbers are mapped so already.".to_string(),
                                (0, r) => format!("Nothing changed: the mapping fits none of the {} selected.", grouped(r)),
                                _ => format!("{}.", report.summary),
                            }}</p>
                            {(refused > 0).then(|| view! {
                                <ul class="refused" aria-label="Numbers left unchanged, by reason">
                                    {by_reasons(report.refused).into_iter().map(|(reasons, names)| view! {
                                        <li>
                                            <p class="refused-numbers" tabindex="0">
                                                <strong>{format!("{}: ", plural(names.len(), "number", "numbers"))}</strong>
                                                {names.join(", ")}
                                            </p>
                                            <ProblemList problems=reasons/>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                            <div class="actions">
                                {report.entry.map(|entry| view! {
                                    <button type="button" id="bulk-undo" on:click=move |_| undo(state.db(), entry, outcome)>"Undo"</button>
                                })}
                                <button type="button" class="secondary" on:click=dismiss>"Dismiss"</button>
                            </div>
                        </div>
                    }.into_any()
                }
            })}
        </div>
    }
}

/// The bar shown while numbers are selected: what to map them to, or to unmap.
#[component]
pub fn BulkBar(
    selected: RwSignal<HashSet<NumberSid>>,
    /// How many selected numbers the filters hide.
    hidden: Signal<usize>,
    /// `(SID, label)` of every document and every address.
    documents: Signal<Vec<(String, String)>>,
    addresses: Signal<Vec<(String, String)>>,
    outcome: RwSignal<Option<BulkOutcome>>,
) -> impl IntoView {
    let state = use_app();
    let identity = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let apply = move |_| {
        let identity: Side<IdentitySid> = side_of(&identity.get_untracked());
        let address: Side<AddressSid> = side_of(&address.get_untracked());
        if identity == Side::Keep && address == Side::Keep {
            problem.set(Some(
                "Choose an identity document, an address, or None to unmap.".into(),
            ));
            return;
        }
        problem.set(None);
        let mut sids: Vec<NumberSid> = selected.get_untracked().into_iter().collect();
        sort_by(&mut sids, NumberSid::bytes);
        busy.set(true);
        let db = state.db();
        leptos::task::spawn_local(async move {
            let result = workspace::bulk_map(
                &db,
                &sids,
                identity,
                address,
                EventSid::generate(&mut BrowserRandom),
                now(),
            )
            .await;
            match result {
                Ok(report) => {
                    let wrote = report.entry.is_some();
                    selected.set(HashSet::new());
                    outcome.set(Some(BulkOutcome::Mapped(report)));
                    focus_later("bulk-result-notice");
                    if wrote {
                        changes::publish(Change::Numbers);
                    }
                }
                Err(e) => outcome.set(Some(BulkOutcome::Failed(e.to_string()))),
            }
            busy.set(false);
        });
    };
    let side_select = move |id: &'static str,
                            label: &'static str,
                            none: &'static str,
                            value: RwSignal<String>,
                            options: Signal<Vec<(String, String)>>| {
        view! {
            <div>
                <label for=id>{label}</label>
                <select id=id on:change:target=move |ev| value.set(ev.target().value())>
                    <option value="" selected=move || value.get().is_empty()>"Keep current"</option>
                    <option value=CLEAR selected=move || value.get() == CLEAR>{none}</option>
                    {move || options.get().into_iter().map(|(sid, text)| {
                        let s = sid.clone();
                        view! { <option value=sid selected=move || value.get_untracked() == s>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <section class="bulk-bar" aria-label="Map selected numbers">
            <div class="bulk-inner">
                <p class="bulk-count" role="status">
                    <strong>{move || format!("{} selected", plural(selected.with(HashSet::len), "number", "numbers"))}</strong>
                    {move || match hidden.get() {
                        0 => None,
                        h => Some(view! { <span class="hint">{format!(" ({} not shown by the filters)", grouped(h))}</span> }),
                    }}
                </p>
                <div class="bulk-fields">
                    {side_select("bulk-identity", "Identity document", "None (unmap)", identity, documents)}
                    {side_select("bulk-address", "Address", "None (unmap)", address, addresses)}
                    <div class="bulk-actions">
                        <button type="button" disabled=move || busy.get() on:click=apply>
                            {move || if busy.get() { "Applying…" } else { "Apply to selected" }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| {
                            selected.set(HashSet::new());
                            focus_later("select-page");
                        }>"Clear selection"</button>
                    </div>
                </div>
                <p class="hint bulk-hint">"Each number is mapped only where the document or address fits it; the others are listed with the reasons and left as they are. Every change can be undone."</p>
                <div aria-live="assertive">
                    {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                </div>
            </div>
        </section>
    }
}
