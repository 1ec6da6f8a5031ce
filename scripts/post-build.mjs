#!/usr/bin/env node
// Trunk post_build hook (see Trunk.toml): runs on every `trunk build` / `trunk serve` rebuild,
// in the staging directory, after Trunk has written index.html and every asset, before the
// staging directory replaces dist/.
//
// 1. Content-Security-Policy: Trunk's loader is an inline <script type="module"> (and `trunk
//    serve` adds an inline autoreload script). The policy allows inline scripts only by hash, so
//    this replaces the `{{inline-script-hashes}}` marker in index.html's CSP <meta> with the
//    'sha256-…' of every inline script in the staged page.
// 2. Service worker precache list: replaces the `/*@build*/ … /*@end*/` object in sw.js with
//    this build's version (a hash of every file's path and bytes) and the URL of every file the
//    build produced except sw.js itself, so the worker caches exactly this build at install and
//    a changed build is a changed sw.js (which is how browsers notice an update).
//
// 0. Split builds (release, see scripts/bin/wasm-bindgen): stages the chunks the splitter wrote
//    beside wasm-bindgen's output. Each chunk is optimised by wasm-opt (Trunk only optimises the
//    main wasm) with the flags index.html gives Trunk, and named by a hash of its bytes; the
//    loader module points at those names and at Trunk's hashed main JS, and is itself hashed; the
//    main JS imports the hashed loader and its integrity hash in index.html is renewed. So every
//    file of a split build has a content name: an old chunk can never meet a new main wasm. The
//    chunks live in split/, not snippets/ (Trunk preloads every snippet with SRI at start-up).
//    Runs first: the CSP and the precache list below must see the final files.
//
// Fails the build (non-zero exit) when a marker is missing, so a stale policy or an empty
// precache list cannot ship silently. No dependency beyond Node's standard library.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) fail("TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook");
const publicUrl = (process.env.TRUNK_PUBLIC_URL || "/").replace(/\/?$/, "/");

function fail(message) {
  console.error(`post-build: ${message}`);
  process.exit(1);
}

