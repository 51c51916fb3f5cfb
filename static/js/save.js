// The save form's live behaviour (no inline scripts: strict CSP).
// - Private only exists in My library: the box is disabled while a group is ticked.
// - As the URL is typed: "already saved here?" (save/check) and the page's title and
//   description (save/preview, the server's guarded fetcher), offered in empty fields.
// - The bookmarklet opens this page and hands the selection over by postMessage.
(function () {
  "use strict";
  const form = document.querySelector("form.save-form");
  if (!form) return;
  const field = (name) => form.elements.namedItem(name);
  const url = field("url");
  const privateBox = field("private");
  const notice = document.getElementById("save-check");
  const status = document.getElementById("save-preview-status");
  const destinations = () => Array.from(form.querySelectorAll("input[name=destination]"));

  // --- private only in my library ---------------------------------------------------------
  function syncPrivate() {
    const group = destinations().some((box) => box.checked && box.value !== "me");
    if (!privateBox) return;
    if (group && privateBox.checked) privateBox.checked = false;
    privateBox.disabled = group;
    privateBox.closest(".form-row").classList.toggle("disabled", group);
  }

  // --- filling fields the user has not written in -----------------------------------------
  // A field we filled (data-filled holds what we put) may be refilled; one the user typed in
  // is never overwritten.
  function offer(name, value) {
    const input = field(name);
    if (!input || !value) return;
    if (input.value === "" || input.value === input.dataset.filled) {
      input.value = value;
      input.dataset.filled = value;
    }
  }

  function looksLikeURL(value) {
    return /^https?:\/\/[^\s/]+\.[^\s]+|^https?:\/\/[^\s/]+:\d+/i.test(value.trim());
  }

  let timer = null;
  let generation = 0;
  async function lookUp() {
    const value = url.value.trim();
    const mine = ++generation;
    if (!looksLikeURL(value)) {
      notice.replaceChildren();
      return;
    }
    const query = new URLSearchParams({ url: value });
    destinations().filter((b) => b.checked).forEach((b) => query.append("destination", b.value));
    const options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    try {
      const checked = await (await fetch(form.dataset.checkUrl + "?" + query, options)).json();
      if (mine !== generation) return;
      notice.innerHTML = checked.notice || "";
      if (checked.existing) {
        offer("title", checked.existing.title);
        offer("description", checked.existing.description);
        offer("tags", checked.existing.tags);
      }
      if (field("title").value && field("description").value) return;
      status.textContent = status.dataset.loading || "";
      const previewQuery = new URLSearchParams({ url: value });
      const answer = await fetch(form.dataset.previewUrl + "?" + previewQuery, options);
      const preview = await answer.json();
      if (mine !== generation) return;
      status.textContent = preview.error || "";
      offer("title", preview.title);
      offer("description", preview.description);
    } catch (error) {
      if (mine === generation) status.textContent = "";
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 350);
  }

  // --- the bookmarklet's hand-over ---------------------------------------------------------
  function receive(event) {
    if (event.source !== window.opener || !event.data || event.data.type !== "commonplace:selection") {
      return;
    }
    window.removeEventListener("message", receive);
    const data = event.data;
    if (data.url && !url.value) url.value = String(data.url);
    if (data.title) offer("title", String(data.title));
    const quote = String(data.quote || "");
    if (quote) {
      field("quote").value = quote;
      field("prefix").value = String(data.prefix || "");
      field("suffix").value = String(data.suffix || "");
      form.querySelector(".quote-row").hidden = false;
    }
    form.dataset.handedOver = "1";
    lookUp();
  }

  const params = new URLSearchParams(location.search);
  if (params.get("handoff") === "1" && window.opener) {
    window.addEventListener("message", receive);
    // The opener's origin is unknown (any site): the message carries nothing but "ready".
    window.opener.postMessage({ type: "commonplace:ready" }, "*");
  }

  url.addEventListener("input", schedule);
  url.addEventListener("change", schedule);
  destinations().forEach((box) =>
    box.addEventListener("change", () => {
      syncPrivate();
      schedule();
    })
  );
  syncPrivate();
  if (url.value) lookUp();
})();
