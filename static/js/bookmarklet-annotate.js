/* The "Annotate with Commonplace" bookmarklet (source; accounts/templatetags/bookmarklet.py makes
   it a javascript: URL, so block comments only). It opens our popup at once (while the click
   still counts as the user's), then loads the in-page annotator from our site into the page.
   When the page's Content-Security-Policy refuses our scripts (a script error or a
   securitypolicyviolation event), it closes the popup and says to use the extension instead. */
(function () {
  var site = "__SITE_URL__";
  var files = "__FILES__";
  var blocked = "__BLOCKED_MESSAGE__";
  if (window.__commonplaceBookmarklet) {
    return;
  }
  var popup = window.open(site + "/bookmarklet/annotate", "commonplace_annotate", "width=520,height=460");
  var state = { site: site, popup: popup, failed: false };
  window.__commonplaceBookmarklet = state;
  var fail = function () {
    if (state.failed) {
      return;
    }
    state.failed = true;
    if (popup) {
      popup.close();
    }
    window.__commonplaceBookmarklet = undefined;
    window.alert(blocked);
  };
  document.addEventListener("securitypolicyviolation", function (event) {
    if (String(event.blockedURI || "").indexOf(site) === 0) {
      fail();
    }
  });
  var load = function (index) {
    if (index >= files.length || state.failed) {
      return;
    }
    var script = document.createElement("script");
    script.src = files[index];
    script.onload = function () {
      load(index + 1);
    };
    script.onerror = fail;
    (document.head || document.documentElement).appendChild(script);
  };
  load(0);
})();
