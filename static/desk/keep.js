/* Keeping the phone desk's data: the browser is asked to keep it (navigator.storage.persist), leaving
 * the page offline with scans waiting asks first, and clearing the desk from this browser warns when
 * scans have not been sent. Loaded after desk.js. */
(function () {
  "use strict";
  var desk = window.EventHubDesk;
  if (!desk) return;
  var state = desk.state, store = desk.store, t = desk.t, app = document.getElementById("desk-app");
  function $(id) { return document.getElementById(id); }

  desk.onStart = function () {
    if (!navigator.storage || !navigator.storage.persist) return;
    navigator.storage.persist().then(function (kept) {
      $("storage-note").textContent = t(kept ? "storage_kept" : "storage_maybe");
    }, function () {});
  };

  // Closing or reloading loses nothing (the queue is in IndexedDB), but the scans are on this
  // device only until the network is back: say so before leaving.
  window.addEventListener("beforeunload", function (event) {
    if (state.waiting.length && !desk.online()) {
      event.preventDefault();
      event.returnValue = t("leave_waiting");
      return event.returnValue;
    }
  });

  $("clear-open").addEventListener("click", function () {
    var n = state.waiting.length;
    $("clear-text").textContent = n ? desk.tn("clear_waiting", n) : t("clear_nothing");
    $("clear-yes").textContent = n ? t("clear_anyway") : $("clear-open").textContent;
    $("clear-confirm").hidden = false;
    $("clear-no").focus();
  });
  $("clear-no").addEventListener("click", function () { $("clear-confirm").hidden = true; });
  $("clear-yes").addEventListener("click", function () {
    store.queued().then(function (items) {
      return Promise.all(items.map(function (item) { return store.dequeue(item.nonce); }));
    }).then(store.kvClear).then(function () {
      state.waiting = [];  // nothing is waiting now: leave without asking
      document.cookie = app.dataset.cookie + "=; Max-Age=0; path=" + app.dataset.cookiePath;
      window.location.reload();
    });
  });
})();
