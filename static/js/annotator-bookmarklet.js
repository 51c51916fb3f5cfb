/* The annotate bookmarklet's host for the in-page annotator, in someone else's page: it waits
   for the token our popup posts (bound to this page's origin, one hour), then starts the
   annotator with API calls that carry that token and never our cookies (credentials: "omit"). */
(function () {
  "use strict";
  var state = window.__commonplaceBookmarklet;
  if (!state || state.listening || !window.CommonplaceAnnotator) {
    return;
  }
  state.listening = true;
  var siteOrigin = new URL(state.site).origin;
  var token = null;
  var strings = {};
  var t = function (key, value) {
    var text = typeof strings[key] === "string" ? strings[key] : key;
    return value === undefined ? text : text.replace("%s", value);
  };
  var memory = {};
  var api = {
    request: function (method, path, body) {
      return fetch(state.site + path, {
        method: method,
        mode: "cors",
        credentials: "omit",
        headers: { Authorization: "Bookmarklet " + token, "Content-Type": "application/json", Accept: "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
        .then(function (response) {
          if (response.status === 204) {
            return { status: 204, data: null };
          }
          return response.json().then(
            function (data) {
              return { status: response.status, data: data };
            },
            function () {
              return { status: response.status, data: {} };
            },
          );
        })
        .catch(function () {
          return { status: 0, data: { detail: t("errorNetwork") } };
        });
    },
    /* nothing is kept in the page's own storage, which the page can read */
    storageGet: function (key) {
      return Promise.resolve(memory[key]);
    },
    storageSet: function (key, value) {
      memory[key] = value;
      return Promise.resolve();
    },
  };
  window.addEventListener("message", function (event) {
    if (event.origin !== siteOrigin || event.source !== state.popup || !event.data) {
      return;
    }
    if (event.data.type === "commonplace:annotate-ready") {
      state.popup.postMessage({ type: "commonplace:annotate-hello" }, siteOrigin);
    } else if (event.data.type === "commonplace:annotate-token" && typeof event.data.token === "string" && !token) {
      token = event.data.token;
      strings = event.data.strings || {};
      window.CommonplaceAnnotator.start({ api: api, t: t });
    }
  });
})();
