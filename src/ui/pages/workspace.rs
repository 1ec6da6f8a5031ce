//! Backup and import: the whole workspace exported as one file and imported back (replacing or
//! merging), and a provider's CSV export of numbers (`csv_section`). The rules are the domain's
//! (`portable::validate`); the writes are the store's (`store::workspace`), one transaction each.

use leptos::prelude::*;

use crate::domain::exchange::portable::{Counts, ImportError, ImportMode, Validated, validate};
use crate::domain::records::sid::{EventSid, IdentitySid};
use crate::domain::wording::plural;
use crate::store::changes::{self, Change};
use crate::store::platform::BrowserRandom;
use crate::store::workspace::{self, ImportReport};
use crate::ui::components::csv_section::CsvSection;
use crate::ui::download::download;
use crate::ui::state::{confirm, now, use_app, when};
use crate::ui::upload::{file_bytes, take_file};

/// Scans listed by documents but absent, as a list.
fn missing_list(missing: Vec<(IdentitySid, String)>, intro: &'static str) -> impl IntoView {
    (!missing.is_empty()).then(|| {
        view! {
            <div class="notice info">
                <p>{intro}</p>
                <ul class="missing">
                    {missing.into_iter().map(|(sid, sha)| view! {
                        <li>"Identity document "<code>{sid.to_string()}</code>", scan "<code title=sha.clone()>{sha.chars().take(12).collect::<String>()}"…"</code></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// The page: export, import, CSV import.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    view! {
        <div class="workspace-page">
            <h1>"Backup and import"</h1>
            <p class="lede">"Everything regdesk knows lives in this browser. Keep a copy of it, move it to another browser, or bring in the numbers you already own."</p>
            <ExportSection/>
            <ImportSection/>
            <CsvSection/>
        </div>
    }
}

/// What an export contained.
#[derive(Debug, Clone)]
struct Exported {
    file_name: String,
    counts: Counts,
    missing_scans: Vec<(IdentitySid, String)>,
}

#[component]
fn ExportSection() -> impl IntoView {
    let state = use_app();
    let busy = RwSignal::new(false);
    let result: RwSignal<Option<Result<Exported, String>>> = RwSignal::new(None);
    let export = move |_| {
        busy.set(true);
        result.set(None);
        let db = state.db();
        leptos::task::spawn_local(async move {
            let outcome = match workspace::export(&db, now()).await {
                Err(e) => Err(e.to_string()),
                Ok(file) => download(&file.blob, &file.file_name).map(|()| Exported {
                    file_name: file.file_name,
                    counts: file.counts,
                    missing_scans: file.missing_scans,
                }),
            };
            result.set(Some(outcome));
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="export-heading">
            <h2 id="export-heading">"Export workspace"</h2>
            <p>"One JSON file with every document and its scans, every address and number, the review queue and the activity log. It is checksummed, so a damaged or edited copy is refused on import."</p>
            <div class="actions">
                <button type="button" disabled=move || busy.get() on:click=export>
                    {move || if busy.get() { "Exporting…" } else { "Export workspace" }}
                </button>
            </div>
            <div aria-live="polite" data-testid="export-result">
                {move || result.get().map(|r| match r {
                    Err(e) => view! { <p class="notice error" role="alert">{format!("The export failed: {e}")}</p> }.into_any(),
                    Ok(done) => view! {
                        <div role="status">
                            <p class="notice ok">{format!("Exported {}: {}.", done.file_name, done.counts)}</p>
                            {missing_list(done.missing_scans, "These scans were missing from this browser's database, so the file does not carry them:")}
                        </div>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn ImportSection() -> impl IntoView {
    let state = use_app();
    let checking = RwSignal::new(false);
    let invalid: RwSignal<Option<(String, ImportError)>> = RwSignal::new(None);
    let ready: RwSignal<Option<(String, Validated)>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let report: RwSignal<Option<ImportReport>> = RwSignal::new(None);
    let failure: RwSignal<Option<String>> = RwSignal::new(None);

    let on_file = move |ev: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlInputElement>| {
        let Some(file) = take_file(&ev.target()) else {
            return;
        };
        invalid.set(None);
        ready.set(None);
        report.set(None);
        failure.set(None);
        checking.set(true);
        leptos::task::spawn_local(async move {
            let name = file.name();
            match file_bytes(&file).await {
                Err(e) => failure.set(Some(e)),
                Ok(bytes) => match validate(&bytes) {
                    Err(e) => invalid.set(Some((name, e))),
                    Ok(v) => ready.set(Some((name, v))),
                },
            }
            checking.set(false);
        });
    };

    let run = move |mode: ImportMode| {
        if mode == ImportMode::Replace
            && !confirm(
                "Replace this workspace with the file? Every document, address, number and log entry here now is deleted. This cannot be undone.",
            )
        {
            return;
        }
        let Some((_, validated)) = ready.get_untracked() else {
            return;
        };
        busy.set(true);
        failure.set(None);
        report.set(None);
        let db = state.db();
        leptos::task::spawn_local(async move {
            let at = now();
            let result = workspace::import(
                &db,
                validated,
                mode,
                EventSid::generate(&mut BrowserRandom),
                at,
            )
            .await;
            match result {
                Ok(r) => {
                    if r.written() {
                        ready.set(None);
                        changes::publish(Change::Workspace);
                    }
                    report.set(Some(r));
                }
                Err(e) => failure.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card" aria-labelledby="import-heading">
            <h2 id="import-heading">"Import workspace"</h2>
            <p>"Restore a file made by Export workspace. It is checked completely before anything changes."</p>
            <div class="field">
                <label for="import-file">"Workspace file (.json)"</label>
                <input id="import-file" type="file" accept=".json,application/json"
                    aria-describedby="import-file-hint" on:change:target=on_file/>
                <p id="import-file-hint" class="hint">"Nothing is written until you choose Replace or Merge."</p>
            </div>
            <div aria-live="polite">
                {move || checking.get().then(|| view! { <p class="hint" role="status">"Checking the file…"</p> })}
            </div>
            <div aria-live="assertive" data-testid="import-error">
                {move || invalid.get().map(|(name, e)| view! {
                    <div class="notice error" role="alert">
                        <p><strong>{format!("{name} cannot be imported. ")}</strong>{e.to_string()}</p>
                        {match &e {
                            ImportError::Record(r) => Some(view! {
                                <dl class="facts compact">
                                    <dt>"Record"</dt><dd>{format!("{} {} in \"{}\"", r.kind.label(), r.index + 1, r.kind.section())}</dd>
                                    <dt>"SID"</dt><dd>{r.sid.clone().unwrap_or_else(|| "—".into())}</dd>
                                    <dt>"Field"</dt><dd><code>{r.field.clone()}</code></dd>
                                    <dt>"Problem"</dt><dd>{r.message.clone()}</dd>
                                </dl>
                            }),
                            _ => None,
                        }}
                        <p>"Nothing was changed."</p>
                    </div>
                })}
                {move || failure.get().map(|f| view! { <p class="notice error" role="alert">{f}</p> })}
            </div>
            {move || ready.get().map(|(name, v)| view! {
                <div class="import-ready" data-testid="import-ready">
                    <p class="notice ok" role="status">
                        {format!("{name} is a valid workspace export from {}: {}.", when(v.exported_at), v.counts())}
                    </p>
                    {missing_list(v.missing_scans.clone(), "The file lists these scans but does not carry them (they were missing when it was exported); the documents are imported without them:")}
                    <div class="choices">
                        <div class="choice">
                            <button type="button" disabled=move || busy.get() on:click=move |_| run(ImportMode::Replace)>"Replace this workspace"</button>
                            <p class="hint">"Deletes everything here first; the file becomes the workspace. You are asked to confirm."</p>
                        </div>
                        <div class="choice">
                            <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| run(ImportMode::Merge)>"Merge into this workspace"</button>
                            <p class="hint">"Adds the file's records that are new here. If any SID here belongs to a different record, nothing is imported."</p>
                        </div>
                    </div>
                </div>
            })}
            <div aria-live="polite" data-testid="import-report">
                {move || busy.get().then(|| view! { <p class="hint" role="status">"Importing…"</p> })}
                {move || report.get().map(|r| {
                    let how = match r.mode { ImportMode::Replace => "Workspace replaced", ImportMode::Merge => "Merged" };
                    if r.written() {
                        view! {
                            <div role="status">
                                <p class="notice ok">{if r.added.total() == 0 { format!("{how}: nothing new to add.") } else { format!("{how}. Added {}.", r.added) }}
                                    {(r.mode == ImportMode::Merge && r.unchanged.total() > 0).then(|| format!(" Already here unchanged: {}.", r.unchanged))}</p>
                                {missing_list(r.missing_scans, "Imported without these scans, which the file did not carry:")}
                            </div>
                        }.into_any()
                    } else {
                        let n = r.collisions.len();
                        view! {
                            <div class="notice error" role="alert">
                                <p>{format!("Nothing was imported: {} of the file use{} a SID this workspace has for a different record.", plural(n, "record", "records"), if n == 1 { "s" } else { "" })}</p>
                                <ul class="collisions">
                                    {r.collisions.into_iter().map(|c| view! {
                                        <li><code>{c.sid.clone()}</code>{format!(" ({}): {}", c.kind.label(), c.reason)}</li>
                                    }).collect_view()}
                                </ul>
                                <p>"Replace the workspace instead, or import the file into an empty one."</p>
                            </div>
                        }.into_any()
                    }
                })}
            </div>
        </section>
    }
}
