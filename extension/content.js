// Starts the shared annotator on the page the user asked to annotate. The page's own CSP does
// not apply to this script; API calls go through the background worker, which holds the token.
(() => {
  "use strict";
  if (window.__commonplaceStarted) return;
  window.__commonplaceStarted = true;
  const api = {
    request: (method, path, body) =>
      chrome.runtime.sendMessage({ type: "api", method, path, body }).then(
        (answer) => answer || { status: 0, data: { detail: chrome.i18n.getMessage("errorNetwork") } },
      ),
    storageGet: async (key) => (await chrome.storage.local.get(key))[key],
    storageSet: (key, value) => chrome.storage.local.set({ [key]: value }),
  };
  const t = (key, value) => chrome.i18n.getMessage(key, value === undefined ? [] : [value]) || key;
  chrome.storage.local.get("token").then(({ token }) => {
    if (!token) {
      window.alert(t("notConnected"));
      chrome.runtime.sendMessage({ type: "openOptions" });
      return;
    }
    window.CommonplaceAnnotator.start({ api, t });
  });
})();
