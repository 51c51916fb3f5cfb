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
  var params = [
    ["url", location.href],
    ["title", document.title],
    ["quote", quote],
    ["prefix", quote ? prefix : ""],
    ["suffix", quote ? suffix : ""],
  ];
  var query = [];
  for (var i = 0; i < params.length; i++) {
    if (params[i][1]) {
      query.push(params[i][0] + "=" + encodeURIComponent(params[i][1]));
    }
  }
  var target = site + "/save?" + query.join("&");
  var opened = window.open(target, "commonplace_save", "width=760,height=720,scrollbars=yes");
  if (opened) {
    opened.focus();
  } else {
    location.href = target; /* pop-ups blocked: go there in this tab */
  }
})();
