// Options: the site's address, and the connect flow. The site's connect page gets
// sha256(verifier); once the user approves there, the verifier collects the token (once).
"use strict";

const t = (key, value) => chrome.i18n.getMessage(key, value === undefined ? [] : [value]) || key;
for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);

const siteInput = document.getElementById("site");
const statusLine = document.getElementById("status");
const disconnect = document.getElementById("disconnect");
const autoInject = document.getElementById("auto-inject");

const say = (message, isError) => {
  statusLine.textContent = message;
  statusLine.classList.toggle("error", Boolean(isError));
};

const base64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function show() {
  const { site, token, username, autoInject: auto } = await chrome.storage.local.get([
    "site",
    "token",
    "username",
    "autoInject",
  ]);
  if (site) siteInput.value = site;
  autoInject.checked = Boolean(auto);
  disconnect.hidden = !token;
  if (token) say(t("connectedAs", username || "?"));
}

async function poll(site, verifier, until) {
  while (Date.now() < until) {
    try {
      const response = await fetch(`${site}/api/v1/extension/token/`, {
        method: "POST",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ verifier }),
      });
      if (response.status === 200) return (await response.json()).token;
      if (response.status !== 404) {
        const data = await response.json().catch(() => ({}));
        throw new Error(data.detail || t("errorStatus", String(response.status)));
      }
    } catch (error) {
      if (error instanceof TypeError) throw new Error(t("errorNetwork"));
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(t("connectTimedOut"));
}

document.getElementById("connect-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  let site;
  try {
    const parsed = new URL(siteInput.value.trim());
    if (!["http:", "https:"].includes(parsed.protocol)) throw new Error();
    site = parsed.origin;
  } catch (error) {
    say(t("badSite"), true);
    return;
  }
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(48)));
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  await chrome.storage.local.set({ site });
  await chrome.storage.local.remove(["token", "username"]);
  const label = `${navigator.userAgent.includes("Firefox") ? "Firefox" : "Chromium"} · ${new Date().toISOString().slice(0, 10)}`;
  const query = new URLSearchParams({ challenge, label });
  chrome.tabs.create({ url: `${site}/extension/connect/?${query}` });
  say(t("approveInTab"));
  try {
    const token = await poll(site, verifier, Date.now() + 10 * 60 * 1000);
    await chrome.storage.local.set({ token });
    const me = await fetch(`${site}/api/v1/me/`, { headers: { Authorization: `Bearer ${token}` }, credentials: "omit" });
    const data = await me.json().catch(() => ({}));
    await chrome.storage.local.set({ username: data.username || "" });
    await show();
  } catch (error) {
    say(error.message, true);
  }
});

disconnect.addEventListener("click", async () => {
  await chrome.storage.local.remove(["token", "username"]);
  disconnect.hidden = true;
  say(t("disconnected"));
});

autoInject.addEventListener("change", async () => {
  if (autoInject.checked) {
    const granted = await chrome.permissions.request({ origins: ["http://*/*", "https://*/*"] });
    if (!granted) {
      autoInject.checked = false;
      return;
    }
  }
  await chrome.storage.local.set({ autoInject: autoInject.checked });
  await chrome.runtime.sendMessage({ type: "auto-inject", enabled: autoInject.checked });
});

show();
