/* Starts Swagger UI on the API docs page (a file, not an inline script: strict CSP). */
(function () {
  "use strict";
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  window.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("swagger-ui");
    window.ui = SwaggerUIBundle({
      url: root.dataset.schemaUrl,
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      plugins: [SwaggerUIBundle.plugins.DownloadUrl],
      layout: "BaseLayout",
      // "Try it out" with the browser session: Django wants the CSRF token on writes.
      requestInterceptor: function (request) {
        if (!/^(GET|HEAD|OPTIONS)$/i.test(request.method || "GET")) {
          request.headers["X-CSRFToken"] = csrfToken();
        }
        return request;
      },
    });
  });
})();
