// Confirmation before an action that cannot be undone. A form (or the button that submits
// it) carrying data-confirm="This terminates 20 members as of 26 September 2023." asks that
// question first; cancelling submits nothing. A script file, not an inline handler: the
// Content Security Policy allows no inline script.
//
// The listener runs in the capture phase, before htmx's own submit listener on the form, so
// an htmx form (hx-post) is held back too.
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) {
        return;
      }
      var submitter = event.submitter;
      var question =
        (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
