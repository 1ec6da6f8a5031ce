//! The start page: what needs attention, and the demo controls.

use leptos::prelude::*;

use crate::domain::clock::DemoSpeed;
use crate::domain::compliance::Compliance;
use crate::domain::document::Status;
use crate::review::speed;
use crate::ui::data::Snapshot;
use crate::ui::state::{today, use_app};

/// Counts of documents and numbers by state, with links to act on them.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let state = use_app();
    let data = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        async move { Snapshot::load(&db).await }
    });
    let (speed_now, set_speed) = signal(speed::current());
    view! {
        <h1>"Overview"</h1>
        <p class="lede">"Offline compliance for regulated phone numbers. Everything stays in this browser."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(s) => {
                    let count = |st: Status| s.documents.iter().filter(|d| d.status == st).count();
                    let noncompliant = s.numbers.iter().filter(|n| matches!(s.compliance(n, today()), Compliance::NonCompliant(_))).count();
                    let legacy = s.numbers.iter().filter(|n| n.legacy).count();
                    view! {
                        <div class="cards">
                            <a class="card stat" href="/documents"><strong>{count(Status::Pending)}</strong>" pending review"</a>
                            <a class="card stat" href="/documents"><strong>{count(Status::Passed)}</strong>" passed"</a>
                            <a class="card stat" href="/documents"><strong>{count(Status::Failed)}</strong>" failed"</a>
                            <a class="card stat" href="/numbers?noncompliant=1"><strong>{noncompliant}</strong>" non-compliant numbers"</a>
                            <a class="card stat" href="/numbers"><strong>{s.numbers.len()}</strong>" numbers ("{legacy}" bought before the rules)"</a>
                            <a class="card stat" href="/addresses"><strong>{s.addresses.len()}</strong>" addresses"</a>
                        </div>
                    }.into_any()
                }
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
        </section>
    }
}
