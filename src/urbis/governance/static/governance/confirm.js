// Workspace: a form with a data-confirm attribute asks before it posts (irreversible steps
// of a meeting's lifecycle, removals). A script file, not an inline handler: the Content
// Security Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
