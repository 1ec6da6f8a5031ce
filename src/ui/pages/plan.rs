//! The compliance plan: every non-compliant number grouped by what would fix it, each group with
//! its one action ("Map all N to …", "Waiting on …", "Create a … document for …", "Renew …
//! before …"), and the programme's progress towards a deadline the user sets, with its burndown.
//! Printable.

use leptos::prelude::*;

use crate::domain::records::sid::{AddressSid, EventSid, IdentitySid};
use crate::domain::rules::bulk::Side;
use crate::domain::rules::gap::{GapKind, Unfit, document_wanted};
use crate::domain::rules::number_filter::{ComplianceFilter, Mapping, NumberFilter};
use crate::domain::rules::plan::{Fix, Group, Need, Plan, Progress, plan, read_deadline};
use crate::domain::rules::regulation::Catalog;
use crate::domain::time::calendar::Date;
use crate::domain::wording::{grouped, plural};
use crate::store::changes::{self, Change};
use crate::store::meta;
use crate::store::platform::BrowserRandom;
use crate::store::workspace;
use crate::ui::components::bulk_bar::{BulkOutcome, BulkResult, focus_later};
use crate::ui::components::burndown_chart::BurndownChart;
use crate::ui::data::{Snapshot, use_snapshot};
use crate::ui::state::{now, today, use_app};

/// The meta entry holding the deadline (`YYYY-MM-DD`).
const DEADLINE: &str = "deadline";

/// What a group is, in words: "Germany Local · Berlin (+4930)".
fn place(g: &Group) -> String {
    let area = g
        .area
        .as_ref()
        .map(|a| format!(" · {} (+{})", a.name, a.prefix))
        .unwrap_or_default();
    format!("{} {}{area}", g.country.name(), g.number_type.label())
}

/// What a group needs, in words.
fn need_words(need: Need) -> &'static str {
    match need {
        Need::Gap(GapKind::Document) => "No identity document",
        Need::Gap(GapKind::Pending) => "Document under review",
        Need::Gap(GapKind::Expired) => "Document expired",
        Need::Gap(GapKind::Unsuitable) => "Mapped document does not count",
        Need::Gap(GapKind::Address) => "No address",
        Need::Gap(GapKind::AddressUnfit) => "Mapped address does not fit",
        Need::Gap(GapKind::Conflict) => "Versions in conflict",
        Need::Renewal => "Document ends before the deadline",
    }
}

/// The numbers of a group as My numbers filters them.
fn list_link(g: &Group) -> String {
    let mut f = NumberFilter {
        country: Some(g.country),
        number_type: Some(g.number_type),
        area: g.area.as_ref().map(|a| a.prefix.clone()),
        ..NumberFilter::default()
    };
    match g.need {
        Need::Gap(kind) => {
            f.compliance = ComplianceFilter::NonCompliant;
            f.missing = Some(kind);
        }
        Need::Renewal => {
            if let Fix::Renew { document, .. } = g.fix {
                f.document = Mapping::To(document);
            }
        }
    }
    f.href(0)
}

/// The document form for a new document of the group's kind, area filled in.
fn create_link(g: &Group, end_user: Option<crate::domain::records::kinds::EndUserType>) -> String {
    let mut link = format!(
        "/documents/new?country={}&type={}",
        g.country.code(),
        g.number_type.slug()
    );
    if let Some(a) = &g.area {
        link.push_str(&format!("&area={}", a.prefix));
    }
    if let Some(e) = end_user {
        link.push_str(&format!("&end_user={}", e.slug()));
    }
    link
}

/// The progress figures.
#[component]
fn ProgressSummary(progress: Progress, deadline: Option<Date>) -> impl IntoView {
    let today = today();
    let percent = progress.percent();
    view! {
        <section class="card plan-progress" aria-labelledby="progress-heading">
            <h2 id="progress-heading">"Progress"</h2>
            {match percent {
                None => view! { <p>"No number here needs anything: nothing to plan."</p> }.into_any(),
                Some(p) => view! {
                    <p class="plan-share"><strong>{format!("{p} % compliant")}</strong>
                        {format!(" — {} of {} regulated numbers.", grouped(progress.compliant), grouped(progress.regulated))}</p>
                    <progress max=progress.regulated value=progress.compliant aria-label="Compliant numbers"
                        aria-valuetext=format!("{p} % compliant")></progress>
                }.into_any(),
            }}
            <ul class="plan-figures" data-testid="plan-figures">
                <li><strong>{grouped(progress.left())}</strong>" left to fix"</li>
                <li><strong>{grouped(progress.pending_reviews)}</strong>{if progress.pending_reviews == 1 { " review pending" } else { " reviews pending" }}</li>
                <li><strong>{grouped(progress.expiring)}</strong>{match deadline {
                    Some(_) => if progress.expiring == 1 { " document ends before the deadline" } else { " documents end before the deadline" },
                    None => if progress.expiring == 1 { " document ends within 90 days" } else { " documents end within 90 days" },
                }}</li>
                {deadline.map(|d| view! {
                    <li><strong>{plural(progress.days_left.unwrap_or(0).max(0) as usize, "day", "days")}</strong>{format!(" to the deadline ({})", d.short(today))}</li>
                })}
            </ul>
            {unplaced(progress.not_in_catalog, ComplianceFilter::NotInCatalog, "of a type the catalog has no regulation for: ask your provider what they need")}
            {unplaced(progress.unknown_type, ComplianceFilter::UnknownType, "in no range of their country's numbering plan: check the digits")}
        </section>
    }
}

