//! The native half of `make bench`: writes the benchmark data set as a workspace export
//! (`target/bench/workspace.json`, what the browser half imports) and times the compliance
//! evaluation (figure 3) natively, printing one JSON line. See BENCHMARKS.md.
//!
//! `cargo run --release --example bench_data [-- OUT_DIR]`

#[path = "../bench/dataset.rs"]
mod dataset;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::time::Instant;

    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/bench".into());
    std::fs::create_dir_all(&out).expect("the output directory can be made");
    let t = Instant::now();
    let data = dataset::build(20_261_201);
    let ws = &data.workspace;
    let chunks =
        regdesk::domain::exchange::portable::export_chunks(dataset::now(), ws, &data.scans)
            .expect("the data set exports");
    let path = format!("{out}/workspace.json");
    std::fs::write(&path, chunks.concat()).expect("the export can be written");
    eprintln!(
        "bench_data: {} numbers, {} documents, {} addresses, {} events, {} scans -> {path} ({:.0} ms)",
        ws.numbers.len(),
        ws.documents.len(),
        ws.addresses.len(),
        ws.activity.len(),
        data.scans.len(),
        t.elapsed().as_secs_f64() * 1e3
    );

    let runs = 3;
    let time = |f: &dyn Fn() -> dataset::Tally| {
        let mut times = Vec::new();
        let mut tally = dataset::Tally::default();
        for _ in 0..runs {
            let t = Instant::now();
            tally = std::hint::black_box(f());
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        (dataset::median(&mut times), tally)
    };
    let (dashboard, d) = time(&|| dataset::dashboard(ws));
    let sample = dataset::mapping_sample(ws);
    let (naive, n) = time(&|| dataset::mapping_naive(ws, &sample));
    let (indexed, i) = time(&|| dataset::mapping_indexed(ws, &sample));
    // The index is fast enough to run on every number, not a sample.
    let (indexed_full, _) = time(&|| dataset::mapping_indexed(ws, &ws.numbers));
    assert_eq!(
        n, i,
        "the indexed mapping evaluation must give the naive one's answers"
    );
    println!(
        "{{\"native\":{{\"runs\":{runs},\"dashboard_ms\":{dashboard:.3},\"dashboard_compliant\":{},\"mapping_sample\":{},\"mapping_naive_ms\":{naive:.3},\"mapping_indexed_ms\":{indexed:.3},\"mapping_indexed_full_ms\":{indexed_full:.3},\"mapping_eligible_pairs\":{},\"numbers\":{}}}}}",
        d.hits,
        n.numbers,
        n.hits,
        ws.numbers.len()
    );
}

#[cfg(target_arch = "wasm32")]
fn main() {}
