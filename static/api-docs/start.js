// Renders the API reference from the description the server generates (no inline script: CSP).
(function () {
  var el = document.getElementById("redoc");
  Redoc.init(el.getAttribute("data-spec-url"), { hideDownloadButton: false, disableSearch: false }, el);
})();
