// Calendar subscribe boxes: select the address on focus and offer a Copy button (progressive enhancement).
(function () {
  "use strict";
  // The words come from the page (templates/calendars/_copy_messages.html), in the reader's language.
  var messages = {copy: "Copy address", copied: "Copied.", manual: "Press Ctrl+C (⌘C) to copy."};
  var source = document.getElementById("calendar-copy-messages");
  if (source) {
    try { messages = JSON.parse(source.textContent); } catch (e) { /* keep the English */ }
  }
  document.querySelectorAll("input.calendar-url").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small calendar-copy";
    button.textContent = messages.copy;
    button.setAttribute("aria-controls", input.id);
    var status = document.createElement("span");
    status.className = "calendar-copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = messages.copied;
      }, function () {
        input.select();
        status.textContent = messages.manual;
      });
    });
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);
  });
})();
