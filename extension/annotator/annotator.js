// The in-page annotator: paints the highlights and notes a reader may see on a page, anchored
// with the vendored @apache-annotator/dom (window.ApacheAnnotator), and offers a toolbar at the
// selection and a sidebar. Its UI lives in the shadow root of a <commonplace-annotator> element,
// so the page's CSS neither breaks it nor is broken by it. The host supplies `api` (how to reach
// the site's API) and `t` (translated strings): the extension's content script, the annotate
// bookmarklet (static/js/annotator-bookmarklet.js), or the site's reader view (static/js/reader.js),
// which also pins the destination to the bookmark being read.
(() => {
  "use strict";
  if (window.CommonplaceAnnotator) return;

  const COLORS = ["yellow", "green", "blue", "pink", "purple"];
  const PAINT = {
    yellow: "#fde68a",
    green: "#86efac",
    blue: "#93c5fd",
    pink: "#f9a8d4",
    purple: "#c4b5fd",
  };
  const CONTEXT = 32;
  const MAX_MATCHES = 50;

  const CSS = `
    :host { all: initial; }
    * { box-sizing: border-box; font: 14px/1.4 system-ui, sans-serif; color: #1f2937; }
    button { cursor: pointer; border: 1px solid #9ca3af; background: #fff; border-radius: 4px;
      padding: 2px 8px; }
    .toolbar { position: fixed; z-index: 2147483647; background: #fff; border: 1px solid #6b7280;
      border-radius: 6px; padding: 6px; box-shadow: 0 2px 8px rgba(0,0,0,.25);
      max-width: min(360px, calc(100vw - 8px)); }
    .label { font-weight: 600; margin-right: 2px; }
    .toolbar[hidden], .sidebar[hidden], [hidden] { display: none !important; }
    .swatch { width: 22px; height: 22px; padding: 0; margin-right: 2px; }
    .row { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; margin-top: 4px; }
    textarea { width: 100%; min-height: 48px; }
    select { max-width: 200px; }
    .error { color: #b91c1c; }
    .status { margin: 4px 0 0; } .status:empty { display: none; }
    .toggle { position: fixed; right: 0; top: 40%; z-index: 2147483646; writing-mode: vertical-rl;
      border-radius: 6px 0 0 6px; background: #1e3a8a; color: #fff; border: 0; padding: 8px 4px; }
    .sidebar { position: fixed; right: 0; top: 0; bottom: 0; width: min(340px, 100vw); overflow: auto;
      z-index: 2147483646; background: #f9fafb; border-left: 1px solid #9ca3af; padding: 8px; }
    .item { border-left: 4px solid #d1d5db; background: #fff; margin: 6px 0; padding: 6px; }
    .quote { font-style: italic; cursor: pointer; }
    .meta { color: #4b5563; font-size: 12px; }
    .orphan .quote { cursor: default; }
    h2 { font-weight: 600; margin: 8px 0 4px; }
  `;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(key, value === true ? "" : value);
      }
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };

  const errorText = (response, t) => {
    const data = response.data || {};
    if (data.detail) return String(data.detail);
    const messages = Object.values(data).flat().filter((m) => typeof m === "string");
    return messages.length ? messages.join(" ") : t("errorStatus", String(response.status));
  };

  /** Start annotating `root` (default document.body). Returns the annotator's controls.
   *  `bookmark` ({id, place}) saves every highlight on that bookmark (the reader view) instead
   *  of offering a destination; `readOnly` paints and shows threads but offers no toolbar;
   *  `adopt` is a selector of marks already in `root` (painted by the server) to take over. */
  async function start({ api, t, root = document.body, url = location.href, title, bookmark, readOnly, adopt }) {
    const anchorLib = window.ApacheAnnotator;
    const host = document.createElement("commonplace-annotator");
    const shadow = host.attachShadow({ mode: "open" });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } catch (error) {
      shadow.append(el("style", { text: CSS }));
    }
    document.documentElement.append(host);

    let annotations = [];
    let me = null;
    let saved = null; // the selection the toolbar acts on
    const marks = new Map(); // annotation id -> [mark elements]
    const removers = [];
    let groupFilter = "";

    // --- toolbar at the selection -------------------------------------------------------
    const destination = el("select", { class: "destination", "aria-label": t("destination") });
    const note = el("textarea", { class: "note", "aria-label": t("note"), maxlength: "10000" });
    const noteRow = el("div", { class: "row note-row", hidden: true }, note);
    const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
    let mode = "highlight";
    const swatches = COLORS.map((color) =>
      el("button", {
        class: `swatch color-${color}`,
        title: t(`color_${color}`),
        "aria-label": `${t("highlight")}: ${t(`color_${color}`)}`,
        "data-color": color,
        onmousedown: (event) => event.preventDefault(),
        onclick: () => save(color),
      }),
    );
    swatches.forEach((button) => {
      button.style.background = PAINT[button.dataset.color];
    });
    const noteButton = el("button", {
      class: "note-button",
      text: t("note"),
      onmousedown: (event) => event.preventDefault(),
      onclick: () => {
        mode = "note";
        noteRow.hidden = false;
        note.placeholder = t("notePlaceholder");
        note.focus();
      },
    });
    const commentButton = el("button", {
      class: "comment-button",
      text: t("comment"),
      onmousedown: (event) => event.preventDefault(),
      onclick: () => {
        mode = "comment";
        noteRow.hidden = false;
        note.placeholder = t("commentPlaceholder");
        note.focus();
      },
    });
    const place = bookmark
      ? el("span", { class: "place", text: bookmark.place || "" })
      : destination;
    const toolbar = el(
      "div",
      { class: "toolbar", hidden: true, role: "dialog", "aria-label": t("toolbar") },
      el("div", { class: "row" }, el("span", { class: "label", text: t("highlight") }), ...swatches, noteButton, commentButton),
      el("div", { class: "row" }, el("span", { text: t("saveInto") }), place),
      noteRow,
      status,
    );
    shadow.append(toolbar);

    const say = (message, isError) => {
      status.textContent = message || "";
      status.classList.toggle("error", Boolean(isError));
    };

    const hideToolbar = () => {
      toolbar.hidden = true;
      noteRow.hidden = true;
      note.value = "";
      mode = "highlight";
      say("");
    };

    const showToolbar = (range) => {
      const rect = range.getBoundingClientRect();
      toolbar.hidden = false;
      const top = rect.bottom + 8 + 140 > window.innerHeight ? rect.top - 130 : rect.bottom + 8;
      toolbar.style.top = `${Math.max(4, top)}px`;
      toolbar.style.left = `${Math.max(4, Math.min(rect.left, window.innerWidth - 370))}px`;
    };

    const followSelection = () => {
      const selection = document.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
        hideToolbar();
        saved = null;
        return;
      }
      const range = selection.getRangeAt(0);
      if (!root.contains(range.commonAncestorContainer) || !range.toString().trim()) return;
      saved = range.cloneRange();
      showToolbar(saved);
    };
    // The toolbar follows the selection once it is made: after the mouse button or the finger
    // is lifted, or (keyboard, touch handles) when the selection stops changing.
    let pressed = false;
    let settle = null;
    if (!readOnly) {
      document.addEventListener("pointerdown", (event) => {
        if (!event.composedPath().includes(host)) pressed = true;
      });
      document.addEventListener("pointercancel", () => (pressed = false));
      document.addEventListener("mouseup", (event) => {
        pressed = false;
        if (event.composedPath().includes(host)) return;
        setTimeout(followSelection, 0);
      });
      document.addEventListener("selectionchange", () => {
        clearTimeout(settle);
        // typing a note in the toolbar moves the focus (and the selection) into it: keep it open
        if (pressed || document.activeElement === host) return;
        settle = setTimeout(() => document.activeElement !== host && followSelection(), 250);
      });
      // "H" highlights the selection in the first colour, unless typing in a field
      document.addEventListener("keydown", (event) => {
        if (toolbar.hidden || !saved || (event.key !== "h" && event.key !== "H")) return;
        if (event.ctrlKey || event.metaKey || event.altKey || event.composedPath().includes(host)) return;
        if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
        event.preventDefault();
        save(COLORS[0]);
      });
    }

    const destinationKey = `destination:${location.host}`;
    const remembered = (await api.storageGet(destinationKey)) || "";

    const loadDestinations = async () => {
      if (readOnly || bookmark) return; // nothing to choose
      const response = await api.request("GET", "/api/v1/me/");
      if (response.status !== 200) {
        say(errorText(response, t), true);
        return;
      }
      me = response.data;
      destination.replaceChildren(el("option", { value: "", text: t("myLibrary") }));
      for (const group of me.groups) destination.append(el("option", { value: group.slug, text: group.name }));
      if ([...destination.options].some((o) => o.value === remembered)) destination.value = remembered;
    };
    destination.addEventListener("change", () => api.storageSet(destinationKey, destination.value));

    const describe = async (range) => {
      const position = await anchorLib.describeTextPosition(range, root);
      const text = root.textContent;
      let { start, end } = position;
      while (start < end && /\s/.test(text[start])) start += 1;
      while (end > start && /\s/.test(text[end - 1])) end -= 1;
      return {
        exact: text.slice(start, end),
        prefix: text.slice(Math.max(0, start - CONTEXT), start),
        suffix: text.slice(end, end + CONTEXT),
        start,
        end,
      };
    };

    const bookmarkFor = async (group) => {
      if (bookmark) return { id: bookmark.id };
      // my own save of this page in that place, else a new one (the API's rules apply)
      const query = new URLSearchParams({ url, user: me.username });
      if (group) query.set("group", group);
      const found = await api.request("GET", `/api/v1/bookmarks/?${query}`);
      if (found.status === 200) {
        const mine = found.data.results.find((b) => (b.group || "") === group);
        if (mine) return { id: mine.id };
      }
      const body = { url, title: title || document.title || "" };
      if (group) body.group = group;
      const created = await api.request("POST", "/api/v1/bookmarks/", body);
      if (created.status !== 200 && created.status !== 201) return { error: errorText(created, t) };
      return { id: created.data.id };
    };

    async function save(color) {
      if (!saved || (!me && !bookmark)) return;
      const selector = await describe(saved);
      if (!selector.exact) return;
      say(t("saving"));
      const group = destination.value;
      const target = await bookmarkFor(group);
      if (target.error) {
        say(target.error, true);
        return;
      }
      const text = note.value.trim();
      const body = { ...selector, color };
      if (mode === "note" && text) body.note = text;
      const made = await api.request("POST", `/api/v1/bookmarks/${target.id}/highlights/`, body);
      if (made.status !== 201) {
        say(errorText(made, t), true);
        return;
      }
      if (mode === "comment" && text) {
        const posted = await api.request("POST", `/api/v1/bookmarks/${target.id}/comments/`, {
          body: text,
          highlight: made.data.id,
        });
        if (posted.status !== 201) {
          say(errorText(posted, t), true);
          await refresh();
          return;
        }
      }
      document.getSelection().removeAllRanges();
      saved = null;
      hideToolbar();
      await refresh();
    }

    // --- painting ---------------------------------------------------------------------
    const quoteOf = (a) => a.selectors.find((s) => s.type === "TextQuoteSelector");
    const positionOf = (a) => a.selectors.find((s) => s.type === "TextPositionSelector");

    // The quote with its context first; then, for a page that changed around the passage,
    // less and less context; the position (the start offset) picks among several matches.
    const locate = async (annotation) => {
      const quote = quoteOf(annotation);
      if (!quote || !quote.exact) return null;
      const attempts = [
        quote,
        { ...quote, prefix: (quote.prefix || "").slice(-8), suffix: (quote.suffix || "").slice(0, 8) },
        { type: "TextQuoteSelector", exact: quote.exact },
      ];
      for (const attempt of attempts) {
        const range = await bestMatch(attempt, positionOf(annotation));
        if (range) return range;
      }
      return null;
    };

    const bestMatch = async (quote, hint) => {
      const matcher = anchorLib.createTextQuoteSelectorMatcher(quote);
      let best = null;
      let bestDistance = Infinity;
      let seen = 0;
      for await (const range of matcher(root)) {
        seen += 1;
        if (!hint) return range;
        const at = (await anchorLib.describeTextPosition(range, root)).start;
        const distance = Math.abs(at - hint.start);
        if (distance < bestDistance) {
          best = range;
          bestDistance = distance;
        }
        if (seen >= MAX_MATCHES) break;
      }
      return best;
    };

    let observer = null;
    const unpaint = () => {
      while (removers.length) removers.pop()();
      marks.clear();
    };

    const paint = async () => {
      if (observer) observer.disconnect();
      unpaint();
      for (const annotation of annotations) {
        let range = null;
        try {
          range = await locate(annotation);
        } catch (error) {
          range = null;
        }
        annotation.orphaned = !range;
        if (!range) continue;
        const remove = anchorLib.highlightText(range, "mark", {
          class: `commonplace-mark commonplace-${annotation.color}`,
          "data-commonplace-id": String(annotation.id),
        });
        removers.push(remove);
        const painted = [...root.querySelectorAll(`mark[data-commonplace-id="${annotation.id}"]`)];
        for (const mark of painted) {
          // CSSOM, not a style attribute: allowed under the strictest page CSP
          mark.style.setProperty("background-color", PAINT[annotation.color] || PAINT.yellow, "important");
          mark.style.setProperty("color", "inherit", "important");
          mark.style.setProperty("cursor", "pointer");
        }
        marks.set(annotation.id, painted);
      }
      renderSidebar();
      if (observer) observer.observe(root, { childList: true, subtree: true, characterData: true });
    };

    // Re-anchor when the page changes (debounced), never in answer to our own marks.
    let timer = null;
    observer = new MutationObserver((records) => {
      const ours = records.every((r) =>
        [...r.addedNodes, ...r.removedNodes, r.target].every(
          (n) => n.nodeType === 1 && (n.matches?.("mark.commonplace-mark") || n === host),
        ),
      );
      if (ours) return;
      clearTimeout(timer);
      timer = setTimeout(paint, 300);
    });

    root.addEventListener("click", (event) => {
      const mark = event.target.closest?.("mark.commonplace-mark");
      if (!mark) return;
      openSidebar();
      const item = sidebarList.querySelector(`[data-id="${mark.dataset.commonplaceId}"]`);
      if (item) {
        item.scrollIntoView({ block: "nearest" });
        openThread(item, Number(mark.dataset.commonplaceId));
      }
    });

    // --- sidebar ----------------------------------------------------------------------
    const groupSelect = el("select", {
      class: "group-filter",
      "aria-label": t("filterByGroup"),
      onchange: () => {
        groupFilter = groupSelect.value;
        renderSidebar();
      },
    });
    const sidebarList = el("div", { class: "list" });
    const orphanList = el("div", { class: "orphans" });
    const orphanHeading = el("h2", { text: t("orphaned") });
    const sidebarStatus = el("p", { class: "sidebar-status", role: "status" });
    const sidebar = el(
      "aside",
      { class: "sidebar", hidden: true, "aria-label": t("sidebar") },
      el(
        "div",
        { class: "row" },
        el("button", { class: "close", text: t("close"), onclick: () => (sidebar.hidden = true) }),
        groupSelect,
      ),
      sidebarStatus,
      sidebarList,
      orphanHeading,
      orphanList,
    );
    const toggle = el("button", {
      class: "toggle",
      "aria-label": t("sidebar"),
      onclick: () => (sidebar.hidden ? openSidebar() : (sidebar.hidden = true)),
    });
    shadow.append(toggle, sidebar);
    const openSidebar = () => {
      sidebar.hidden = false;
    };

    const documentOrder = (a, b) => {
      const ma = marks.get(a.id);
      const mb = marks.get(b.id);
      if (!ma || !mb) return 0;
      return ma[0].compareDocumentPosition(mb[0]) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    };

    const itemFor = (a) => {
      const where = a.group ? a.group.name : t("myLibrary");
      const item = el(
        "div",
        { class: `item${a.orphaned ? " orphan" : ""}`, "data-id": String(a.id), "data-color": a.color },
        el("div", {
          class: "quote",
          text: `“${a.exact.length > 200 ? `${a.exact.slice(0, 197)}…` : a.exact}”`,
          onclick: () => {
            const painted = marks.get(a.id);
            if (painted) painted[0].scrollIntoView({ block: "center" });
          },
        }),
        el("div", { class: "meta", text: `${a.author.name} · ${where}${a.status === "held" ? ` · ${t("held")}` : ""}` }),
        a.note ? el("div", { class: "note-text", text: a.note }) : null,
        el(
          "div",
          { class: "row" },
          el("button", {
            class: "thread-button",
            text: t("replies", String(a.reply_count)),
            onclick: () => openThread(item, a.id),
          }),
          a.mine
            ? el("button", { class: "edit-button", text: t("edit"), onclick: () => editNote(item, a) })
            : null,
          a.mine
            ? el("button", { class: "delete-button", text: t("delete"), onclick: () => remove(a) })
            : null,
        ),
        el("div", { class: "thread", hidden: true }),
      );
      item.style.borderLeftColor = PAINT[a.color] || PAINT.yellow;
      return item;
    };

    function renderSidebar() {
      const shown = annotations.filter(
        (a) => !groupFilter || (groupFilter === "-" ? !a.group : a.group && a.group.slug === groupFilter),
      );
      const placed = shown.filter((a) => !a.orphaned).sort(documentOrder);
      const orphans = shown.filter((a) => a.orphaned);
      sidebarList.replaceChildren(...placed.map(itemFor));
      orphanList.replaceChildren(...orphans.map(itemFor));
      orphanHeading.hidden = orphans.length === 0;
      sidebarStatus.textContent = annotations.length ? "" : t("noAnnotations");
      toggle.textContent = `Commonplace (${annotations.length})`;
      const groups = new Map(annotations.filter((a) => a.group).map((a) => [a.group.slug, a.group.name]));
      const current = groupSelect.value;
      groupSelect.replaceChildren(
        el("option", { value: "", text: t("allGroups") }),
        el("option", { value: "-", text: t("myLibrary") }),
        ...[...groups].map(([slug, name]) => el("option", { value: slug, text: name })),
      );
      groupSelect.value = current;
    }

    async function openThread(item, id) {
      const thread = item.querySelector(".thread");
      thread.hidden = false;
      const annotation = annotations.find((a) => a.id === id);
      const response = await api.request("GET", `/api/v1/bookmarks/${annotation.bookmark}/comments/?page_size=100`);
      if (response.status !== 200) {
        thread.replaceChildren(el("p", { class: "error", text: errorText(response, t) }));
        return;
      }
      const replies = response.data.results.filter((c) => c.highlight === id && c.body);
      const input = el("textarea", { class: "reply-text", "aria-label": t("reply"), maxlength: "10000" });
      const problem = el("p", { class: "error", role: "alert" });
      thread.replaceChildren(
        ...replies.map((c) =>
          el("div", { class: "reply" }, el("span", { class: "meta", text: `${c.author || "—"}: ` }), el("span", { text: c.body })),
        ),
        input,
        el("button", {
          class: "reply-button",
          text: t("reply"),
          onclick: async () => {
            const body = input.value.trim();
            if (!body) return;
            const posted = await api.request("POST", `/api/v1/bookmarks/${annotation.bookmark}/comments/`, {
              body,
              highlight: id,
            });
            if (posted.status !== 201) {
              problem.textContent = errorText(posted, t);
              return;
            }
            annotation.reply_count += 1;
            await openThread(item, id);
            item.querySelector(".thread-button").textContent = t("replies", String(annotation.reply_count));
          },
        }),
        problem,
      );
    }

    function editNote(item, annotation) {
      const input = el("textarea", { class: "edit-text", maxlength: "10000" });
      input.value = annotation.note;
      const problem = el("p", { class: "error", role: "alert" });
      const form = el(
        "div",
        { class: "edit" },
        input,
        el("button", {
          class: "save-edit",
          text: t("save"),
          onclick: async () => {
            const response = await api.request("PATCH", `/api/v1/highlights/${annotation.id}/`, { note: input.value });
            if (response.status !== 200) {
              problem.textContent = errorText(response, t);
              return;
            }
            await refresh();
          },
        }),
        problem,
      );
      item.append(form);
      input.focus();
    }

    async function remove(annotation) {
      const response = await api.request("DELETE", `/api/v1/highlights/${annotation.id}/`);
      if (response.status !== 204) {
        sidebarStatus.textContent = errorText(response, t);
        return;
      }
      await refresh();
    }

    async function refresh() {
      const found = [];
      let next = `/api/v1/annotations/?${new URLSearchParams({ uri: url, page_size: "100" })}`;
      while (next) {
        const response = await api.request("GET", next);
        if (response.status !== 200) {
          sidebarStatus.textContent = errorText(response, t);
          break;
        }
        found.push(...response.data.results);
        next = response.data.next ? new URL(response.data.next).pathname + new URL(response.data.next).search : null;
      }
      annotations = found;
      await paint();
      host.dataset.ready = "true";
    }

    await loadDestinations();
    if (adopt) {
      // the server's marks give way to ours (same text, same place: nothing moves)
      for (const mark of root.querySelectorAll(adopt)) mark.replaceWith(...mark.childNodes);
      root.normalize();
    }
    await refresh();
    return { refresh, host };
  }

  window.CommonplaceAnnotator = { start };
})();
