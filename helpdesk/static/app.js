// The ticket page's behaviour. Served from our origin, so the CSP can forbid inline scripts;
// everything here is an enhancement: without JavaScript, the forms still work.
"use strict";

// Picking a reply template fills the composer at once; the "Insert template" button does the
// same without JavaScript.
function initTemplatePicker(body) {
  const picker = document.getElementById("template");
  const insert = document.getElementById("insert");
  if (!picker) return;
  if (insert) insert.hidden = true;
  picker.addEventListener("change", () => {
    const option = picker.selectedOptions[0];
    if (!option || !option.dataset.body) return;
    if (body.value.trim() && !window.confirm(picker.dataset.confirm || "Replace the text you wrote?")) return;
    body.value = option.dataset.body;
    body.dispatchEvent(new Event("input"));
    body.focus();
  });
}

// Type-ahead over the ticket language's templates (name, category and text), most used first;
// choosing one picks it in the list above, which fills the composer. Without JavaScript the
// search stays hidden and the grouped list does the job.
function initTemplateSearch(picker) {
  const box = document.querySelector(".template-search");
  const input = document.getElementById("template-search");
  const results = document.getElementById("template-search-results");
  const options = [...picker.querySelectorAll("option[data-search]")]
    .sort((a, b) => Number(a.dataset.rank) - Number(b.dataset.rank));
  if (!box || !input || !results || !options.length) return;
  box.hidden = false;
  const choose = (option) => {
    picker.value = option.value;
    picker.dispatchEvent(new Event("change"));
    results.replaceChildren();
    input.value = "";
  };
  const matches = () => {
    const words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    return options.filter((o) => words.every((w) => o.dataset.search.includes(w))).slice(0, 8);
  };
  input.addEventListener("input", () => {
    const hits = matches();
    results.replaceChildren(...hits.map((option) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = option.dataset.category
        ? `${option.dataset.name} · ${option.dataset.category}` : option.dataset.name;
      button.addEventListener("click", () => choose(option));
      item.append(button);
      return item;
    }));
    if (input.value.trim() && !hits.length) {
      const item = document.createElement("li");
      item.textContent = results.dataset.noMatch || "";
      results.append(item);
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();  // Enter here picks the first match, never submits the reply
    const [first] = matches();
    if (first) choose(first);
  });
}

// A draft survives a reload: kept in localStorage per ticket, dropped once the reply is sent.
// Text the server put in the composer (a template, a refused reply) wins over a saved draft.
function initDraft(form, body) {
  const key = form.dataset.draftKey;
  if (!key) return;
  let storage;
  try { storage = window.localStorage; } catch (error) { return; }
  if (form.dataset.sent) {
    storage.removeItem(key);
    const url = new URL(window.location.href);
    url.searchParams.delete("sent");
    window.history.replaceState(null, "", url);
  } else if (body.value.trim()) {
    storage.setItem(key, body.value);
  } else {
    const saved = storage.getItem(key);
    if (saved) body.value = saved;
  }
  body.addEventListener("input", () => {
    if (body.value.trim()) storage.setItem(key, body.value);
    else storage.removeItem(key);
  });
}

// Every 20 s: tell the server we are here, and show who else is, and what arrived meanwhile.
function initPresence(layout, form) {
  const url = layout.dataset.presenceUrl;
  const list = document.getElementById("presence");
  const token = form.querySelector("input[name=csrf_token]");
  const seen = form.querySelector("input[name=seen_message_id]");
  if (!url || !list || !token) return;
  const beat = async () => {
    const data = new URLSearchParams({ seen_message_id: seen ? seen.value : "" });
    try {
      const response = await fetch(url, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": token.value },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const { notices } = await response.json();
      list.replaceChildren(...notices.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }));
    } catch (error) {
      // offline for a moment: the next beat tries again
    }
  };
  window.setInterval(beat, 20000);
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.reply-form");
  const body = document.getElementById("body");
  if (!form || !body) return;
  initTemplatePicker(body);
  const picker = document.getElementById("template");
  if (picker) initTemplateSearch(picker);
  initDraft(form, body);
  const layout = document.querySelector(".ticket-layout");
  if (layout) initPresence(layout, form);
});

// The dashboard refreshes its body every minute without a reload: a fragment from our own
// server, rendered (and escaped) by the same templates as the page.
function initDashboardRefresh(container) {
  const url = container.dataset.refreshUrl;
  if (!url) return;
  const refresh = async () => {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      container.innerHTML = await response.text();
      container.dataset.refreshed = String(Date.now());
    } catch (error) {
      // offline for a moment: the next tick tries again
    }
  };
  const seconds = Number(container.dataset.refreshSeconds || 60);
  window.setInterval(refresh, seconds * 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  const dashboard = document.getElementById("dashboard");
  if (dashboard) initDashboardRefresh(dashboard);
});

// Choosing a language reloads the page in it; without JavaScript the button beside it does.
function initAutosubmit(select) {
  const button = select.form && select.form.querySelector("[type=submit]");
  if (button) button.hidden = true;
  select.addEventListener("change", () => select.form.requestSubmit());
}

// Once, for a signed-in user whose zone we do not know: the browser's own. Without JavaScript
// (or a zone the server does not know) times stay in UTC; the account page changes it anytime.
async function sendTimeZone(form) {
  let zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { return; }
  if (!zone) return;
  const data = new URLSearchParams(new FormData(form));
  data.set("timezone", zone);
  try {
    const response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
    if (response.ok) form.dataset.sent = zone;
  } catch (error) {
    // offline: the next page asks again
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select.autosubmit").forEach(initAutosubmit);
  const zoneForm = document.getElementById("timezone-guess");
  if (zoneForm) sendTimeZone(zoneForm);
});

// The header's menu folds behind a button on a phone (a <details>, so it works without
// JavaScript); on a wide screen it is always open and the CSS hides the button.
function initMenu(menu) {
  const wide = window.matchMedia("(min-width: 901px)");
  const sync = () => { menu.open = wide.matches; };
  sync();
  wide.addEventListener("change", sync);
}

document.addEventListener("DOMContentLoaded", () => {
  const menu = document.getElementById("menu");
  if (menu) initMenu(menu);
});
