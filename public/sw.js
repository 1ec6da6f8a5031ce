// regdesk's service worker: makes the app open and work with no server after one visit.
//
// - install: caches every file of this build (the app shell, the hashed wasm/js/css and every
//   page's chunk), listed by scripts/post-build.mjs, which replaces the BUILD object below at
//   every `trunk build`; the page registers the worker only after its first page is shown, so
//   this download never competes with it;
// - fetch: answers every navigation inside the app (any route: /numbers, /documents/RI…) with the
//   cached index.html, and every other same-origin GET from the cache first, then the network;
// - a new build: its worker installs beside the old one and waits; the page offers
//   "Reload to update" (src/ui/offline.rs), which posts "skip-waiting". On activation the worker
//   deletes the caches of every older build.
//
// Nothing here reaches another origin: requests to other origins are not handled at all.

const BUILD = /*@build*/ { version: "unbuilt", files: [] } /*@end*/;

const CACHE_PREFIX = "regdesk-";
const CACHE = CACHE_PREFIX + BUILD.version;
const SHELL = new URL("index.html", self.registration.scope).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      if (BUILD.version === "unbuilt") throw new Error("sw.js was not processed by post-build");
      const cache = await caches.open(CACHE);
      // A file named by its content (Trunk's hashed wasm, JS and CSS, the split build's chunks)
      // is taken from the HTTP cache when the page already fetched it; any other file bypasses
      // that cache (`reload`), so the cache holds exactly this build's bytes.
      const hashed = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/;
      await cache.addAll(
        BUILD.files.map((url) => new Request(url, { cache: hashed.test(url) ? "default" : "reload" })),
      );
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      // The first visit's page becomes controlled without a reload.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The team sync's calls to CouchDB (JSON, some of them long polls) go straight to the network:
  // nothing of them is cached, and a worker in the way would only delay and outlive their aborts.
  if (request.headers.get("Accept") === "application/json") return;
  if (request.mode === "navigate") {
    event.respondWith(fromCache(SHELL, request));
  } else {
    event.respondWith(fromCache(request, request));
  }
});

/// The cached response for `key`, or the network's answer to `request` when this build has none.
async function fromCache(key, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  return hit || fetch(request);
}
