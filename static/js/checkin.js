/* Check-in desk: progressive enhancement of the scan form.
 *
 * Without this script the form posts and the page reloads with the result. With it, a scan is
 * sent in the background, the answer is shown at once, the field is cleared and focused again
 * for the next badge, and each scan gets a fresh nonce so a retried request records once.
 * Where the browser has BarcodeDetector (Chrome on Android, for instance), the phone's camera
 * can read QR codes too. No library, no CDN.
 */
(function () {
  "use strict";

  // The scope list scrolls: show the chosen scope in it, without moving the page.
  var scopeList = document.getElementById("scope-list");
  var chosen = scopeList && scopeList.querySelector("input:checked");
  if (chosen) {
    var option = chosen.closest("label");
    scopeList.scrollTop = option.offsetTop - scopeList.offsetTop - scopeList.clientHeight / 3;
  }

  // Every message is rendered by the desk template in the page's language (a JSON block, not script).
  var messagesBlock = document.getElementById("desk-messages");
  var MESSAGES = {};
  try { MESSAGES = JSON.parse(messagesBlock ? messagesBlock.textContent : "{}"); } catch (e) { MESSAGES = {}; }
  function t(key) { return MESSAGES[key] || key; }

  var form = document.querySelector("[data-checkin-form]");
  if (!form || !window.fetch || !window.FormData) return;
  var field = form.querySelector("input[name=code]");
  var nonceField = form.querySelector("input[name=nonce]");
  var csrfField = form.querySelector("input[name=csrf_token]");
  var result = document.getElementById("scan-result");
  var counter = document.querySelector("#desk-count strong");
  var busy = false;

  function newNonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfField ? csrfField.value : "" }
    }).then(function (response) {
      return response.json().catch(function () {
        return { result: "error", message: t("server_error").replace("{status}", String(response.status)) };
      });
    });
  }

  function smallForm(action, extra) {
    var data = new FormData();
    if (csrfField) data.append("csrf_token", csrfField.value);
    ["scope", "desk"].forEach(function (name) {
      var input = form.querySelector("input[name=" + name + "]");
      if (input) data.append(name, input.value);
    });
    Object.keys(extra || {}).forEach(function (k) { data.append(k, extra[k]); });
    return data;
  }

  function show(answer) {
    result.textContent = "";
    var box = el("div", "scan-answer result-" + (answer.result || "error"));
    var known = ["new", "already_recorded", "refused", "undone", "search"];
    var heading = t(known.indexOf(answer.result) >= 0 ? answer.result : "not_recorded");
    box.appendChild(el("p", "scan-answer-title", heading));
    box.appendChild(el("p", "scan-answer-message", answer.message));
    var p = answer.person;
    if (p) {
      var who = el("p", "scan-answer-person");
      who.appendChild(el("strong", null, p.name));
      if (p.name_local) { who.appendChild(document.createTextNode(" ")); who.appendChild(el("span", "local", p.name_local)); }
      who.appendChild(document.createTextNode(" · " + p.economy + " · "));
      who.appendChild(el("span", "category-tag cat-" + p.category, p.category_label));
      who.appendChild(document.createTextNode(" "));
      who.appendChild(el("span", "badge badge-" + p.status, p.status_label || p.status));
      box.appendChild(who);
    }
    (answer.warnings || []).forEach(function (w) { box.appendChild(el("p", "scan-answer-warning", w)); });
    var actions = el("p", "actions");
    if (answer.undo_url) {
      var undo = el("button", "small danger", t("undo"));
      undo.type = "button";
      undo.addEventListener("click", function () {
        undo.disabled = true;
        post(answer.undo_url, smallForm()).then(function (a) {
          show(a);
          if (a.result === "undone" && counter) counter.textContent = String(Math.max(0, parseInt(counter.textContent, 10) - 1));
          field.focus();
        });
      });
      actions.appendChild(undo);
    }
    if (answer.result === "refused" && answer.needs_override && answer.can_override && p) {
      // The secretariat may record it anyway, with a reason that is stored with the check-in.
      var label = el("label", null, t("override_reason"));
      label.htmlFor = "override-reason";
      var reason = el("input");
      reason.type = "text";
      reason.id = "override-reason";
      reason.maxLength = 300;
      reason.required = true;
      var hint = el("span", "hint", " " + t("override_hint") + " ");
      var override = el("button", "small danger", t("override"));
      override.type = "button";
      override.addEventListener("click", function () {
        if (!reason.value.trim()) { reason.focus(); hint.textContent = " " + t("reason_first") + " "; return; }
        override.disabled = true;
        var data = smallForm(null, { registration_id: p.registration_id, override: "y",
                                     override_reason: reason.value, nonce: newNonce() });
        post(form.action.replace(/\/scan$/, "/person"), data).then(handle);
      });
      actions.className = "actions override-form";
      [label, reason, hint, override].forEach(function (n) { actions.appendChild(n); });
    }
    if (actions.childNodes.length) box.appendChild(actions);
    result.appendChild(box);
  }

  function handle(answer) {
    if (answer.result === "search" && answer.url) {
      window.location.assign(answer.url);
      return;
    }
    show(answer);
    if (answer.result === "new" && counter) counter.textContent = String(parseInt(counter.textContent, 10) + 1);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    var code = field.value.trim();
    if (!code) { field.focus(); return; }
    busy = true;
    var data = new FormData(form);
    post(form.action, data).then(function (answer) {
      handle(answer);
      field.value = "";
      nonceField.value = newNonce();  // the next scan is a new scan; a retry of this one is not
    }).catch(function () {
      show({ result: "error", message: t("offline") });
    }).then(function () {
      busy = false;
      field.focus();
    });
  });

  // --- The phone camera, where the browser can read QR codes itself --------------------------------
  var controls = form.querySelector(".camera-controls");
  var box = document.querySelector(".camera-box");
  var video = document.getElementById("camera-video");
  var toggle = document.getElementById("camera-toggle");
  if (!controls || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia) return;
  controls.hidden = false;

  var stream = null;
  var detector = null;
  var last = { value: "", at: 0 };

  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    box.hidden = true;
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = t("camera_start");
  }

  function tick() {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      var now = Date.now();
      if (codes.length && !busy) {
        var value = codes[0].rawValue;
        if (value && (value !== last.value || now - last.at > 4000)) {
          last = { value: value, at: now };
          field.value = value;
          if (form.requestSubmit) form.requestSubmit(); else form.dispatchEvent(new Event("submit", { cancelable: true }));
        }
      }
    }).catch(function () { /* a frame that could not be read */ }).then(function () {
      if (stream) setTimeout(tick, 250);
    });
  }

  toggle.addEventListener("click", function () {
    if (stream) { stop(); return; }
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) {
      show({ result: "error", message: t("camera_unsupported") });
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      box.hidden = false;
      toggle.setAttribute("aria-pressed", "true");
      toggle.textContent = t("camera_stop");
      return video.play();
    }).then(tick).catch(function () {
      stop();
      show({ result: "error", message: t("camera_failed") });
    });
  });
})();