// --- 0. Split chunks ------------------------------------------------------------------------
const sha = (algo, bytes) => createHash(algo).update(bytes).digest();
const contentName = (stem, ext, bytes) => `${stem}-${sha("sha256", bytes).toString("hex").slice(0, 16)}${ext}`;
const mainJs = readdirSync(stage).find((f) => /^[\w-]+-[0-9a-f]{8,16}\.js$/.test(f) && !f.endsWith("_loader.js"));
if (!mainJs) fail("found no hashed main JS in the staged build");
let mainJsText = readFileSync(join(stage, mainJs), "utf8");
// wasm-bindgen writes several `import * as importN from "./__wasm_split.js"` statements; only
// their specifiers change (the same name is also the wasm's import module, a key to keep).
const LOADER_IMPORT = /(\bfrom\s*)(["'])\.\/__wasm_split\.js\2/g;
if (mainJsText.match(LOADER_IMPORT)) {
  const targetDir = JSON.parse(
    execFileSync("cargo", ["metadata", "--no-deps", "--format-version", "1"], { encoding: "utf8" }),
  ).target_directory;
  const splitDir = join(targetDir, "wasm-bindgen", process.env.TRUNK_PROFILE || "release", "split");
  if (!existsSync(join(splitDir, "__wasm_split.js"))) fail(`the main JS imports the split loader but ${splitDir} has none`);
  const source = readFileSync(process.env.TRUNK_HTML_FILE, "utf8");
  const optParams = (source.match(/data-wasm-opt-params="([^"]*)"/) || [, ""])[1].split(/\s+/).filter(Boolean);
  const optLevel = (source.match(/data-wasm-opt="([^"]*)"/) || [, "z"])[1];
  const out = join(stage, "split");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  let loader = readFileSync(join(splitDir, "__wasm_split.js"), "utf8");
  let chunks = 0;
  for (const name of readdirSync(splitDir).filter((f) => f.endsWith(".wasm")).sort()) {
    const optimised = join(out, name);
    execFileSync("wasm-opt", [`-O${optLevel}`, ...optParams, join(splitDir, name), "-o", optimised], { stdio: "inherit" });
    const bytes = readFileSync(optimised);
    rmSync(optimised);
    const hashed = contentName(name.replace(/\.wasm$/, ""), ".wasm", bytes);
    writeFileSync(join(out, hashed), bytes);
    const reference = `"./${name}"`;
    if (!loader.includes(reference)) fail(`the split loader does not name ${name}`);
    loader = loader.replaceAll(reference, `"./${hashed}"`);
    chunks += 1;
  }
  if (!loader.includes(`"./main.js"`)) fail("the split loader does not import ./main.js");
  loader = loader.replaceAll(`"./main.js"`, `"../${mainJs}"`);
  const loaderName = contentName("__wasm_split", ".js", Buffer.from(loader));
  writeFileSync(join(out, loaderName), loader);
  // The main JS now imports the hashed loader; its SRI hash in index.html changes with it.
  const oldIntegrity = `sha384-${sha("sha384", Buffer.from(mainJsText)).toString("base64")}`;
  mainJsText = mainJsText.replaceAll(LOADER_IMPORT, (_, from, q) => `${from}${q}./split/${loaderName}${q}`);
  writeFileSync(join(stage, mainJs), mainJsText);
  const newIntegrity = `sha384-${sha("sha384", Buffer.from(mainJsText)).toString("base64")}`;
  let page = readFileSync(join(stage, "index.html"), "utf8");
  page = page.replaceAll(oldIntegrity, newIntegrity);
  // Fetch the loader beside the main JS instead of after it has been parsed.
  const loaderIntegrity = `sha384-${sha("sha384", Buffer.from(loader)).toString("base64")}`;
  page = page.replace(
    "</head>",
    `<link rel="modulepreload" href="${publicUrl}split/${loaderName}" integrity="${loaderIntegrity}" crossorigin="anonymous"></head>`,
  );
  writeFileSync(join(stage, "index.html"), page);
  console.log(`post-build: split build: ${chunks} chunks optimised and hashed, loader split/${loaderName}`);
}

// --- 1. CSP hashes -------------------------------------------------------------------------
const HASH_MARKER = "{{inline-script-hashes}}";
const htmlPath = join(stage, "index.html");
let html = readFileSync(htmlPath, "utf8");
if (!html.includes(HASH_MARKER)) fail(`index.html has no ${HASH_MARKER} marker in its CSP`);
// `trunk serve` fills the placeholders of its autoreload script into each HTML response, from the
// request's Host header, which would change the script's hash. Filled here instead, with what
// trunk itself uses when there is no Host header (the page's own host) and the websocket base
// (the public URL, unless [serve] ws_base says otherwise), the script is the same for every
// request and its hash holds.
const SCRIPT_RE = /(<script\b[^>]*>)([\s\S]*?)(<\/script\s*>)/gi;
html = html.replace(SCRIPT_RE, (all, open, body, close) =>
  body.includes("{{__TRUNK_")
    ? open +
      body
        .replaceAll("'{{__TRUNK_ADDRESS__}}'", "window.location.host")
        .replaceAll("`{{__TRUNK_ADDRESS__}}`", "window.location.host")
        .replaceAll("{{__TRUNK_WS_BASE__}}", publicUrl) +
      close
    : all,
);
const hashes = [];
for (const [, open, body] of html.matchAll(SCRIPT_RE)) {
  if (/\bsrc\s*=/i.test(open)) continue;
  const digest = createHash("sha256").update(body, "utf8").digest("base64");
  hashes.push(`'sha256-${digest}'`);
}
if (hashes.length === 0) fail("found no inline script in index.html (where is Trunk's loader?)");
html = html.replaceAll(HASH_MARKER, [...new Set(hashes)].join(" "));
writeFileSync(htmlPath, html);

// --- 2. Precache list and version ------------------------------------------------------------
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".")) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}
const files = walk(stage)
  .map((path) => relative(stage, path).split(sep).join("/"))
  .filter((rel) => rel !== "sw.js")
  .sort();
const version = createHash("sha256");
for (const rel of files) version.update(`${rel}\0`).update(readFileSync(join(stage, rel))).update("\0");
const build = {
  version: version.digest("hex").slice(0, 16),
  files: files.map((rel) => publicUrl + rel),
};

const swPath = join(stage, "sw.js");
let sw;
try {
  sw = readFileSync(swPath, "utf8");
} catch {
  fail("sw.js is not in the build: is it copied by a copy-file link in index.html?");
}
const BUILD_RE = /\/\*@build\*\/[\s\S]*?\/\*@end\*\//;
if (!BUILD_RE.test(sw)) fail("sw.js has no /*@build*/ … /*@end*/ marker");
sw = sw.replace(BUILD_RE, () => JSON.stringify(build));
writeFileSync(swPath, sw);

console.log(
  `post-build: CSP allows ${hashes.length} inline script(s); sw.js precaches ${files.length} files, version ${build.version}`,
);
