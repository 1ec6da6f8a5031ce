//! The browser half of `make bench`: a page (`bench/page.html`, served by `bench/run.mjs` at the
//! release app's origin) that runs this binary, which measures in one browser run:
//!
//! 1. a bulk write of 10,000 numbers through `store::numbers::add` against the same records
//!    written by a plain JavaScript IndexedDB loop in one transaction, into the same schema;
//! 3. the compliance evaluation (dashboard and mapping) in wasm;
//! 5. a workspace export and import of the full data set (`target/bench/workspace.json`);
//! 8. a compliance programme of 50,000 numbers: the plan, a filter and a search keystroke's
//!    work, a bulk change of 20,000 numbers in one transaction against a plain JS loop writing
//!    the same records, and the CSV report of all 50,000;
//!
//! and finally imports the data set into the app's own database (`regdesk`), so the app's cold
//! start and its Digits filter (figures 2 and 4) run against it. Results go to
//! `window.__benchResult` as JSON. See BENCHMARKS.md.

#[path = "../bench/dataset.rs"]
mod dataset;

#[cfg(target_arch = "wasm32")]
mod page {
    use super::dataset;
    use regdesk::domain::exchange::portable::{ImportMode, validate};
    use regdesk::domain::records::activity::{Event, EventKind};
    use regdesk::domain::records::sid::{EventSid, SeededRandom};
    use regdesk::domain::rules::compliance::{Compliance, Lookup};
    use regdesk::store::schema::NUMBERS;
    use regdesk::store::{Db, numbers, workspace};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;

