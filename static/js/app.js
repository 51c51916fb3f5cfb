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
