//! The start page: what needs attention, and the demo controls.
//!
//! It is the one page in the first download (see "Split build" in ARCHITECTURE.md), so it reads
//! counts, not records, and the demo and reset actions are loaded when they are used.

#[cfg(split)]
use leptos::lazy;
use leptos::prelude::*;

use crate::domain::demo;
use crate::domain::exchange::portable::{ImportMode, Validated, Workspace};
use crate::domain::records::document::EXPIRY_WARNINGS;
use crate::domain::records::sid::EventSid;
use crate::domain::time::clock::DemoSpeed;
use crate::domain::wording::plural;
use crate::review::{speed, submit};
use crate::store::changes::{self, Change};
use crate::store::platform::BrowserRandom;
use crate::store::{Db, counts, workspace};
use crate::ui::state::{confirm, now, today, use_app};

/// Replaces the whole workspace, in one transaction, with the demo company or with nothing.
/// A split point: the demo's records, scans and the import are not needed to show the page.
#[cfg_attr(split, lazy)]
async fn replace_workspace(db: Db, with_demo: bool) -> Result<(), String> {
    let at = now();
    let validated = if with_demo {
        let built = demo::build(at, &mut BrowserRandom);
        let mut ws = built.workspace;
        if let Some(doc) = ws.documents.iter_mut().find(|d| d.sid == built.pending) {
            let entry = submit::entry_for(doc, at, speed::current());
            // As a submission does: a team's other machines queue it for the same time.
            doc.set_review_due(entry.due);
            ws.queue.push(entry);
        }
        Validated {
            exported_at: at,
            workspace: ws,
            scans: built.scans,
            missing_scans: Vec::new(),
        }
    } else {
        Validated {
            exported_at: at,
            workspace: Workspace::default(),
            scans: Vec::new(),
            missing_scans: Vec::new(),
        }
    };
    workspace::import(
        &db,
        validated,
        ImportMode::Replace,
        EventSid::generate(&mut BrowserRandom),
        at,
    )
    .await
    .map(|_| ())
    .map_err(|e| e.to_string())
}

/// What stops counting soon, and what already has: the nearest warning that has anything in it,
/// linked to the documents list's filter. Nothing when nothing ends within the longest warning.
#[component]
fn ExpiryNotice(expired: u32, expiring: [u32; 3]) -> impl IntoView {
    let soon = EXPIRY_WARNINGS
        .into_iter()
        .zip(expiring)
        .find(|(_, n)| *n > 0)
        .map(|(days, n)| {
            let what = plural(n as usize, "Passed document", "Passed documents");
            let verb = if n == 1 { "stops" } else { "stop" };
            view! {
                <p class="notice warning" data-testid="expiring-notice">
                    {format!("{what} {verb} counting within {days} days. ")}
                    <a href="/documents?status=expiring">"Renew them before then"</a>
                    "; a renewal keeps the numbers compliant while it is reviewed."
                </p>
            }
        });
    let ended = (expired > 0).then(|| {
        let what = plural(expired as usize, "document has", "documents have");
        view! {
            <p class="notice error" data-testid="expired-notice">
                {format!("{what} expired: the numbers mapped to them are non-compliant. ")}
                <a href="/documents?status=expired">"See which"</a>
            </p>
        }
    });
    view! { {ended} {soon} }
}

/// Counts of documents and numbers by state, with links to act on them.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let state = use_app();
    let tally = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { counts::read(&db, today()).await }
    });
    let (speed_now, set_speed) = signal(speed::current());
    let busy = RwSignal::new(false);
    // Both actions replace the whole workspace in one transaction, so they ask first.
    let replace = move |with_demo: bool| {
        let question = if with_demo {
            "Replace everything in this workspace with the demo company (Spree Logistik GmbH)?"
        } else {
            "Delete every document, address, number and log entry in this workspace? This cannot be undone."
        };
        if !confirm(question) {
            return;
        }
        busy.set(true);
        let db = state.db();
        leptos::task::spawn_local(async move {
            match replace_workspace(db, with_demo).await {
                Ok(()) => {
                    state.toast(
                        if with_demo {
                            "Demo workspace loaded."
                        } else {
                            "Workspace reset."
                        },
                        "ok",
                    );
                    changes::publish(Change::Workspace);
                }
                Err(e) => state.toast(e, "error"),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>"Overview"</h1>
        <p class="lede">"Offline compliance for regulated phone numbers. Everything stays in this browser."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || tally.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(c) => view! {
                    <ExpiryNotice expired=c.expired expiring=c.expiring/>
                    <div class="cards" data-testid="overview-counts">
                        <a class="card stat" href="/documents?status=pending"><strong>{c.pending}</strong>" pending review"</a>
                        <a class="card stat" href="/documents?status=passed"><strong>{c.passed}</strong>" passed"</a>
                        <a class="card stat" href="/documents?status=failed"><strong>{c.failed}</strong>" failed"</a>
                        <a class="card stat" href="/numbers?compliance=noncompliant"><strong>{c.noncompliant}</strong>" non-compliant numbers"</a>
                        <a class="card stat" href="/numbers"><strong>{c.numbers}</strong>" numbers"</a>
                        <a class="card stat" href="/addresses"><strong>{c.addresses}</strong>" addresses"</a>
                    </div>
                    {(c.noncompliant > 0).then(|| view! {
                        <p class="plan-lead"><a href="/plan">"The compliance plan: what fixes each non-compliant number, and your progress towards a deadline →"</a></p>
                    })}
                }.into_any(),
            })}
        </Suspense>
        <section class="card" aria-labelledby="demo-heading">
            <h2 id="demo-heading">"Demo"</h2>
            <label for="speed">"Review speed"</label>
            <select id="speed" on:change:target=move |ev| {
                if let Ok(s) = serde_json::from_str::<DemoSpeed>(&format!("\"{}\"", ev.target().value())) {
                    speed::set(s);
                    set_speed.set(s);
                }
            }>
                {DemoSpeed::ALL.into_iter().map(|s| {
                    let value = serde_json::to_string(&s).unwrap_or_default().trim_matches('"').to_string();
                    view! { <option value=value selected=move || speed_now.get() == s>{s.label()}</option> }
                }).collect_view()}
            </select>
            <p class="hint">"Applies to documents submitted from now on. Reviewers work 09:00–17:00 Berlin time, Monday to Friday."</p>
            <div class="actions">
                <button disabled=move || busy.get() on:click=move |_| replace(true)>"Load demo data"</button>
                <button class="secondary" disabled=move || busy.get() on:click=move |_| replace(false)>"Reset workspace"</button>
            </div>
        </section>
        <section class="card" aria-labelledby="data-heading">
            <h2 id="data-heading">"Your data"</h2>
            <p>"Export a backup of this workspace, restore or merge one, or import the numbers you already own from a CSV file."</p>
            <div class="actions">
                <a class="button secondary" href="/workspace">"Backup and import"</a>
            </div>
        </section>
    }
}
