// Site-wide behaviour that the pages share (loaded by base.html, allowed by the CSP).
document.documentElement.classList.add("js");

// A wide table scrolls inside its own box, reachable by keyboard, never the whole page.
function urbisWrapTables(root) {
  root.querySelectorAll("table").forEach(function (table) {
    var parent = table.parentElement;
    if (!parent || parent.classList.contains("table-scroll")) return;
    var box = document.createElement("div");
    box.className = "table-scroll";
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    var caption = table.querySelector("caption");
    var heading = caption ? caption.textContent.trim() : "";
    box.setAttribute("aria-label", heading ? heading.slice(0, 80) : "Table");
    parent.insertBefore(box, table);
    box.appendChild(table);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  urbisWrapTables(document);
  // Content swapped in by htmx (a ledger, a panel) brings its own tables.
  document.body.addEventListener("htmx:afterSettle", function () {
    urbisWrapTables(document);
  });
  // The phone menu: the "Menu" button opens and closes the main navigation.
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    nav.classList.toggle("open", !open);
  });
});
