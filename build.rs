//! Compiles the vendored libphonenumber geocoding tables (src/domain/data/geocoding/*.txt) into
//! the compact form the app embeds (see `numbering::AreaSource::Table`).
//!
//! Why: the German table alone is 110 KB of `prefix|name` lines, 43 KB gzipped, a large share of
//! the download budget. Its prefixes are sorted, so each one mostly repeats the one before it;
//! stored as a column of their own, each as "how many digits to drop from the previous prefix,
//! then the new digits", they compress from 12 KB to under 2 KB. The names stay as they are, one
//! per line. The vendored files themselves stay unchanged in the repository, with their licence.

use std::env;
use std::fs;
use std::path::Path;

/// The tables numbering.rs embeds.
const TABLES: [&str; 4] = ["de-49", "en-43", "en-39", "en-46"];

fn main() {
    split_cfg();
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for stem in TABLES {
        let source = format!("src/domain/data/geocoding/{stem}.txt");
        println!("cargo:rerun-if-changed={source}");
        let text = fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let mut prefixes = String::new();
        let mut names = String::new();
        let mut previous = "";
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (prefix, name) = line
                .split_once('|')
                .unwrap_or_else(|| panic!("{source}: a line without `|`: {line}"));
            let (prefix, name) = (prefix.trim(), name.trim());
            assert!(
                prefix.bytes().all(|b| b.is_ascii_digit()) && !name.contains('\n'),
                "{source}: not a prefix|name line: {line}"
            );
            let shared = previous
                .bytes()
                .zip(prefix.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let drop = previous.len() - shared;
            assert!(
                drop <= 9,
                "{source}: prefix {prefix} is too far from {previous}"
            );
            prefixes.push(char::from(b'0' + drop as u8));
            prefixes.push_str(&prefix[shared..]);
            prefixes.push(',');
            names.push_str(name);
            names.push('\n');
            previous = prefix;
        }
        let dir = Path::new(&out);
        fs::write(dir.join(format!("{stem}.prefixes")), prefixes).expect("OUT_DIR is writable");
        fs::write(dir.join(format!("{stem}.names")), names).expect("OUT_DIR is writable");
    }
}

/// Sets `cfg(split)` for a release wasm build with the `split` feature: only that build goes
/// through the splitter (scripts/bin/wasm-bindgen), and a binary with split points that is not
/// split cannot start (its placeholder imports stay unresolved), so debug builds, where `trunk
/// serve` also passes the feature, and native builds compile the split points as plain functions.
fn split_cfg() {
    println!("cargo::rustc-check-cfg=cfg(split)");
    let feature = env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let wasm = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let release = env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_none();
    if feature && wasm && release {
        println!("cargo::rustc-cfg=split");
    }
}
