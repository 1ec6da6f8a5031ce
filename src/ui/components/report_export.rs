//! Exporting a list of numbers as the compliance report (CSV), a batch at a time with progress,
//! so 50,000 rows never freeze the page.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::domain::exchange::report::{ReportLine, ReportWriter};
use crate::domain::records::sid::NumberSid;
use crate::domain::wording::{grouped, plural};
use crate::ui::data::Snapshot;
use crate::ui::download::download_bytes;
use crate::ui::pages::numbers::Listed;
use crate::ui::state::{next_paint, today};

/// Rows written between two progress updates.
const BATCH: usize = 2_000;

/// Writes the report of `shown` (in that order) from the judged `rows`.
async fn write_report(
    rows: Memo<Option<Vec<Listed>>>,
    shown: Vec<NumberSid>,
    snapshot: Memo<Option<Snapshot>>,
    progress: RwSignal<Option<(usize, usize)>>,
) -> Result<usize, String> {
    let total = shown.len();
    let at: HashMap<NumberSid, usize> = rows.with_untracked(|r| {
        r.iter()
            .flatten()
            .enumerate()
            .map(|(i, l)| (l.number.sid, i))
            .collect()
    });
    let mut report = ReportWriter::new(today());
    for (step, batch) in shown.chunks(BATCH).enumerate() {
        rows.with_untracked(|r| {
            snapshot.with_untracked(|s| {
                let (Some(all), Some(s)) = (r, s) else { return };
                let lookup = s.lookup();
                for sid in batch {
                    let Some(l) = at.get(sid).map(|&i| &all[i]) else {
                        continue;
                    };
                    report.write(&ReportLine {
                        number: &l.number,
                        compliance: &l.compliance,
                        gap: l.gap.as_ref(),
                        document: lookup.document(l.number.identity_sid),
                        entity: s.entity(l.entity),
                        address: lookup.address(l.number.address_sid),
                    });
                }
            })
        });
        progress.set(Some(((step * BATCH + batch.len()).min(total), total)));
        next_paint().await;
    }
    let written = report.rows();
    download_bytes(
        &report.finish(),
        "text/csv;charset=utf-8",
        &format!("regdesk-report-{}.csv", today()),
    )?;
    Ok(written)
}

/// The *Export CSV report* button for the numbers `shown`.
#[component]
pub fn ReportExport(
    rows: Memo<Option<Vec<Listed>>>,
    shown: Memo<Vec<NumberSid>>,
    snapshot: Memo<Option<Snapshot>>,
) -> impl IntoView {
    let progress: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    let said: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);
    let busy = move || progress.get().is_some();
    let export = move |_| {
        let list = shown.get_untracked();
        if list.is_empty() || rows.with_untracked(Option::is_none) {
            said.set(Some(Err(
                "There is nothing to report: no number is in this list.".into(),
            )));
            return;
        }
        said.set(None);
        progress.set(Some((0, list.len())));
        leptos::task::spawn_local(async move {
            let result = write_report(rows, list, snapshot, progress).await;
            progress.set(None);
            said.set(Some(result.map(|n| {
                format!("Report saved: {}.", plural(n, "number", "numbers"))
            })));
        });
    };
    view! {
        <div class="report-export">
            <button type="button" class="secondary" disabled=busy on:click=export>
                {move || format!("Export {} as a CSV report", plural(shown.with(Vec::len), "number", "numbers"))}
            </button>
            {move || progress.get().map(|(done, total)| view! {
                <progress max=total.max(1) value=done aria-label="Writing the report"
                    aria-valuetext=format!("{} of {} numbers", grouped(done), grouped(total))></progress>
            })}
            <span aria-live="polite" data-testid="report-said">{move || said.get().map(|r| match r {
                Ok(m) => view! { <span class="hint">{m}</span> }.into_any(),
                Err(m) => view! { <span class="field-error" role="alert">{m}</span> }.into_any(),
            })}</span>
        </div>
    }
}
