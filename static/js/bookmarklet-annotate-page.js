/* The annotate bookmarklet's popup (our origin, with the session): learn the opener's origin
   from its answer (event.origin, set by the browser), ask the user, then post that origin, and
   only it, an hour-long token bound to it (library/bookmarklet.py). */
(function () {
  "use strict";
  var box = document.getElementById("annotate-consent");
  if (!box) {
    return;
  }
  var show = function (id) {
    ["annotate-waiting", "annotate-ask", "annotate-done", "annotate-error"].forEach(function (other) {
      document.getElementById(other).hidden = other !== id;
    });
  };
  var opener = window.opener;
  if (!opener) {
    show("annotate-error");
    return;
  }
  var origin = null;
  var ready = function () {
    if (!origin) {
      opener.postMessage({ type: "commonplace:annotate-ready" }, "*"); /* says nothing but "ready" */
    }
  };
  var timer = setInterval(ready, 300);
  ready();
  window.addEventListener("message", function (event) {
    if (origin || event.source !== opener || !event.data || event.data.type !== "commonplace:annotate-hello") {
      return;
    }
    origin = event.origin;
    clearInterval(timer);
    document.getElementById("annotate-origin").textContent = origin;
    show("annotate-ask");
    document.getElementById("annotate-allow").focus();
  });
  var csrfToken = function () {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  };
  document.getElementById("annotate-cancel").addEventListener("click", function () {
    window.close();
  });
  document.getElementById("annotate-allow").addEventListener("click", function () {
    fetch(box.dataset.tokenUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ origin: origin }).toString(),
    })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response);
      })
      .then(function (data) {
        opener.postMessage(
          { type: "commonplace:annotate-token", token: data.token, strings: window.CommonplaceAnnotatorStrings || {} },
          origin,
        );
        show("annotate-done");
        setTimeout(function () {
          window.close();
        }, 800);
      })
      .catch(function () {
        show("annotate-error");
      });
  });
})();
