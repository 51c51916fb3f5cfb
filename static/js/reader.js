// Reader view: select a passage, pick a colour, press Highlight (or H). The selection is
// described with W3C TextPositionSelector offsets (vendored @apache-annotator/dom) over the
// text container, whose text content is exactly the page text the server stores, plus a
// TextQuoteSelector (exact, and 32 characters of prefix and suffix, as Hypothesis keeps).
(() => {
  "use strict";
  const container = document.getElementById("reader-text");
  const form = document.getElementById("highlight-form");
  const annotator = window.ApacheAnnotator;
  if (!container || !form || !annotator) return;

  const CONTEXT = 32;
  const selectionLabel = document.getElementById("highlight-selection");
  const statusLine = document.getElementById("highlight-status");
  const note = document.getElementById("highlight-note");
  const button = document.getElementById("highlight-button");
  let saved = null; // the last non-empty selection inside the text

  const csrfToken = () => {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  };

  const selectionInText = () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0) return undefined;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return undefined;
    return selection.isCollapsed ? null : range.cloneRange();
  };

  document.addEventListener("selectionchange", () => {
    const range = selectionInText();
    if (range === undefined) return; // selection moved to the form: keep what was chosen
    saved = range;
    const text = range ? range.toString().trim() : "";
    selectionLabel.textContent = text
      ? `“${text.length > 80 ? `${text.slice(0, 77)}…` : text}”`
      : selectionLabel.dataset.empty || selectionLabel.textContent;
  });
  selectionLabel.dataset.empty = selectionLabel.textContent;

  const describe = async (range) => {
    const position = await annotator.describeTextPosition(range, container);
    const text = container.textContent;
    let { start, end } = position;
    // The server keeps quotes without surrounding blanks: move the offsets with it.
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    return {
      start,
      end,
      exact: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT), start),
      suffix: text.slice(end, end + CONTEXT),
    };
  };

  const mark = async (start, end, color, id) => {
    const matcher = annotator.createTextPositionSelectorMatcher({
      type: "TextPositionSelector",
      start,
      end,
    });
    for await (const range of matcher(container)) {
      annotator.highlightText(range, "mark", {
        class: `hl-${color} reader-mark just-made`,
        "data-highlight-ids": String(id),
      });
      break;
    }
  };

  const say = (message, isError) => {
    statusLine.textContent = message;
    statusLine.classList.toggle("error", Boolean(isError));
  };

  const highlight = async () => {
    if (!saved) {
      say(form.dataset.nothing || gettext("Select a passage of the text first."), true);
      return;
    }
    const selector = await describe(saved);
    if (!selector.exact) {
      say(gettext("Select a passage of the text first."), true);
      return;
    }
    const color = (form.querySelector("input[name=color]:checked") || {}).value || "yellow";
    button.disabled = true;
    try {
      const response = await fetch(form.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ ...selector, color, note: note.value }),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        const errors = data.errors ? Object.values(data.errors).flat().join(" ") : data.error;
        say(errors || interpolate(gettext("Error %s"), [response.status]), true);
        return;
      }
      await mark(selector.start, selector.end, data.color || color, data.id);
      document.getSelection().removeAllRanges();
      saved = null;
      note.value = "";
      selectionLabel.textContent = selectionLabel.dataset.empty;
      say(
        data.status === "held"
          ? gettext("Highlighted; the note is held for review.")
          : gettext("Highlighted."),
      );
    } catch (error) {
      say(gettext("Could not save the highlight; check your connection and try again."), true);
    } finally {
      button.disabled = false;
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    highlight();
  });

  // "H" highlights the current selection, unless typing in a field.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "h" && event.key !== "H") return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (!saved) return;
    event.preventDefault();
    highlight();
  });
})();
