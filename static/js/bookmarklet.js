/* The "Save to Commonplace" bookmarklet (source). The server turns it into a javascript: URL
   (accounts/templatetags/bookmarklet.py): comments and line breaks removed, __SITE_URL__
   replaced. It runs on other people's pages, so it only reads the page and opens a window:
   no script or style injected, nothing that a strict CSP on either site would refuse. */
(function () {
  var site = "__SITE_URL__";
  var CONTEXT = 32;
  var MAX_QUOTE = 5000;
  var squash = function (text) {
    return String(text || "").replace(/\s+/g, " ");
  };
  var quote = "";
  var prefix = "";
  var suffix = "";
  var selection = window.getSelection ? window.getSelection() : null;
  if (selection && selection.rangeCount && !selection.isCollapsed) {
    var range = selection.getRangeAt(0);
    quote = squash(selection.toString()).trim().slice(0, MAX_QUOTE);
    try {
      var root = document.body || document.documentElement;
      var before = document.createRange();
      before.setStart(root, 0);
      before.setEnd(range.startContainer, range.startOffset);
      prefix = squash(before.toString()).slice(-CONTEXT);
      var after = document.createRange();
      after.setStart(range.endContainer, range.endOffset);
      after.setEnd(root, root.childNodes.length);
      suffix = squash(after.toString()).slice(0, CONTEXT);
    } catch (e) {
      prefix = suffix = "";
    }
  }
  /* Only the address (and the title, when short) travel in the popup's URL: a long one is
     refused by servers ("URI Too Long"). Everything, the selection included, goes by
     postMessage once the popup says it is ready; window.open and postMessage are not
     governed by the page's CSP (no script, style, frame, form or fetch of ours runs here). */
  var origin = new URL(site).origin;
  var data = {
    type: "commonplace:selection",
    url: location.href,
    title: document.title,
    quote: quote,
    prefix: quote ? prefix : "",
    suffix: quote ? suffix : "",
  };
  var query = "handoff=1";
  var address = encodeURIComponent(location.href);
  var title = encodeURIComponent(document.title || "");
  if (address.length < 2000) {
    query += "&url=" + address;
    if (title && address.length + title.length < 2000) {
      query += "&title=" + title;
    }
  }
  var target = site + "/save?" + query;
  var opened = window.open(target, "commonplace_save", "width=760,height=720,scrollbars=yes");
  if (opened) {
    var listener = function (event) {
      if (event.source === opened && event.origin === origin && event.data &&
          event.data.type === "commonplace:ready") {
        window.removeEventListener("message", listener);
        opened.postMessage(data, origin);
      }
    };
    window.addEventListener("message", listener);
    setTimeout(function () {
      window.removeEventListener("message", listener);
    }, 120000);
    opened.focus();
  } else {
    location.href = target; /* pop-ups blocked: go there in this tab (without the selection) */
  }
})();
