/* The phone desk's service worker (served from the desk's own path, so its scope is the desk).
 * It keeps the desk's shell — the page, its script and style, the QR decoder — so that the desk
 * opens and reloads without the network. The API (scans, roster, latest scans) always goes to the
 * network: what the desk keeps offline is in IndexedDB, under the page's control. */
"use strict";
const PREFIX = "eventhub-desk-" + {{ urls[0]|tojson }} + "-";
const CACHE = PREFIX + {{ version|tojson }};
const SHELL = {{ urls|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const navigation = request.mode === "navigate" && url.pathname === SHELL[0];
  if (!navigation && !SHELL.includes(url.pathname + url.search)) return;
  const key = navigation ? SHELL[0] : request;
  // Network first (a new version is picked up at once), the kept copy when there is no network.
  event.respondWith(fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  }).catch(() => caches.match(key, { ignoreSearch: navigation }).then((hit) => hit || Response.error())));
});
