// Small progressive enhancements shared by every page. No inline scripts (strict CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
// @mention suggestions (notifications/_mention_suggestions.html, loaded by htmx as one types):
// a click puts the username in place of the @word being typed.
document.addEventListener("click", (event) => {
  const choice = event.target.closest("[data-mention]");
  const box = choice && choice.closest("[data-mention-for]");
  const field = box && document.getElementById(box.dataset.mentionFor);
  if (!field) {
    return;
  }
  field.value = field.value.replace(/@[\w.+-]*$/, `@${choice.dataset.mention} `);
  box.replaceChildren();
  field.focus();
});
// A form that came back with errors (accounts/_error_summary.html): focus its summary, so a
// screen reader reads it and Tab goes on from there; a link in it focuses its field.
function focusErrorSummary(root) {
  const summary = root.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
}
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSettle", (event) => focusErrorSummary(event.detail.elt));
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const field = link && document.getElementById(link.hash.slice(1));
  if (!field) {
    return;
  }
  event.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
  (label || field).scrollIntoView({ block: "center" });
  field.focus({ preventScroll: true });
});
// A Copy button beside a read-only field (data-copy="<field id>"): the clipboard gets the
// field's value and the button says so for a moment (data-copied, already translated).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  const field = button && document.getElementById(button.dataset.copy);
  if (!field) {
    return;
  }
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    field.select();
    document.execCommand("copy");
  }
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  button.textContent = button.dataset.copied;
  button.setAttribute("aria-live", "polite");
  setTimeout(() => {
    button.textContent = label;
  }, 2000);
});
