/* The phone desk: scan, see the answer full screen, keep working without the network.
 *
 * Online, a scan goes to the scanner API with the desk's token and a fresh nonce. Offline (or when
 * a request cannot reach the server), it is checked against the roster kept in IndexedDB — badges
 * are recognised by the SHA-256 of their code, the desk holds no signing key — and queued with its
 * nonce and its own time. Back online the queue is sent oldest first through the same API (the
 * nonce makes a resent scan count once; the server checks every scan again), and what the server
 * refused is listed. A revoked desk stops at the next sync and says so. Walk-ins (people.js) are
 * queued the same way and sent to the desk's walk-in API. A list older than the event's limit
 * warns before scanning; clearing the desk with scans waiting warns first.
 */
(function () {
  "use strict";

  var app = document.getElementById("desk-app");
  if (!app || !window.indexedDB || !window.fetch) return;
  var SLUG = app.dataset.slug;
  var MESSAGES = JSON.parse(document.getElementById("desk-messages").textContent);
  // What the other desk scripts (camera.js, people.js, keep.js) use; they load after this one.
  var shared = window.EventHubDesk = { t: t, tn: tn, online: online, store: null, onStart: null, onRender: null };
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(app.dataset.lang) : null;
  var POLL_MS = 4000, ROSTER_MS = 60000;

  function t(key) { return MESSAGES[key] || key; }
  function tn(key, n) {
    var forms = MESSAGES[key];
    var form = (plural && forms[plural.select(n)]) || forms.other;
    return form.replace("{n}", String(n));
  }
  function $(id) { return document.getElementById(id); }

  // IndexedDB (store.js): the desk's token, roster, scope and refused list, and the queue of scans.
  var store = shared.store = window.EventHubDeskStore(SLUG);
  var kvGet = store.kvGet, kvSet = store.kvSet, queued = store.queued, enqueue = store.enqueue,
      dequeue = store.dequeue;

  // --- State -------------------------------------------------------------------------------------
  var state = shared.state = { netDown: false, token: null, roster: null, scope: null, waiting: [], refused: [],
                serverCount: null, stopped: null, syncing: false, pending: null, staleOk: null };

  function newNonce() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function sha256hex(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    });
  }

  function scopeFields(key) {
    var m = /^day-(\d{4}-\d{2}-\d{2})$/.exec(key);
    if (m) return { day: m[1] };
    m = /^session-(\d+)(?:-vehicle-(\d+))?$/.exec(key);
    if (m) return m[2] ? { session_id: +m[1], vehicle_id: +m[2] } : { session_id: +m[1] };
    return {};
  }

  // --- Talking to the server ---------------------------------------------------------------------
  function api(url, options) {
    options = options || {};
    options.headers = Object.assign({ "Accept": "application/json", "Authorization": "Bearer " + state.token },
                                    options.headers || {});
    options.credentials = "omit";  // the desk's token, not the browser's sign-in
    options.cache = "no-store";
    return fetch(url, options).then(function (response) {
      state.netDown = false;
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }, function (error) {
      state.netDown = true;  // the browser may think it is online: a request that fails says otherwise
      render();
      throw error;
    });
  }

  function online() { return navigator.onLine && !state.netDown; }

  function stopDesk(answer) {
    // A revoked (or no longer allowed) desk: nothing more is sent; the queue stays on the phone.
    state.stopped = answer.body.message || t("server_error").replace("{status}", String(answer.status));
    render();
  }

  function loadRoster() {
    var scope = state.scope ? "?scope=" + encodeURIComponent(state.scope) : "";
    return api(app.dataset.roster + scope).then(function (answer) {
      if (answer.status === 401 || answer.status === 403) return stopDesk(answer);
      if (answer.status === 400 && state.scope) { state.scope = null; return loadRoster(); }
      if (answer.status !== 200) return;
      state.roster = answer.body;
      state.scope = answer.body.scope;
      state.stopped = null;
      return Promise.all([kvSet("roster", answer.body), kvSet("scope", state.scope)]).then(render);
    });
  }

  function loadRecent() {
    return api(app.dataset.recent + "?scope=" + encodeURIComponent(state.scope)).then(function (answer) {
      if (answer.status === 401 || answer.status === 403) return stopDesk(answer);
      if (answer.status !== 200) return;
      state.serverCount = answer.body.count;
      renderRecent(answer.body.recent);
      render();
    });
  }

  function body(item) {
    if (item.kind === "walk_in") {
      return JSON.stringify(Object.assign({ submission_key: item.nonce, scope: item.scope, scanned_at: item.scanned_at },
                                          item.fields));
    }
    var data = Object.assign({ nonce: item.nonce, scanned_at: item.scanned_at,
                               desk: (state.roster && state.roster.desk) || "" }, scopeFields(item.scope));
    if (item.token) data.token = item.token; else data.registration_id = item.registration_id;
    if (item.override) { data.override = true; data.override_reason = item.override_reason; }
    return JSON.stringify(data);
  }

  function send(item) {
    return api(item.kind === "walk_in" ? app.dataset.walkIn : app.dataset.checkin,
               { method: "POST", body: body(item), headers: { "Content-Type": "application/json" } });
  }

  // Send the queue, oldest first. A failure half way leaves the rest queued; their nonces make a
  // resent scan count once.
  function sync() {
    if (state.syncing || state.stopped || !state.token) return Promise.resolve();
    state.syncing = true;
    return queued().then(function (items) {
      var chain = Promise.resolve();
      items.forEach(function (item) {
        chain = chain.then(function (go) {
          if (go === false) return false;
          return send(item).then(function (answer) {
            if (answer.status === 200 || answer.status === 201) { markCheckedIn(item); return dequeue(item.nonce); }
            var refusedHere = answer.status === 422 || answer.status === 400 || answer.body.error === "walk_in_forbidden";
            if (!refusedHere && (answer.status === 401 || answer.status === 403)) { stopDesk(answer); return false; }
            if (refusedHere) {
              var errors = answer.body.errors ? Object.keys(answer.body.errors).map(function (k) { return answer.body.errors[k]; }) : [];
              state.refused.push({ name: item.name, message: errors.length ? errors.join(" ") : answer.body.message || "" });
              return kvSet("refused", state.refused).then(function () { return dequeue(item.nonce); });
            }
            return false;  // the server is in trouble: try again later
          });
        });
      });
      return chain;
    }).catch(function () { /* no network: the queue waits */ })
      .then(function () { state.syncing = false; return refreshWaiting(); });
  }

  function markCheckedIn(item) {
    if (item.kind === "walk_in") return;  // on the list at its next load
    var person = findPerson(item.registration_id);
    if (person && item.scope === state.scope) person.checked_in = true;
  }

  function refreshWaiting() {
    return queued().then(function (items) { state.waiting = items; render(); });
  }

  // --- Checking a scan -------------------------------------------------------------------------
  function findPerson(id) {
    var people = (state.roster && state.roster.people) || [];
    for (var i = 0; i < people.length; i++) if (people[i].id === id) return people[i];
    return null;
  }

  function newItem(fields) {
    return Object.assign({ nonce: newNonce(), slug: SLUG, scope: state.scope, scanned_at: new Date().toISOString() },
                         fields);
  }

  function scan(code) {
    code = code.trim().toUpperCase();
    if (!code) return;
    if (staleWarning()) return show("decision", t("roster_old_first"), null, null);
    submit(newItem({ token: code }));
  }

  // A person chosen from the search (no badge): the same path as a scan, by registration id.
  function checkPerson(person) {
    if (staleWarning()) return show("decision", t("roster_old_first"), null, null);
    submit(newItem({ registration_id: person.id }));
  }

  function submit(item) {
    if (!online()) return submitOffline(item);
    send(item).then(function (answer) {
      if (answer.status === 401 || answer.status === 403) { stopDesk(answer); return showAnswer("refused", answer.body, item); }
      if (answer.status >= 500) return submitOffline(item);
      var kind = answer.status === 201 ? "new" : answer.status === 200 ? "already" : "refused";
      if (kind === "refused" && answer.body.needs_override) kind = "decision";
      showAnswer(kind, answer.body, item);
      if (kind !== "refused" && kind !== "decision") loadRecent();
    }, function () { submitOffline(item); });
  }

  function submitOffline(item) {
    return item.token ? scanOffline(item) : checkOffline(item, findPerson(item.registration_id));
  }

  function scanOffline(item) {
    var m = /^EH1\.(\d{1,12})\.(\d{1,12})\.(\d{1,6})\.([A-Z2-7]{26})$/.exec(item.token);
    if (!m) return showLocal("refused", t("invalid"), null);
    if (!state.roster) return showLocal("refused", t("no_roster"), null);
    if (+m[1] !== state.roster.event_id) return showLocal("refused", t("other_event"), null);
    sha256hex(item.token).then(function (digest) {
      var people = state.roster.people, person = null;
      for (var i = 0; i < people.length; i++) if (people[i].digest === digest) { person = people[i]; break; }
      if (!person) return showLocal("refused", t("unknown_offline"), null);
      checkOffline(item, person);
    });
  }

  // What the desk's copy says of this person for the scope: queued when it lets them in.
  function checkOffline(item, person) {
    if (!person) return showLocal("refused", t("no_roster"), null);
    if (person.problems.length) {
      var red = person.status === "cancelled" || person.status === "declined";
      return showLocal(red ? "refused" : "decision", person.refusal + " " + t("override_offline"), person);
    }
    var already = person.checked_in || state.waiting.some(function (q) {
      return q.registration_id === person.id && q.scope === state.scope;
    });
    if (already) return showLocal("already", t("queued_already"), person);
    item.registration_id = person.id;
    item.name = person.name;
    // Green only once the scan is kept: a reload or a closed tab then loses nothing.
    enqueue(item).then(refreshWaiting).then(function () { showLocal("new", t("queued"), person); },
                                            function () { showLocal("error", t("not_kept"), person); });
  }

  // A walk-in: sent at once online (errors come back by field), queued when there is no network.
  function walkIn(fields, name, fieldErrors) {
    var item = newItem({ kind: "walk_in", fields: fields, name: name });
    function queue() {
      return enqueue(item).then(refreshWaiting).then(function () {
        showLocal("new", t("walk_in_queued"), { name: name, name_local: fields.name_local });
        return true;
      });
    }
    if (!online()) return queue();
    return send(item).then(function (answer) {
      if (answer.status === 401 || answer.status === 403) {
        if (answer.body.error !== "walk_in_forbidden") stopDesk(answer);
        showAnswer("refused", answer.body, item);
        return true;
      }
      if (answer.status >= 500) return queue();
      if (answer.status === 400) { fieldErrors(answer.body.errors || {}, answer.body.message); return false; }
      showAnswer(answer.status === 422 ? "decision" : answer.status === 201 ? "new" : "already", answer.body, item);
      loadRoster().then(loadRecent).catch(render);
      return true;
    }, queue);
  }

  // --- Showing the answer full screen ------------------------------------------------------------
  var COLOURS = { "new": "green", already: "amber", decision: "amber", refused: "red", error: "red" };

  function showLocal(kind, message, person) {
    show(kind, message, person, null);
  }

  function showAnswer(kind, answer, item) {
    var person = answer.person ? {
      id: answer.person.registration_id, name: answer.person.name, name_local: answer.person.name_local,
      economy: answer.person.economy, category: answer.person.category_label,
      photo_consent: (findPerson(answer.person.registration_id) || {}).photo_consent
    } : null;
    // A waitlisted walk-in is registered: deciding on them is the registration list's business.
    var canOverride = kind === "decision" && item && item.kind !== "walk_in" && state.roster && state.roster.can_override;
    show(kind, answer.message || t("server_error").replace("{status}", "?"), person,
         canOverride ? { item: item, reason: answer.reason } : null);
  }

  function show(kind, message, person, override) {
    var box = $("result");
    box.className = "result result-" + COLOURS[kind];
    $("result-title").textContent = t(kind);
    $("result-name").textContent = person ? person.name : "";
    $("result-local").textContent = person && person.name_local ? person.name_local : "";
    $("result-meta").textContent = person ? [person.economy, person.category].filter(Boolean).join(" · ") : "";
    var photo = $("result-photo");
    photo.textContent = person && person.photo_consent !== undefined ? t(person.photo_consent ? "photo_yes" : "photo_no") : "";
    photo.className = "result-photo" + (person && person.photo_consent === false ? " no-photo" : "");
    $("result-message").textContent = message;
    var form = $("override-form");
    state.pending = override;
    form.hidden = !override;
    if (override) {
      var letIn = ["not_booked", "waitlisted_for_session", "other_vehicle"].indexOf(override.reason) >= 0;
      $("override-button").textContent = t(letIn ? "let_in" : "override");
      $("override-reason").value = letIn ? t("let_in_reason") : "";
    }
    box.hidden = false;
    signal(COLOURS[kind]);
    if (!override) $("code").focus();
  }

  $("result-close").addEventListener("click", function () { $("result").hidden = true; $("code").focus(); });

  // --- A list older than the event allows: warn before scanning with it --------------------------
  function rosterHours() {
    if (!state.roster || !state.roster.generated_at) return 0;
    return (Date.now() - Date.parse(state.roster.generated_at)) / 3600000;
  }
  function staleWarning() {
    // Online, scans are checked by the server and the list is reloaded every minute.
    return !!(state.roster && !online() && rosterHours() > (state.roster.max_age_hours || 12) &&
              state.staleOk !== state.roster.generated_at);
  }
  $("roster-warning-ok").addEventListener("click", function () {
    state.staleOk = state.roster && state.roster.generated_at;
    render();
    $("code").focus();
  });

  $("override-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var reason = $("override-reason").value.trim();
    if (!reason) { $("result-message").textContent = t("reason_first"); return; }
    var pending = state.pending;
    if (!pending) return;
    var item = Object.assign({}, pending.item, { nonce: newNonce(), override: true, override_reason: reason });
    send(item).then(function (answer) {
      var kind = answer.status === 201 ? "new" : answer.status === 200 ? "already" : "refused";
      showAnswer(kind, answer.body, item);
      loadRecent();
    }, function () { show("refused", t("override_offline"), null, null); });
  });

  // A short sound and a vibration where the device allows it.
  var audio = null;
  function signal(colour) {
    var tones = { green: [[880, 0.12]], amber: [[520, 0.1], [520, 0.1]], red: [[220, 0.35]] }[colour];
    if (navigator.vibrate) navigator.vibrate({ green: 80, amber: [80, 60, 80], red: 300 }[colour]);
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var at = audio.currentTime;
      tones.forEach(function (tone) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = tone[0];
        gain.gain.value = 0.15;
        osc.connect(gain).connect(audio.destination);
        osc.start(at);
        osc.stop(at + tone[1]);
        at += tone[1] + 0.06;
      });
    } catch (e) { /* no sound on this device */ }
  }

  // --- Rendering the rest -------------------------------------------------------------------------
  function render() {
    var banner = $("net-banner");
    var n = state.waiting.length;
    if (state.stopped) {
      banner.textContent = state.stopped;
      banner.className = "net-banner stopped";
    } else if (!online()) {
      banner.textContent = n ? tn("offline_waiting", n) : t("offline");
      banner.className = "net-banner offline";
    } else {
      banner.textContent = n ? tn("online_waiting", n) : t("online");
      banner.className = "net-banner online";
    }
    $("roster-warning").hidden = !staleWarning();
    if (staleWarning()) $("roster-warning-text").textContent = tn("roster_old", Math.floor(rosterHours()));
    if (state.roster) {
      $("event-title").textContent = state.roster.title;
      var select = $("scope");
      if (select.options.length !== state.roster.scopes.length) {
        select.textContent = "";
        state.roster.scopes.forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.key;
          option.textContent = c.label;
          select.appendChild(option);
        });
      }
      select.value = state.scope;
      var inScope = state.waiting.filter(function (q) { return q.scope === state.scope; }).length;
      var here = state.roster.people.filter(function (p) { return p.checked_in; }).length;
      var count = state.serverCount !== null && online() ? state.serverCount : Math.max(here, state.serverCount || 0);
      var scopeLabel = (state.roster.scopes.filter(function (c) { return c.key === state.scope; })[0] || {}).label ||
        state.roster.scope_label;
      $("desk-count").textContent = t("count").replace("{count}", String(count + inScope)).replace("{scope}", scopeLabel) +
        (inScope ? " " + tn("count_queued", inScope) : "");
    }
    var refused = $("sync-refused");
    refused.hidden = !state.refused.length;
    var list = $("sync-refused-list");
    list.textContent = "";
    state.refused.forEach(function (r) {
      var li = document.createElement("li");
      var strong = document.createElement("strong");
      strong.textContent = r.name || "";
      li.appendChild(strong);
      li.appendChild(document.createTextNode(" — " + r.message));
      list.appendChild(li);
    });
    if (shared.onRender) shared.onRender();
  }

  function renderRecent(recent) {
    var list = $("recent");
    list.textContent = "";
    if (!recent.length) {
      var empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = t("nobody");
      list.appendChild(empty);
    }
    recent.forEach(function (c) {
      var li = document.createElement("li");
      if (c.undone) li.className = "undone";
      var time = document.createElement("span");
      time.className = "time";
      time.textContent = c.time;
      li.appendChild(time);
      li.appendChild(document.createTextNode(" " + c.name + (c.name_local ? " " + c.name_local : "") + " · " + c.economy_code +
        (c.desk ? " · " + c.desk : "")));
      if (c.overridden) {
        var tag = document.createElement("span");
        tag.className = "tag";
        tag.textContent = t("override_tag");
        li.appendChild(tag);
      }
      list.appendChild(li);
    });
  }

  // --- Wiring ----------------------------------------------------------------------------------
  $("scan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var field = $("code");
    var code = field.value;
    field.value = "";
    field.focus();
    scan(code);
  });

  $("scope").addEventListener("change", function () {
    state.scope = $("scope").value;
    state.serverCount = null;
    kvSet("scope", state.scope).then(function () {
      if (online()) { loadRoster().then(loadRecent).catch(render); } else { render(); }
    });
  });

  $("sync-refused-clear").addEventListener("click", function () {
    state.refused = [];
    kvSet("refused", []).then(render);
  });

  var setupForm = $("setup-form");
  if (setupForm) {
    setupForm.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(app.dataset.setup, { method: "POST", body: new FormData(setupForm), credentials: "same-origin",
                                 headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.result !== "ok") throw new Error(answer.message);
          state.token = answer.token;
          return kvSet("token", answer.token).then(start);
        })
        .catch(function (error) {
          var message = $("setup-error");
          message.textContent = (error && error.message) || t("setup_failed");
          message.hidden = false;
        });
    });
  }

  function tick() {
    if (!navigator.onLine || !state.token || state.stopped) return render();
    sync().then(loadRecent).catch(render);
  }

  window.addEventListener("online", function () { sync().then(loadRoster).then(loadRecent).catch(render); });
  window.addEventListener("offline", render);

  function start() {
    if (shared.onStart) shared.onStart();
    $("setup").hidden = true;
    $("desk-main").hidden = false;
    $("code").focus();
    render();
    if (navigator.onLine) {
      loadRoster().then(sync).then(loadRecent).catch(render);
    }
    setInterval(tick, POLL_MS);
    setInterval(function () { if (online() && !state.stopped) loadRoster().catch(render); }, ROSTER_MS);
  }

  Promise.all([kvGet("token"), kvGet("roster"), kvGet("scope"), kvGet("refused"), queued()]).then(function (kept) {
    state.token = kept[0] || null;
    state.roster = kept[1] || null;
    state.scope = kept[2] || (state.roster && state.roster.scope) || null;
    state.refused = kept[3] || [];
    state.waiting = kept[4];
    if (!state.token) { $("setup").hidden = false; return; }
    start();
  });

  // --- The installable app: the service worker keeps the desk's shell for offline use ----------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.dataset.sw, { scope: app.dataset.scopeUrl }).catch(function () {});
  }

  // The camera (camera.js) hands what it reads to the same scan as the field.
  shared.scan = scan;
  shared.checkPerson = checkPerson;
  shared.walkIn = walkIn;
  shared.fail = function (message) { show("error", message, null, null); };
})();
