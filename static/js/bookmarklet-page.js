/* On our own pages the bookmarklet link is only for dragging to the bookmarks bar: our strict
   CSP refuses javascript: URLs here, so a click explains what to do instead. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.bookmarklet") : null;
    if (!link) {
      return;
    }
    event.preventDefault();
    var hint = document.getElementById(link.getAttribute("aria-describedby"));
    if (hint) {
      hint.classList.add("bookmarklet-hint-shown");
      hint.focus();
    }
  });
})();
