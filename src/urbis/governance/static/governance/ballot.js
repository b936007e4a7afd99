// Web ballot: an election ballot marks at most as many candidates as there are seats (the
// server refuses more anyway); the counter says how many are marked. Delegated listeners, so
// a panel that htmx swaps in works the same. A script file: the CSP allows no inline script.
(function () {
  "use strict";
  function update(form) {
    var seats = parseInt(form.getAttribute("data-seats") || "0", 10);
    if (!seats) { return; }
    var boxes = form.querySelectorAll("input[type=checkbox][name=option]");
    var marked = 0;
    boxes.forEach(function (b) { if (b.checked) { marked += 1; } });
    boxes.forEach(function (b) { b.disabled = !b.checked && marked >= seats; });
    var counter = form.querySelector("[data-marked]");
    if (counter) {
      // The pattern is the page's language ("{n} of 3 marked", "{n}/3 표시" …).
      var pattern = counter.getAttribute("data-pattern") || "{n} of " + seats + " marked";
      counter.textContent = pattern.replace("{n}", marked);
    }
  }
  document.addEventListener("change", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form.ballot-form") : null;
    if (form) { update(form); }
  });
})();
