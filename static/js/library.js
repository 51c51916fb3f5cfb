// Tag box: picking a suggestion replaces the word being typed. No inline scripts (strict CSP).
(function () {
  "use strict";

  function pick(input, tag) {
    const parts = input.value.split(",");
    parts[parts.length - 1] = (parts.length > 1 ? " " : "") + tag;
    input.value = parts.join(",") + ", ";
    input.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".tag-suggestions .suggestion");
    if (!button) return;
    const box = button.closest(".tags-row");
    const input = box && box.querySelector(".tags-input");
    if (!input) return;
    pick(input, button.dataset.tag);
    box.querySelector(".tag-suggestions").replaceChildren();
  });

  // Keyboard: ArrowDown from the box moves into the suggestions, Escape closes them.
  document.addEventListener("keydown", (event) => {
    const input = event.target.closest && event.target.closest(".tags-input");
    const inList = event.target.closest && event.target.closest(".tag-suggestions");
    if (input && event.key === "ArrowDown") {
      const first = input.parentElement.querySelector(".suggestion");
      if (first) { first.focus(); event.preventDefault(); }
    } else if (inList && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      const all = Array.from(inList.querySelectorAll(".suggestion"));
      const i = all.indexOf(event.target) + (event.key === "ArrowDown" ? 1 : -1);
      if (i >= 0 && i < all.length) all[i].focus();
      else if (i < 0) inList.parentElement.querySelector(".tags-input").focus();
      event.preventDefault();
    } else if ((input || inList) && event.key === "Escape") {
      const row = event.target.closest(".tags-row");
      row.querySelector(".tag-suggestions").replaceChildren();
      row.querySelector(".tags-input").focus();
    }
  });
})();
