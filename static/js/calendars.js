// Calendar subscribe boxes: select the address on focus and offer a Copy button (progressive enhancement).
(function () {
  "use strict";
  document.querySelectorAll("input.calendar-url").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small calendar-copy";
    button.textContent = "Copy address";
    button.setAttribute("aria-controls", input.id);
    var status = document.createElement("span");
    status.className = "calendar-copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = "Copied.";
      }, function () {
        input.select();
        status.textContent = "Press Ctrl+C (⌘C) to copy.";
      });
    });
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);
  });
})();
