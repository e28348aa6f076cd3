// The readability panel above the edit form of an entry: the form as the
// editor has it now is posted to the server, which answers with the panel
// (kwaliteit/views.py editor_panel). Nothing is saved; the save never waits.
(function () {
  "use strict";
  const script = document.currentScript;
  const match = window.location.pathname.match(/\/snippets\/(\w+)\/(\w+)\/(?:edit\/(\d+)|add)\/?$/);
  const form = document.querySelector("form[data-edit-form]");
  if (!script || !match || !form) return;
  const model = match[1] + "." + match[2];
  if (!script.dataset.kwaliteitModels.split(" ").includes(model)) return;
  let url = script.dataset.kwaliteitPanel.replace("MODEL", model);
  if (match[3]) url += match[3] + "/";

  const panel = document.createElement("section");
  panel.className = "kwaliteit-panel";
  panel.setAttribute("aria-live", "polite");
  panel.setAttribute("aria-label", "Leesbaarheid");
  panel.hidden = true;
  form.before(panel);

  let timer = null;
  let pending = null;
  function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin", signal: pending.signal })
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
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("w-unsaved:add", later);
  refresh();
})();
