// The extension's worker: injects the annotator when the toolbar button or the shortcut is
// used (activeTab), on saved pages when the user opted in, and makes every API call with the
// token (the page never sees it).
"use strict";

const FILES = ["vendor/annotator.min.js", "annotator/annotator.js", "content.js"];
const PROBE_ID = "commonplace-saved-pages";

async function settings() {
  return chrome.storage.local.get(["site", "token"]);
}

async function callApi({ method, path, body }) {
  const { site, token } = await settings();
  if (!site || !token) return { status: 401, data: { detail: chrome.i18n.getMessage("notConnected") } };
  if (typeof path !== "string" || !path.startsWith("/api/")) return { status: 400, data: { detail: "Bad path." } };
  try {
    const response = await fetch(site + path, {
      method,
      credentials: "omit",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = response.status === 204 ? null : await response.json().catch(() => ({}));
    return { status: response.status, data };
  } catch (error) {
    return { status: 0, data: { detail: chrome.i18n.getMessage("errorNetwork") } };
  }
}

async function inject(tabId) {
  await chrome.scripting.executeScript({ target: { tabId }, files: FILES });
}

chrome.action.onClicked.addListener((tab) => inject(tab.id));

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message.type === "api") {
    callApi(message).then(reply);
    return true;
  }
  if (message.type === "openOptions") chrome.runtime.openOptionsPage();
  if (message.type === "saved-page?" && sender.tab) {
    // the probe on a page: annotate it when the user saved it
    const query = new URLSearchParams({ url: message.url, page_size: "1" });
    callApi({ method: "GET", path: `/api/v1/me/` }).then(async (me) => {
      if (me.status !== 200) return;
      query.set("user", me.data.username);
      const found = await callApi({ method: "GET", path: `/api/v1/bookmarks/?${query}` });
      if (found.status === 200 && found.data.count > 0) inject(sender.tab.id);
    });
  }
  if (message.type === "auto-inject") {
    setAutoInject(message.enabled).then(() => reply(true));
    return true;
  }
  return false;
});

async function setAutoInject(enabled) {
  const registered = await chrome.scripting.getRegisteredContentScripts({ ids: [PROBE_ID] });
  if (registered.length) await chrome.scripting.unregisterContentScripts({ ids: [PROBE_ID] });
  if (enabled) {
    await chrome.scripting.registerContentScripts([
      { id: PROBE_ID, matches: ["http://*/*", "https://*/*"], js: ["probe.js"], runAt: "document_idle" },
    ]);
  }
}
