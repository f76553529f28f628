/* The phone desk's search and walk-ins. The search looks through the desk's own list of
 * participants, so it works offline too; a person found is checked in like a scan (by id). The
 * walk-in button is there only for staff who may register walk-ins (the roster says so); the
 * form has no preselected sex: a guessed answer would be counted as if the person had given it.
 * Loaded after desk.js, whose EventHubDesk it uses. */
(function () {
  "use strict";
  var desk = window.EventHubDesk;
  if (!desk) return;
  var state = desk.state, t = desk.t;
  function $(id) { return document.getElementById(id); }
  var MAX_RESULTS = 20;

  // Case and accents do not matter: "le van" finds "Lê Văn".
  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function matches(person, words) {
    var hay = fold([person.name, person.name_local, person.economy, person.economy_code].join(" "));
    return words.every(function (w) { return hay.indexOf(w) >= 0; });
  }

  function waiting(person) {
    return state.waiting.some(function (q) { return q.registration_id === person.id && q.scope === state.scope; });
  }

  function renderSearch() {
    var list = $("search-results"), query = fold($("search").value.trim());
    list.textContent = "";
    $("search-none").hidden = true;
    $("walk-in-open").hidden = !(state.roster && state.roster.can_walk_in);
    if (!query || !state.roster) return;
    var words = query.split(/\s+/);
    var found = state.roster.people.filter(function (p) { return matches(p, words); }).slice(0, MAX_RESULTS);
    $("search-none").hidden = found.length > 0;
    found.forEach(function (person) {
      var li = document.createElement("li");
      var who = document.createElement("span");
      who.className = "who";
      var strong = document.createElement("strong");
      strong.textContent = person.name;
      who.appendChild(strong);
      var meta = [person.name_local, person.economy_code, person.status_label].filter(Boolean).join(" · ");
      who.appendChild(document.createTextNode(" " + meta));
      if (person.checked_in || waiting(person)) {
        var tag = document.createElement("span");
        tag.className = "tag";
        tag.textContent = t(person.checked_in ? "state_in" : "state_queued");
        who.appendChild(tag);
      }
      li.appendChild(who);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "primary";
      button.textContent = t("check_in_person");
      button.setAttribute("aria-label", t("check_in_person") + " " + person.name);
      button.addEventListener("click", function () { desk.checkPerson(person); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  $("search").addEventListener("input", renderSearch);
  $("search-form").addEventListener("submit", function (event) { event.preventDefault(); renderSearch(); });

  // --- Walk-ins -----------------------------------------------------------------------------------
  var form = $("walk-in-form");
  var FIELDS = ["given_name", "family_name", "name_local", "email", "economy", "organisation", "category"];

  function value(name) {
    var checked = form.querySelector("input[name=" + name + "]:checked");
    if (checked) return checked.value;
    var field = form.elements[name];
    return field && field.value !== undefined ? field.value.trim() : "";
  }

  function showErrors(errors, message) {
    var first = null, known = 0;
    errors = errors || {};
    ["given_name", "family_name", "name_local", "email", "economy", "organisation", "sex"].forEach(function (name) {
      var box = $("wi-" + name + "-error"), control = name === "sex" ? $("wi-sex") : $("wi-" + name);
      if (!box) return;
      box.textContent = errors[name] || "";
      box.hidden = !errors[name];
      if (errors[name]) { known++; control.setAttribute("aria-invalid", "true"); first = first || control; }
      else control.removeAttribute("aria-invalid");
    });
    var other = known ? "" : message || "";
    $("wi-error").textContent = other;
    $("wi-error").hidden = !other;
    if (first) (first.querySelector ? first.querySelector("input") || first : first).focus();
  }

  function check() {
    var errors = {};
    ["given_name", "family_name", "email"].forEach(function (name) { if (!value(name)) errors[name] = t("required"); });
    if (value("email") && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value("email"))) errors.email = t("email_invalid");
    if (!value("economy")) errors.economy = t("economy_missing");
    if (!value("sex")) errors.sex = t("sex_missing");
    return errors;
  }

  function close() {
    $("walk-in").hidden = true;
    $("walk-in-open").focus();
  }

  $("walk-in-open").addEventListener("click", function () {
    form.reset();
    showErrors({});
    var words = $("search").value.trim().split(/\s+/);
    if (words.length === 2) { form.elements.given_name.value = words[0]; form.elements.family_name.value = words[1]; }
    $("walk-in").hidden = false;
    $("wi-given_name").focus();
  });
  $("walk-in-cancel").addEventListener("click", close);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var errors = check();
    if (Object.keys(errors).length) return showErrors(errors);
    var fields = {};
    FIELDS.forEach(function (name) { fields[name] = value(name); });
    fields.economy = +fields.economy;
    fields.sex = value("sex");
    fields.funding = value("funding");
    var name = fields.given_name + " " + fields.family_name.toUpperCase();
    desk.walkIn(fields, name, showErrors).then(function (done) {
      if (done) { form.reset(); $("walk-in").hidden = true; $("search").value = ""; renderSearch(); }
    });
  });

  desk.onRender = renderSearch;
  renderSearch();
})();
