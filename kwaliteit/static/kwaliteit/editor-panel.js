// The readability panel above the edit form of an entry and in a
// gemeente's local editor (Lokaal beheer): the form as the editor has it
// now is posted to the server, which answers with the panel
// (kwaliteit/views.py editor_panel, local_panel). Nothing is saved; the save
// never waits. The local editor's overview of an entry has no form: its
// panel (the text as the gemeente shows it) is fetched once.
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script) return;
  const path = window.location.pathname;

  function entryEditor() {
    const match = path.match(/\/snippets\/(\w+)\/(\w+)\/(?:edit\/(\d+)|add)\/?$/);
    const form = document.querySelector("form[data-edit-form]");
    if (!match || !form) return null;
    const model = match[1] + "." + match[2];
    if (!script.dataset.kwaliteitModels.split(" ").includes(model)) return null;
    let url = script.dataset.kwaliteitPanel.replace("MODEL", model);
    if (match[3]) url += match[3] + "/";
    return { url: url, form: form, place: form };
  }

  function localEditor() {
    // <lokaal>/<kind>/<id>/<gemeente>/ (the entry) or …/<gemeente>/<column>/ (one field)
    const base = script.dataset.kwaliteitLocalPages;
    if (!base || !path.startsWith(base)) return null;
    const match = path.slice(base.length).match(/^(\w+)\/(\d+)\/([\w-]+)\/(?:(\w+)\/)?$/);
    if (!match) return null;
    const url = script.dataset.kwaliteitLocalPanel + match.slice(1).filter(Boolean).join("/") + "/";
    const input = document.querySelector("[name=value]");
    const form = match[4] && input ? input.form : null;
    const place = form || document.querySelector(".side-by-side") || document.querySelector(".nice-padding");
    return place ? { url: url, form: form, place: place } : null;
  }

  const target = entryEditor() || localEditor();
  if (!target) return;
  const form = target.form;

  const panel = document.createElement("section");
  panel.className = "kwaliteit-panel";
  panel.setAttribute("aria-live", "polite");
  panel.setAttribute("aria-label", "Leesbaarheid");
  panel.hidden = true;
  target.place.before(panel);

  let timer = null;
  let pending = null;
  function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    const request = form
      ? { method: "POST", body: new FormData(form), credentials: "same-origin", signal: pending.signal }
      : { credentials: "same-origin", signal: pending.signal };
    fetch(target.url, request)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        const open = panel.querySelector("details");
        panel.innerHTML = html;
        const details = panel.querySelector("details");
        if (open && details) details.open = open.open;
        panel.hidden = false;
      })
      .catch(function (error) {
        if (error.name !== "AbortError" && !panel.innerHTML) panel.hidden = true;
      });
  }
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 1200);
  }
  if (form) {
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("w-unsaved:add", later);
    // Draftail (draft-js) inserts typed text itself, often without an input
    // event; its keys and pastes still reach the form.
    form.addEventListener("keyup", later);
    form.addEventListener("paste", later);
  }
  refresh();
})();