    #[wasm_bindgen(inline_js = r#"
export function now() { return performance.now(); }
export function log(s) { console.log(s); }
export function report(s) { window.__benchResult = s; }
export function fail(s) { window.__benchError = s; }
export async function fetchBytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(url + ": HTTP " + r.status);
  return new Uint8Array(await r.arrayBuffer());
}
// The baseline: the same records written by a plain IndexedDB loop in one transaction.
export function jsWrite(name, store, records) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const t0 = performance.now();
      const tx = db.transaction([store], "readwrite");
      const os = tx.objectStore(store);
      for (const r of records) os.add(r);
      tx.oncomplete = () => { const ms = performance.now() - t0; db.close(); resolve(ms); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    };
  });
}
"#)]
    extern "C" {
        fn now() -> f64;
        fn log(s: &str);
        fn report(s: &str);
        fn fail(s: &str);
        #[wasm_bindgen(js_name = fetchBytes)]
        fn fetch_bytes(url: &str) -> js_sys::Promise;
        #[wasm_bindgen(js_name = jsWrite)]
        fn js_write(name: &str, store: &str, records: &js_sys::Array) -> js_sys::Promise;
    }

    const RUNS: usize = 5;

    fn err(e: impl std::fmt::Debug) -> String {
        format!("{e:?}")
    }

    fn event(rng: &mut SeededRandom, summary: &str) -> Event {
        Event {
            sid: EventSid::generate(rng),
            at: dataset::now(),
            kind: EventKind::NumbersImported,
            subject: "bench".into(),
            summary: summary.into(),
            callback: None,
            bulk: None,
        }
    }

    fn median(mut v: Vec<f64>) -> f64 {
        dataset::median(&mut v)
    }

    /// The store's shape of a number (its fields plus `compliance`), made the way the store's
    /// codec makes it (serde_json text, parsed by the browser), for the JS loop.
    fn record(
        n: &regdesk::domain::records::number::PhoneNumber,
        c: &Compliance,
    ) -> Result<JsValue, String> {
        let value = js_sys::JSON::parse(&serde_json::to_string(n).map_err(err)?).map_err(err)?;
        js_sys::Reflect::set(&value, &"compliance".into(), &c.slug().into()).map_err(err)?;
        Ok(value)
    }

    async fn run() -> Result<String, String> {
        let bytes = JsFuture::from(fetch_bytes("/bench/workspace.json"))
            .await
            .map_err(err)?;
        let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
        log(&format!("bench: workspace.json is {} bytes", bytes.len()));
        let ws = validate(&bytes).map_err(err)?.workspace;
        let mut rng = SeededRandom::new(7);

        // 1. Bulk write: store vs plain JS, alternating, each into a fresh database.
        let lookup = Lookup::new(&ws.documents, &ws.addresses);
        let pairs: Vec<_> = ws
            .numbers
            .iter()
            .map(|n| (n.clone(), lookup.compliance(n, dataset::TODAY)))
            .collect();
        let records = js_sys::Array::new();
        for (n, c) in &pairs {
            records.push(&record(n, c)?);
        }
        let (mut store_ms, mut js_ms) = (Vec::new(), Vec::new());
        for i in 0..RUNS {
            let name = format!("bench-write-store-{i}");
            let db = Db::open(&name).await.map_err(err)?;
            let ev = event(&mut rng, "bench");
            let t = now();
            numbers::add(&db, &pairs, &ev).await.map_err(err)?;
            store_ms.push(now() - t);
            db.close();
            Db::delete(&name).await.map_err(err)?;

            let name = format!("bench-write-js-{i}");
            Db::open(&name).await.map_err(err)?.close();
            let ms = JsFuture::from(js_write(&name, NUMBERS, &records))
                .await
                .map_err(err)?;
            js_ms.push(ms.as_f64().unwrap_or(f64::NAN));
            Db::delete(&name).await.map_err(err)?;
            log(&format!("bench: write run {i} done"));
        }

        // 3. Evaluation in wasm.
        let time = |f: &dyn Fn() -> dataset::Tally| {
            let mut v = Vec::new();
            let mut tally = dataset::Tally::default();
            for _ in 0..3 {
                let t = now();
                tally = std::hint::black_box(f());
                v.push(now() - t);
            }
            (median(v), tally)
        };
        let (dashboard, d) = time(&|| dataset::dashboard(&ws));
        let sample = dataset::mapping_sample(&ws);
        let (naive, n) = time(&|| dataset::mapping_naive(&ws, &sample));
        let (indexed, ix) = time(&|| dataset::mapping_indexed(&ws, &sample));
        // The index is fast enough to run on every number, not a sample.
        let (indexed_full, _) = time(&|| dataset::mapping_indexed(&ws, &ws.numbers));
        if n != ix {
            return Err(format!("indexed mapping differs: {n:?} vs {ix:?}"));
        }
        log("bench: evaluation done");

        // 5. Import (validate + one transaction) and export of the full data set.
        let (mut validate_ms, mut import_ms, mut export_ms, mut export_bytes) =
            (Vec::new(), Vec::new(), Vec::new(), 0.0);
        let db = Db::open("bench-portable").await.map_err(err)?;
        for i in 0..3 {
            let t = now();
            let validated = validate(&bytes).map_err(err)?;
            validate_ms.push(now() - t);
            let t = now();
            workspace::import(
                &db,
                validated,
                ImportMode::Replace,
                EventSid::generate(&mut rng),
                dataset::now(),
            )
            .await
            .map_err(err)?;
            import_ms.push(now() - t);
            let t = now();
            let file = workspace::export(&db, dataset::now()).await.map_err(err)?;
            export_ms.push(now() - t);
            export_bytes = file.blob.size();
            log(&format!("bench: import/export run {i} done"));
        }
        db.close();
        Db::delete("bench-portable").await.map_err(err)?;

        let programme = programme(&ws, &mut rng).await?;
        log("bench: programme done");

        // Seed the app's own database for figures 2 and 4.
        let app = Db::open(regdesk::store::db::DEFAULT_NAME)
            .await
            .map_err(err)?;
        let validated = validate(&bytes).map_err(err)?;
        workspace::import(
            &app,
            validated,
            ImportMode::Replace,
            EventSid::generate(&mut rng),
            dataset::now(),
        )
        .await
        .map_err(err)?;
        app.close();
        log("bench: app database seeded");

        let store_med = median(store_ms.clone());
        let js_med = median(js_ms.clone());
        Ok(format!(
            concat!(
                "{{\"write\":{{\"runs\":{},\"records\":{},\"store_ms\":{:.2},\"js_ms\":{:.2},\"ratio\":{:.3},\"store_all\":{:?},\"js_all\":{:?}}},",
                "\"wasm\":{{\"runs\":3,\"dashboard_ms\":{:.3},\"dashboard_compliant\":{},\"mapping_sample\":{},\"mapping_naive_ms\":{:.3},\"mapping_indexed_ms\":{:.3},\"mapping_indexed_full_ms\":{:.3},\"mapping_eligible_pairs\":{},\"numbers\":{}}},",
                "\"portable\":{{\"runs\":3,\"file_bytes\":{},\"export_bytes\":{},\"validate_ms\":{:.1},\"import_ms\":{:.1},\"export_ms\":{:.1}}},",
                "\"programme\":{}}}"
            ),
            RUNS,
            pairs.len(),
            store_med,
            js_med,
            store_med / js_med,
            store_ms,
            js_ms,
            dashboard,
            d.hits,
            n.numbers,
            naive,
            indexed,
            indexed_full,
            n.hits,
            ws.numbers.len(),
            bytes.len(),
            export_bytes,
            median(validate_ms),
            median(import_ms),
            median(export_ms),
            programme,
        ))
    }

    /// Figure 8: a programme of 50,000 numbers (the data set's documents and addresses; 20,000
    /// of the numbers mapped to one address), as JSON.
    async fn programme(
        ws: &regdesk::domain::exchange::portable::Workspace,
        rng: &mut SeededRandom,
    ) -> Result<String, String> {
        use regdesk::domain::exchange::report::{ReportLine, ReportWriter};
        use regdesk::domain::rules::bulk::Side;
        use regdesk::domain::rules::number_filter::NumberFilter;
        use regdesk::domain::rules::plan::plan;
        use regdesk::domain::rules::regulation::Catalog;
        use regdesk::domain::rules::search::{Query, SearchIndex};
        const PROGRAMME: usize = 50_000;
        const BULK: usize = 20_000;
        let mut numbers = dataset::numbers(PROGRAMME, rng);
        let address = ws.addresses.first().ok_or("no address")?.sid;
        for n in numbers.iter_mut().take(BULK) {
            n.address_sid = Some(address);
        }
        let today = dataset::TODAY;
        let deadline = Some(today.add_days(60));
        let runs = |f: &mut dyn FnMut() -> usize| {
            let mut v = Vec::new();
            let mut out = 0;
            for _ in 0..3 {
                let t = now();
                out = std::hint::black_box(f());
                v.push(now() - t);
            }
            (median(v), out)
        };
        let (plan_ms, groups) = runs(&mut || {
            plan(
                Catalog::shared(),
                &numbers,
                &ws.documents,
                &ws.addresses,
                today,
                deadline,
            )
            .groups
            .len()
        });
        // A filter keystroke's work: every number judged once per snapshot (as My numbers
        // does), then the filter asked of all 50,000.
        let lookup = Lookup::new(&ws.documents, &ws.addresses);
        let judged: Vec<_> = numbers
            .iter()
            .map(|n| (n, lookup.assess(n, today)))
            .collect();
        let (filter_ms, filtered) = runs(&mut || {
            let filter = NumberFilter {
                digits: "030".into(),
                ..NumberFilter::default()
            };
            let m = filter.matcher();
            judged
                .iter()
                .filter(|(n, (c, g))| m.matches(n, c, g.as_ref(), None))
                .count()
        });
        let index = SearchIndex::new(&numbers, &ws.documents, &ws.entities, &ws.addresses);
        let (search_ms, found) = runs(&mut || {
            Query::new("berlin")
                .map(|q| index.find(&q, 20).totals.iter().sum())
                .unwrap_or(0)
        });
        let (report_ms, report_bytes) = runs(&mut || {
            let mut report = ReportWriter::new(today);
            for (n, (c, g)) in &judged {
                report.write(&ReportLine {
                    number: n,
                    compliance: c,
                    gap: g.as_ref(),
                    document: lookup.document(n.identity_sid),
                    entity: None,
                    address: lookup.address(n.address_sid),
                });
            }
            report.finish().len()
        });

        // A bulk change of 20,000 numbers (their address unmapped) in one transaction, against
        // a plain JS loop writing the same 20,000 records in one transaction.
        let (mut bulk_ms, mut js_ms) = (Vec::new(), Vec::new());
        let pairs: Vec<_> = numbers
            .iter()
            .map(|n| (n.clone(), lookup.compliance(n, today)))
            .collect();
        let sids: Vec<_> = numbers.iter().take(BULK).map(|n| n.sid).collect();
        let after = js_sys::Array::new();
        for n in numbers.iter().take(BULK) {
            let mut cleared = n.clone();
            cleared.address_sid = None;
            after.push(&record(&cleared, &lookup.compliance(&cleared, today))?);
        }
        for i in 0..3 {
            let name = format!("bench-bulk-{i}");
            let db = Db::open(&name).await.map_err(err)?;
            numbers::add(&db, &pairs, &event(rng, "bench"))
                .await
                .map_err(err)?;
            let t = now();
            let report = workspace::bulk_map(
                &db,
                &sids,
                Side::Keep,
                Side::Clear,
                EventSid::generate(rng),
                dataset::now(),
            )
            .await
            .map_err(err)?;
            bulk_ms.push(now() - t);
            if report.mapped.len() != BULK {
                return Err(format!("bulk changed {} numbers", report.mapped.len()));
            }
            db.close();
            Db::delete(&name).await.map_err(err)?;

            let name = format!("bench-bulk-js-{i}");
            Db::open(&name).await.map_err(err)?.close();
            let ms = JsFuture::from(js_write(&name, NUMBERS, &after))
                .await
                .map_err(err)?;
            js_ms.push(ms.as_f64().unwrap_or(f64::NAN));
            Db::delete(&name).await.map_err(err)?;
        }
        let (bulk, js) = (median(bulk_ms.clone()), median(js_ms.clone()));
        Ok(format!(
            concat!(
                "{{\"numbers\":{},\"plan_ms\":{:.2},\"plan_groups\":{},\"filter_ms\":{:.2},\"filtered\":{},",
                "\"search_ms\":{:.2},\"search_found\":{},\"report_ms\":{:.1},\"report_bytes\":{},",
                "\"bulk\":{},\"bulk_ms\":{:.1},\"bulk_js_ms\":{:.1},\"bulk_ratio\":{:.3},\"bulk_all\":{:?},\"bulk_js_all\":{:?}}}"
            ),
            PROGRAMME,
            plan_ms,
            groups,
            filter_ms,
            filtered,
            search_ms,
            found,
            report_ms,
            report_bytes,
            BULK,
            bulk,
            js,
            bulk / js,
            bulk_ms,
            js_ms,
        ))
    }

    pub fn start() {
        wasm_bindgen_futures::spawn_local(async {
            match run().await {
                Ok(json) => report(&json),
                Err(e) => fail(&e),
            }
        });
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    page::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bench_page runs in the browser: `make bench`");
}
