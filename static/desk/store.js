/* The phone desk's storage in the browser (IndexedDB): a key-value store per event (the desk's
 * token, its roster, scope and refused list) and the queue of scans and walk-ins waiting to be
 * sent, each under its nonce. Loaded before desk.js. */
(function () {
  "use strict";
  window.EventHubDeskStore = function (SLUG) {
    var dbPromise = new Promise(function (resolve, reject) {
      var open = indexedDB.open("eventhub-desk", 1);
      open.onupgradeneeded = function () {
        open.result.createObjectStore("kv");
        open.result.createObjectStore("queue", { keyPath: "nonce" });
      };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
    function tx(store, mode, work) {
      return dbPromise.then(function (db) {
        return new Promise(function (resolve, reject) {
          var transaction = db.transaction(store, mode);
          var result = work(transaction.objectStore(store));
          transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
          transaction.onerror = function () { reject(transaction.error); };
        });
      });
    }
    function kvGet(key) { return tx("kv", "readonly", function (s) { return s.get(SLUG + ":" + key); }); }
    function kvSet(key, value) { return tx("kv", "readwrite", function (s) { s.put(value, SLUG + ":" + key); }); }
    function kvClear() {
      return tx("kv", "readwrite", function (s) {
        ["token", "roster", "scope", "refused"].forEach(function (key) { s.delete(SLUG + ":" + key); });
      });
    }
    function queued() {
      return tx("queue", "readonly", function (s) { return s.getAll(); }).then(function (all) {
        return all.filter(function (q) { return q.slug === SLUG; })
          .sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : 1; });
      });
    }
    function enqueue(item) { return tx("queue", "readwrite", function (s) { s.put(item); }); }
    function dequeue(nonce) { return tx("queue", "readwrite", function (s) { s.delete(nonce); }); }
    return { kvGet: kvGet, kvSet: kvSet, kvClear: kvClear, queued: queued, enqueue: enqueue, dequeue: dequeue };
  };
})();