/// A line about numbers no regulation can be found for, linking to them; nothing when none.
fn unplaced(count: usize, state: ComplianceFilter, what: &'static str) -> Option<impl IntoView> {
    let list = NumberFilter {
        compliance: state,
        ..NumberFilter::default()
    };
    (count > 0).then(|| {
        view! {
            <p class="plan-unplaced"><a href=list.href(0)>{plural(count, "number", "numbers")}</a>{format!(" {what}.")}</p>
        }
    })
}

/// Setting the deadline: a date, today or later.
#[component]
fn DeadlineForm(deadline: Option<Date>, reload: RwSignal<u32>) -> impl IntoView {
    let state = use_app();
    let typed = RwSignal::new(deadline.map(|d| d.to_string()).unwrap_or_default());
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let save = move |value: Option<String>| {
        let db = state.db();
        leptos::task::spawn_local(async move {
            let result = match value {
                Some(text) => match read_deadline(&text, today()) {
                    Ok(day) => meta::set(&db, DEADLINE, &day.to_string())
                        .await
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                },
                None => meta::set(&db, DEADLINE, "")
                    .await
                    .map_err(|e| e.to_string()),
            };
            match result {
                Ok(()) => {
                    problem.set(None);
                    reload.update(|r| *r += 1);
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    let save_typed = save;
    view! {
        <form class="filters deadline-form" aria-label="Deadline" on:submit=move |ev| {
            ev.prevent_default();
            save_typed(Some(typed.get_untracked()));
        }>
            <div>
                <label for="plan-deadline">"Regulator's deadline"</label>
                <input id="plan-deadline" type="date" aria-describedby="plan-deadline-error"
                    prop:value=move || typed.get() on:input:target=move |ev| typed.set(ev.target().value())/>
            </div>
            <button type="submit">"Set deadline"</button>
            {deadline.is_some().then(|| view! {
                <button type="button" class="secondary" on:click=move |_| save(None)>"Remove deadline"</button>
            })}
            <p id="plan-deadline-error" class="field-error" role="alert">{move || problem.get()}</p>
        </form>
    }
}

/// One group: where, what it needs, how many, and its action.
#[component]
fn GroupRow(
    group: Group,
    snapshot: StoredValue<Snapshot>,
    outcome: RwSignal<Option<BulkOutcome>>,
) -> impl IntoView {
    let state = use_app();
    let today = today();
    let count = group.numbers.len();
    let doc_name = move |sid: IdentitySid| {
        snapshot.with_value(|s| {
            s.document(Some(sid))
                .map(|d| d.display_name())
                .unwrap_or_else(|| sid.to_string())
        })
    };
    let address_name = move |sid: AddressSid| {
        snapshot.with_value(|s| {
            s.address(Some(sid))
                .map(|a| a.label())
                .unwrap_or_else(|| sid.to_string())
        })
    };
    let busy = RwSignal::new(false);
    let numbers = StoredValue::new(group.numbers.clone());
    let map_all = move |document: Option<IdentitySid>, address: Option<AddressSid>| {
        busy.set(true);
        let db = state.db();
        leptos::task::spawn_local(async move {
            let result = workspace::bulk_map(
                &db,
                &numbers.get_value(),
                Side::set_or_keep(document),
                Side::set_or_keep(address),
                EventSid::generate(&mut BrowserRandom),
                now(),
            )
            .await;
            outcome.set(Some(match result {
                Ok(report) => {
                    if report.entry.is_some() {
                        changes::publish(Change::Numbers);
                    }
                    BulkOutcome::Mapped(report)
                }
                Err(e) => BulkOutcome::Failed(e.to_string()),
            }));
            busy.set(false);
            focus_later("bulk-result-notice");
        });
    };
    let action = match group.fix {
        Fix::Map { document, address } => {
            let to: Vec<String> = document
                .map(|d| format!("\u{201c}{}\u{201d}", doc_name(d)))
                .into_iter()
                .chain(address.map(address_name))
                .collect();
            let sentence = format!("Map all {} to {}", grouped(count), to.join(" and "));
            view! {
                <p class="plan-fix">{sentence.clone()}"."</p>
                <button type="button" class="plan-action" disabled=move || busy.get()
                    on:click=move |_| map_all(document, address)>{format!("Map all {}", grouped(count))}</button>
            }
            .into_any()
        }
        Fix::Wait { document, decided_by } => view! {
            <p class="plan-fix">"Waiting on "<a href=format!("/documents/{document}")>{format!("\u{201c}{}\u{201d}", doc_name(document))}</a>
                {decided_by.map(|d| format!(", usually decided by {}", d.short(today))).unwrap_or_default()}
                ". Map it once it has passed."</p>
        }
        .into_any(),
        Fix::Create { end_user } => {
            let what = format!(
                "Create {}",
                document_wanted(group.country, group.number_type, end_user, group.area.as_ref().map(|a| a.name.as_str()))
            );
            view! { <p class="plan-fix"><a class="button" href=create_link(&group, end_user)>{what}</a></p> }.into_any()
        }
        Fix::Renew { document, last_day } => view! {
            <p class="plan-fix"><a class="button" href=format!("/documents/new?renew={document}")>
                {format!("Renew \u{201c}{}\u{201d} by {}", doc_name(document), last_day.short(today))}</a></p>
        }
        .into_any(),
        Fix::Open { document, what } => {
            let verb = match what {
                Unfit::Failed => "Correct and resubmit",
                Unfit::Draft => "Submit",
                _ => "Open",
            };
            view! {
                <p class="plan-fix"><a class="button" href=format!("/documents/{document}")>{format!("{verb} \u{201c}{}\u{201d}", doc_name(document))}</a></p>
            }
            .into_any()
        }
        Fix::Resolve => view! {
            <p class="plan-fix"><a class="button" href="/team">"Choose a version on the Team page"</a></p>
        }
        .into_any(),
        Fix::AddAddress => {
            let place = group
                .area
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_else(|| group.country.name().to_string());
            view! { <p class="plan-fix"><a class="button" href="/addresses?new=1">{format!("Add an address in {place}")}</a></p> }.into_any()
        }
    };
    view! {
        <li class="plan-group">
            <div class="plan-what">
                <h3>{place(&group)}</h3>
                <p><span class="tag">{need_words(group.need)}</span>" "
                    <a href=list_link(&group)>{plural(count, "number", "numbers")}</a></p>
            </div>
            <div class="plan-how">{action}</div>
        </li>
    }
}

/// The plan page.
#[component]
pub fn PlanPage() -> impl IntoView {
    let state = use_app();
    let data = use_snapshot();
    let reload = RwSignal::new(0u32);
    let deadline = LocalResource::new(move || {
        reload.track();
        let db = state.db();
        async move {
            meta::get(&db, DEADLINE)
                .await
                .ok()
                .flatten()
                .and_then(|d| d.parse::<Date>().ok())
        }
    });
    let outcome: RwSignal<Option<BulkOutcome>> = RwSignal::new(None);
    view! {
        <div class="page-head">
            <h1>"Compliance plan"</h1>
            <button type="button" class="secondary no-print" on:click=|_| {
                if let Some(w) = web_sys::window() { let _ = w.print(); }
            }>"Print"</button>
        </div>
        <p class="lede">"Every non-compliant number, grouped by what would fix it, with the one action that does."</p>
        <BulkResult outcome/>
        <Suspense fallback=|| view! { <p>"Reading every number…"</p> }>
            {move || {
                let deadline = deadline.get()?;
                data.get().map(|r| match r {
                    Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(s) => {
                        let Plan { groups, progress } = plan(Catalog::shared(), &s.numbers, &s.documents, &s.addresses, today(), deadline);
                        let snapshot = StoredValue::new(s);
                        view! {
                            <DeadlineForm deadline reload/>
                            <ProgressSummary progress deadline/>
                            <BurndownChart deadline/>
                            <section aria-labelledby="groups-heading">
                                <h2 id="groups-heading">{format!("What to do ({})", plural(groups.len(), "group", "groups"))}</h2>
                                {groups.is_empty().then(|| view! { <p class="empty">"Nothing to do: every regulated number is compliant."</p> })}
                                <ol class="plan-groups">
                                    {groups.into_iter().map(|group| view! { <GroupRow group snapshot outcome/> }).collect_view()}
                                </ol>
                            </section>
                        }.into_any()
                    }
                })
            }}
        </Suspense>
    }
}
