//! A provider's CSV export of numbers, checked in steps (with progress), previewed row by row
//! with every problem named, then imported in one transaction. The rules are the domain's
//! (`csv_import`); the write is the store's (`store::workspace`).

use leptos::prelude::*;

use crate::domain::exchange::csv_import::{CsvCheck, CsvError, CsvPreview, Existing};
use crate::domain::records::sid::EventSid;
use crate::domain::wording::{grouped, plural};
use crate::store::changes::{self, Change};
use crate::store::platform::BrowserRandom;
use crate::store::workspace;
use crate::ui::state::{now, use_app};
use crate::ui::upload::{file_bytes, take_file};

/// Preview rows per page: 10,000 rows stay quick to page through.
const PAGE: usize = 50;

/// Rows checked between two yields to the browser: about 15 ms of work (15 µs a row in
/// Chromium here), well under the 50 ms that counts as a long task. Measured on 20,000 rows: no
/// long task, 0.44–0.52 s in all; in one go it was one 295 ms task (2,000 rows a step: one of 68 ms).
const ROWS_PER_STEP: usize = 1_000;

/// Checks a CSV file a slice of rows at a time, giving the browser its turn in between (a file of
/// 100,000 rows takes seconds) and reporting the progress in percent.
async fn check_in_steps(
    bytes: &[u8],
    existing: &Existing,
    progress: RwSignal<Option<u64>>,
) -> Result<CsvPreview, CsvError> {
    let mut check = CsvCheck::start(bytes, existing)?;
    while !check.step(ROWS_PER_STEP)? {
        let (done, total) = check.progress();
        progress.set(Some(done * 100 / total.max(1)));
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
    Ok(check.finish())
}

#[component]
pub fn CsvSection() -> impl IntoView {
    let state = use_app();
    // While a file is read and checked: how far, in percent.
    let reading: RwSignal<Option<u64>> = RwSignal::new(None);
    let csv_error: RwSignal<Option<String>> = RwSignal::new(None);
    let preview: RwSignal<Option<(String, CsvPreview)>> = RwSignal::new(None);
    let only_errors = RwSignal::new(false);
    let page = RwSignal::new(0usize);
    let progress: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    let result: RwSignal<Option<Result<(usize, usize), String>>> = RwSignal::new(None);

    let tally = Memo::new(move |_| {
        preview.with(|p| {
            p.as_ref()
                .map(|(_, p)| (p.valid().count(), p.errors().count()))
                .unwrap_or((0, 0))
        })
    });
    // The rows shown, as indices into the preview: all of them, or the ones with errors.
    let shown = Memo::new(move |_| {
        let errors_only = only_errors.get();
        preview.with(|p| {
            p.as_ref()
                .map(|(_, p)| {
                    p.rows
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| !errors_only || r.is_err())
                        .map(|(i, _)| i)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    Effect::new(move |_| {
        only_errors.track();
        preview.with(|_| ());
        page.set(0);
    });
    let pages = move || shown.with(|s| s.len().div_ceil(PAGE).max(1));

    let on_file = move |ev: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlInputElement>| {
        let Some(file) = take_file(&ev.target()) else {
            return;
        };
        csv_error.set(None);
        preview.set(None);
        result.set(None);
        reading.set(Some(0));
        let db = state.db();
        leptos::task::spawn_local(async move {
            let name = file.name();
            let parsed = match file_bytes(&file).await {
                Err(e) => Err(e),
                Ok(bytes) => match workspace::existing(&db).await {
                    Err(e) => Err(e.to_string()),
                    Ok(existing) => check_in_steps(&bytes, &existing, reading)
                        .await
                        .map_err(|e| format!("{name} cannot be imported: {e}")),
                },
            };
            match parsed {
                Ok(p) => preview.set(Some((name, p))),
                Err(e) => csv_error.set(Some(e)),
            }
            reading.set(None);
        });
    };

    let import = move |_| {
        let Some(numbers) =
            preview.with_untracked(|p| p.as_ref().map(|(_, p)| p.numbers(&mut BrowserRandom)))
        else {
            return;
        };
        let skipped = tally.get_untracked().1;
        result.set(None);
        progress.set(Some((0, numbers.len())));
        let db = state.db();
        leptos::task::spawn_local(async move {
            let outcome = workspace::import_numbers(
                &db,
                &numbers,
                EventSid::generate(&mut BrowserRandom),
                now(),
                |done, total| progress.set(Some((done, total))),
            )
            .await;
            match outcome {
                Ok(n) => {
                    preview.set(None);
                    result.set(Some(Ok((n, skipped))));
                    changes::publish(Change::Numbers);
                }
                Err(e) => result.set(Some(Err(e.to_string()))),
            }
            progress.set(None);
        });
    };
    let importing = move || progress.with(Option::is_some);

    let table = move || {
        preview.with(|p| {
            let (_, p) = p.as_ref()?;
            let start = page.get() * PAGE;
            let rows = shown.with(|s| {
                s.iter()
                    .skip(start)
                    .take(PAGE)
                    .filter_map(|&i| p.rows.get(i).cloned())
                    .collect::<Vec<_>>()
            });
            Some(view! {
                <div class="table-wrap">
                    <table class="csv-preview">
                        <caption class="visually-hidden">"Rows of the file"</caption>
                        <thead><tr>
                            <th scope="col">"Row"</th><th scope="col">"Phone number"</th><th scope="col">"Type"</th>
                            <th scope="col">"Friendly name"</th><th scope="col">"Bought"</th><th scope="col">"Result"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| match r {
                                Ok(d) => view! {
                                    <tr>
                                        <td class="num" data-label="Row">{d.row}</td>
                                        <td class="nowrap" data-label="Phone number">{d.e164.format_grouped()}</td>
                                        <td data-label="Type">{format!("{} {}", d.class.country.name(), d.class.number_type.label())}</td>
                                        <td data-label="Friendly name">{if d.friendly_name.is_empty() { "—".to_string() } else { d.friendly_name.clone() }}</td>
                                        <td data-label="Bought">{d.bought.date_utc().to_string()}</td>
                                        <td data-label="Result"><span class="badge compliant">"Ready"</span></td>
                                    </tr>
                                }.into_any(),
                                Err(e) => view! {
                                    <tr class="row-error">
                                        <td class="num" data-label="Row">{e.row}</td>
                                        <td data-label="Phone number"><code class="raw">{if e.raw_number.is_empty() { "(empty)".to_string() } else { e.raw_number.clone() }}</code></td>
                                        <td colspan="4" class="problems-cell">
                                            <span class="badge noncompliant">"Not imported"</span>
                                            <ul class="problems">
                                                {e.problems.iter().map(|p| {
                                                    let column = p.column().map(|c| format!("{}: ", c.label())).unwrap_or_default();
                                                    view! { <li>{column}{p.to_string()}</li> }
                                                }).collect_view()}
                                            </ul>
                                        </td>
                                    </tr>
                                }.into_any(),
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })
        })
    };

    view! {
        <section class="card" aria-labelledby="csv-heading">
            <h2 id="csv-heading">"Import numbers from CSV"</h2>
            <p>"A provider's export of the numbers you own: a header row, then one number per row. Columns regdesk reads: Phone Number and Date Bought (required), Friendly Name, Address SID and Identity SID. The numbers are imported as bought before the requirements applied."</p>
            <div class="field">
                <label for="csv-file">"Numbers file (.csv)"</label>
                <input id="csv-file" type="file" accept=".csv,text/csv" aria-describedby="csv-file-hint"
                    disabled=importing on:change:target=on_file/>
                <p id="csv-file-hint" class="hint">"You see every row first; nothing is written until you import."</p>
            </div>
            <div aria-live="polite">
                {move || reading.get().map(|percent| view! {
                    <p class="hint" role="status">{format!("Reading and checking the file… {percent}%")}</p>
                })}
            </div>
            <div aria-live="assertive">
                {move || csv_error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            </div>
            {move || preview.with(|p| p.as_ref().map(|(name, _)| name.clone())).map(|name| {
                let (valid, errors) = tally.get();
                view! {
                    <div class="csv-summary">
                        <p role="status" data-testid="csv-summary">
                            <strong>{format!("{} valid, {} with errors", grouped(valid), grouped(errors))}</strong>
                            {format!(" — {name}. ")}
                            {if errors > 0 { "Rows with errors are not imported." } else { "" }}
                        </p>
                        <div class="actions">
                            <button type="button" data-testid="csv-import" disabled=move || importing() || tally.get().0 == 0 on:click=import>
                                {move || format!("Import {}", plural(tally.get().0, "number", "numbers"))}
                            </button>
                            <button type="button" class="secondary" disabled=importing on:click=move |_| preview.set(None)>"Discard"</button>
                        </div>
                        <label class="inline"><input type="checkbox" prop:checked=move || only_errors.get()
                            on:change:target=move |ev| only_errors.set(ev.target().checked())/>" Show only rows with errors"</label>
                    </div>
                }
            })}
            {move || progress.get().map(|(done, total)| view! {
                <div class="progress-row">
                    <label for="csv-progress">"Importing numbers"</label>
                    <progress id="csv-progress" max=total.max(1) value=done
                        aria-valuemin="0" aria-valuemax=total aria-valuenow=done
                        aria-valuetext=format!("{} of {} numbers", grouped(done), grouped(total))></progress>
                    <span class="hint">{format!("{} of {}", grouped(done), grouped(total))}</span>
                </div>
            })}
            {table}
            {move || (preview.with(Option::is_some) && pages() > 1).then(|| view! {
                <nav class="pager" aria-label="Preview pages">
                    <button type="button" class="secondary" disabled=move || page.get() == 0
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
                    <span>{move || {
                        let total = shown.with(Vec::len);
                        let first = page.get() * PAGE + 1;
                        format!("{}–{} of {} rows · page {} of {}", grouped(first), grouped((first + PAGE - 1).min(total)), grouped(total), page.get() + 1, pages())
                    }}</span>
                    <button type="button" class="secondary" disabled=move || { page.get() + 1 >= pages() }
                        on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
                </nav>
            })}
            <div aria-live="polite" data-testid="csv-result">
                {move || result.get().map(|r| match r {
                    Ok((n, skipped)) => view! {
                        <p class="notice ok" role="status">
                            {format!("Imported {}.", plural(n, "number", "numbers"))}
                            {(skipped > 0).then(|| format!(" {} with errors {} not imported.", plural(skipped, "row", "rows"), if skipped == 1 { "was" } else { "were" }))}
                            " "<a href="/numbers">"See My numbers"</a>
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p class="notice error" role="alert">{format!("Nothing was imported: {e}")}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
