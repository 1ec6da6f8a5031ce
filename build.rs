//! Compiles the vendored libphonenumber data into the compact forms the app embeds: the geocoding
//! tables (src/domain/data/geocoding/*.txt, see `numbering::AreaSource::Table`) and, from the
//! metadata (src/domain/data/libphonenumber/PhoneNumberMetadata.xml), the grouping formats and
//! number-type patterns of the territories the catalog sells (see `phone::national_plan`).
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
    national_plan(Path::new(&out));
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

/// The territories the catalog sells (numbering.rs's `SPECS`; a test there checks the two agree).
const TERRITORIES: [&str; 10] = ["DE", "AT", "IT", "SE", "FR", "GB", "ES", "AU", "JP", "US"];

/// The number types libphonenumber distinguishes, as its elements name them; `national_plan`'s
/// `PLAN_TYPES` gives each its `NumberType`, in this order.
const PLAN_TYPES: [&str; 10] = [
    "fixedLine",
    "mobile",
    "tollFree",
    "premiumRate",
    "sharedCost",
    "personalNumber",
    "voip",
    "pager",
    "uan",
    "voicemail",
];

/// Writes `national_plan.rs`: for each territory of [`TERRITORIES`], its calling code, its
/// formats for international display and its number-type patterns, as Rust statics.
///
/// Why only this: the metadata is 1 MB of XML for 254 territories; the app needs ten of them,
/// and of those only how numbers are grouped (`availableFormats`) and which pattern is which type.
/// A format whose `intlFormat` is `NA` is left out, as libphonenumber leaves it out of
/// international formatting; a format is kept with the most specific (last) `leadingDigits`.
fn national_plan(out: &Path) {
    let source = "src/domain/data/libphonenumber/PhoneNumberMetadata.xml";
    println!("cargo:rerun-if-changed={source}");
    let xml = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    // The file declares its own element types in an internal DTD.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&xml, options)
        .unwrap_or_else(|e| panic!("{source}: {e}"));
    let squeeze = |text: Option<&str>| -> String {
        text.unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let mut rust = String::from("/// Compiled by build.rs from libphonenumber's metadata.\n");
    rust.push_str("static TERRITORIES: &[TerritorySource] = &[\n");
    for id in TERRITORIES {
        let territory = doc
            .descendants()
            .find(|n| n.has_tag_name("territory") && n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("{source}: no territory {id}"));
        let code = territory
            .attribute("countryCode")
            .expect("every territory has a code");
        rust.push_str(&format!("    TerritorySource {{\n        id: {id:?},\n        calling_code: {code:?},\n        formats: &[\n"));
        let formats = child(territory, "availableFormats")
            .map(|f| {
                f.children()
                    .filter(|c| c.has_tag_name("numberFormat"))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for format in formats {
            let pattern = format.attribute("pattern").expect("a format has a pattern");
            let intl = child(format, "intlFormat").and_then(|n| n.text());
            if intl == Some("NA") {
                continue;
            }
            let shown = intl
                .or_else(|| child(format, "format").and_then(|n| n.text()))
                .expect("a format says how to write the number");
            let leading = format
                .children()
                .rev()
                .find(|c| c.has_tag_name("leadingDigits"))
                .map(|n| squeeze(n.text()))
                .unwrap_or_default();
            rust.push_str(&format!(
                "            FormatSource {{ pattern: {:?}, leading: {leading:?}, shown: {shown:?} }},\n",
                squeeze(Some(pattern))
            ));
        }
        rust.push_str("        ],\n        types: &[\n");
        let general = child(territory, "generalDesc");
        for (index, name) in PLAN_TYPES.iter().enumerate() {
            let Some(desc) = child(territory, name) else {
                continue;
            };
            let pattern = squeeze(child(desc, "nationalNumberPattern").and_then(|n| n.text()));
            let lengths = child(desc, "possibleLengths")
                .or_else(|| general.and_then(|g| child(g, "possibleLengths")))
                .and_then(|n| n.attribute("national"))
                .map(length_mask)
                .unwrap_or_else(|| panic!("{source}: {id} {name} has no possible lengths"));
            rust.push_str(&format!(
                "            ({index}, {pattern:?}, {lengths:#x}),\n"
            ));
        }
        rust.push_str("        ],\n    },\n");
    }
    rust.push_str("];\n");
    fs::write(out.join("national_plan.rs"), rust).expect("OUT_DIR is writable");
}

/// The first child element of `node` named `name`.
fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.has_tag_name(name))
}

/// A `possibleLengths` list (`[4-13]`, `9,10`, `[7-9],11`) as a bit set: bit n is set when a
/// national number of n digits is possible.
fn length_mask(list: &str) -> u32 {
    let mut mask = 0u32;
    for part in list.split(',').map(str::trim) {
        let (from, to) = match part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            Some(range) => range.split_once('-').expect("a [from-to] range"),
            None => (part, part),
        };
        let (from, to): (u32, u32) = (
            from.parse().expect("a length is a number"),
            to.parse().expect("a length is a number"),
        );
        assert!(to < 32, "lengths fit in 32 bits");
        for n in from..=to {
            mask |= 1 << n;
        }
    }
    mask
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
