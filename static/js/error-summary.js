// After a failed submit, move the focus to the summary of what to fix (at the top of the form), so
// that keyboard and screen-reader users start there instead of wherever the page left them.
// Loaded on every page (base.html); does nothing on a page without an error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
});
