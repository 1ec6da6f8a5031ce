#!/usr/bin/env node
// A small static server for a built app (dist/), with the single-page-app fallback the router
// needs: a path whose last segment has no dot (/numbers, /documents/RI…) and no file gets
// index.html; a missing file with an extension (/missing.js) is a 404, never HTML, so a missing
// sw.js cannot register as a page. Node's standard library only.
//
// As a module (the end-to-end tests): `const server = await serveDist({ root, port: 0 })`, then
// `server.url`, `server.requests` (every request seen) and `await server.close()`, which also
// drops kept-alive connections, so the browser really sees the server gone. With `gzip: true`
// (the benchmarks' throttled visits) text and wasm go out gzip-compressed to a browser that
// accepts it, as a production server sends them, so a slow connection carries real sizes.
// With `couch: "http://127.0.0.1:5984"`, every request under `/couch/` goes to that CouchDB (or
// the test peer) with `/couch` taken off the path: the deployment regdesk documents, the app and
// the team's database from one origin, so the CSP stays `connect-src 'self'` and CouchDB's
// session cookie is a first-party cookie (../shared/notes/couchdb.md, *Security*).
// From the shell: `node scripts/serve-dist.mjs [dir=dist] [port=8081] [couch URL]`.
import { createReadStream, readFileSync, statSync } from "node:fs";
import { createServer, request as forward } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".wasm", ".css", ".json", ".webmanifest", ".svg", ".txt"]);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

function fileAt(root, path) {
  try {
    return statSync(path).isFile() && path.startsWith(root + sep) ? path : null;
  } catch {
    return null;
  }
}

/// The path prefix proxied to CouchDB.
const COUCH = "/couch/";

/// Sends `req` on to CouchDB at `target` (its path without `/couch`) and its answer back as it
/// comes: status, headers (a session's `Set-Cookie` included) and body, streamed both ways.
function proxy(target, req, res) {
  const base = new URL(target);
  const out = forward(
    {
      host: base.hostname,
      port: base.port,
      method: req.method,
      path: req.url.slice(COUCH.length - 1),
      headers: { ...req.headers, host: base.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  out.on("error", (e) => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: "bad_gateway", reason: `CouchDB did not answer: ${e.message}` }));
  });
  req.pipe(out);
}

export async function serveDist({ root = "dist", port = 0, host = "127.0.0.1", gzip = false, couch = null } = {}) {
  root = resolve(root);
  const requests = [];
  const compressed = new Map();
  // A test may cut the way to CouchDB (`setCouchGate`): a request the gate refuses has its
  // connection dropped, as when the server dies mid-request.
  let gate = null;
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url });
    if (couch && req.url.startsWith(COUCH)) {
      if (gate && !gate(req)) {
        req.socket.destroy();
        return;
      }
      proxy(couch, req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const wanted = join(root, normalize(pathname.endsWith("/") ? pathname + "index.html" : pathname));
    let file = fileAt(root, wanted);
    if (!file && !extname(pathname)) file = join(root, "index.html");
    if (!file) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    const name = file.slice(root.length + 1);
    // Trunk's hashed names never change content; the shell and the worker must be revalidated.
    // Trunk writes its 64-bit hash in hex without leading zeros, so it can be shorter than 16.
    const hashed = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/.test(name);
    const headers = {
      "Content-Type": TYPES[extname(file)] || "application/octet-stream",
      "Cache-Control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
      "X-Content-Type-Options": "nosniff",
    };
    if (gzip && COMPRESSIBLE.has(extname(file)) && statSync(file).size < 5e6 && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
      const key = `${file}:${statSync(file).mtimeMs}`;
      if (!compressed.has(key)) compressed.set(key, gzipSync(readFileSync(file), { level: 9 }));
      const body = compressed.get(key);
      res.writeHead(200, { ...headers, "Content-Encoding": "gzip", Vary: "Accept-Encoding", "Content-Length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    res.writeHead(200, { ...headers, "Content-Length": statSync(file).size });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise((ok, err) => server.once("error", err).listen(port, host, ok));
  const { port: actual } = server.address();
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    requests,
    /// `fn(req)` decides whether each request to CouchDB gets through (`null`: all do).
    setCouchGate: (fn) => {
      gate = fn;
    },
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root = "dist", port = "8081", couch = null] = process.argv.slice(2);
  const server = await serveDist({ root, port: Number(port), couch });
  console.log(`serving ${resolve(root)} at ${server.url}/${couch ? `, ${couch} at ${server.url}${COUCH}` : ""} (Ctrl-C to stop)`);
}
