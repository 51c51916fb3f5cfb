// Reader view: the same in-page annotator as the extension (extension/annotator/annotator.js,
// served as static/annotator/annotator.js), on the reader's text. Its text content is exactly
// the page text the server stores, so the W3C TextPositionSelector offsets are offsets into it.
// API calls go to our own API with the session (same origin, CSRF header); every highlight
// made here is saved on the bookmark being read.
(() => {
  "use strict";
  const container = document.getElementById("reader-text");
  const config = document.getElementById("reader-annotator");
  if (!container || !config || !window.CommonplaceAnnotator || !window.ApacheAnnotator) return;
  const options = JSON.parse(config.textContent);
  const t = window.CommonplaceAnnotatorText(window.CommonplaceAnnotatorStrings);

  const csrfToken = () => {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  };

  const api = {
    request: async (method, path, body) => {
      try {
        const response = await fetch(path, {
          method,
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const data = response.status === 204 ? null : await response.json().catch(() => ({}));
        return { status: response.status, data };
      } catch (error) {
        return { status: 0, data: { detail: t("errorNetwork") } };
      }
    },
    storageGet: async () => undefined,
    storageSet: async () => undefined,
  };

  window.CommonplaceAnnotator.start({
    api,
    t,
    root: container,
    url: options.url,
    title: options.title,
    bookmark: options.readOnly ? undefined : { id: options.bookmark, place: options.place },
    readOnly: options.readOnly,
    adopt: "mark.reader-mark",
  });
})();
