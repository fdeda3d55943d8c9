// Picking a reply template fills the composer at once; the "Insert template" button does the
// same without JavaScript. Served from our origin, so the CSP can forbid inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.getElementById("template");
  const body = document.getElementById("body");
  const insert = document.getElementById("insert");
  if (!picker || !body) return;
  if (insert) insert.hidden = true;
  picker.addEventListener("change", () => {
    const option = picker.selectedOptions[0];
    if (!option || !option.dataset.body) return;
    if (body.value.trim() && !window.confirm(picker.dataset.confirm || "Replace the text you wrote?")) return;
    body.value = option.dataset.body;
    body.focus();
  });
});
