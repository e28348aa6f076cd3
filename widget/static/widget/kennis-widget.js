/*
 * Kenniswidget for KCC agents: a vanilla-JS web component (Shadow DOM, no build step).
 *
 *   <script src="/widget/kennis-widget.js"></script>
 *   <kennis-widget></kennis-widget>
 *
 * It talks only to the JSON API (/api/v1/) of the origin this script is served from:
 * on that origin with the agent's session; on a host page of another origin (listed
 * in the app's WIDGET_ALLOWED_ORIGINS) with a token the agent gets by signing in once
 * in a popup. Optional attributes: gemeente="<slug>" (answer for this gemeente, e.g.
 * from the line called; changing it switches), api="<base URL of the API>",
 * login="<login page URL>". Without a preset: the agent's own gemeente, the
 * remembered choice, the first. The search bar sticks to the top of the page
 * (below --kennis-widget-top, if the host page has a fixed header).
 * Keys: "/" search, ArrowUp/ArrowDown choose (past the last: more results),
 * Enter open, Esc back or clear.
 */
(() => {
  "use strict";
  if (!window.customElements || customElements.get("kennis-widget")) return;

  const ORIGIN = document.currentScript && document.currentScript.src
    ? new URL(document.currentScript.src, location.href).origin : location.origin;
  const KEY = "kennis-widget:";
  const COLLECTION = { product: "producten", vac: "vacs" };
  const KIND = { product: "Product", vac: "Vraag" };
  const AUDIENCE = { burger: "Particulier", ondernemer: "Ondernemer" };  // names of the seeded audiences; others show their slug
  const NOTES = [
    ["intake", "Intakechecklist"],
    ["routing", "Doorverbinden / routering"],
    ["work_instruction", "Werkinstructie"],
    ["front_office", "Wat de frontoffice zelf mag doen"],
  ];
  const OUTCOMES = [
    ["answered", "Zelf beantwoord"],
    ["transferred", "Doorverbonden"],
    ["transfer_failed", "Doorverbinden mislukt"],
    ["callback", "Terugbelverzoek"],
    ["referred", "Elders naartoe verwezen"],
  ];
  const TOKEN_MESSAGE = "kennis-widget-token";
  const session = {
    get(key) { try { return sessionStorage.getItem(KEY + key); } catch (e) { return null; } },
    set(key, value) {
      try { if (value == null) sessionStorage.removeItem(KEY + key); else sessionStorage.setItem(KEY + key, value); } catch (e) { /* private mode */ }
    },
  };
  const DEBOUNCE = 120;
  const PAGE_SIZE = 8;
  const TOP_TTL = 60000;

  const store = {
    get(key, fallback) {
      try { const v = localStorage.getItem(KEY + key); return v == null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
    },
    set(key, value) { try { localStorage.setItem(KEY + key, JSON.stringify(value)); } catch (e) { /* private mode */ } },
  };

  /* Build an element. Text goes in with textContent; `html` is only ever passed
     HTML the server sanitised (answers, notes, snippets), and is cleaned again. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "text") el.textContent = v;
      else if (k === "html") el.append(safe(v));
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    el.append(...nodes(children));
    return el;
  }

  // "1 januari" of a scheduled answer's public date (the agent sees it earlier).
  function publicDate(iso) {
    return new Date(iso).toLocaleDateString("nl-NL", { day: "numeric", month: "long", timeZone: "Europe/Amsterdam" });
  }

  function nodes(...children) {
    return children.flat(Infinity).filter((c) => c != null && c !== false);
  }

  /* Defence in depth for the server-sanitised HTML: no scripts, handlers or
     javascript: URLs, and links open outside the host application. */
  function safe(html) {
    const t = document.createElement("template");
    t.innerHTML = String(html || "");
    t.content.querySelectorAll("script,style,iframe,object,embed,link,meta,form,input,button,textarea,select").forEach((n) => n.remove());
    t.content.querySelectorAll("*").forEach((n) => {
      for (const a of [...n.attributes]) {
        if (/^on/i.test(a.name) || (/^(href|src|xlink:href|action|formaction)$/i.test(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value))) n.removeAttribute(a.name);
      }
      if (n.tagName === "A") { n.target = "_blank"; n.rel = "noopener noreferrer"; }
    });
    return t.content;
  }

  /* Plain text of answer HTML, for the clipboard: blocks on their own lines,
     list items with a dash, link targets in brackets. */
  function toText(html) {
    const body = new DOMParser().parseFromString(String(html || ""), "text/html").body;
    let out = "";
    const walk = (node) => {
      for (const n of node.childNodes) {
        if (n.nodeType === 3) { out += n.nodeValue.replace(/\s+/g, " "); continue; }
        if (n.nodeType !== 1) continue;
        if (n.tagName === "BR") { out += "\n"; continue; }
        const block = /^(P|DIV|H[1-6]|UL|OL|LI|TABLE|TR|BLOCKQUOTE|SECTION|DL|DT|DD)$/.test(n.tagName);
        if (block) out += "\n";
        if (n.tagName === "LI") out += "- ";
        walk(n);
        const href = n.tagName === "A" && n.getAttribute("href");
        if (href && /^(https?:|mailto:|tel:)/.test(href) && href !== n.textContent.trim()) out += ` (${href.replace(/^(mailto|tel):/, "")})`;
        if (block) out += "\n";
      }
    };
    walk(body);
    return out.replace(/[ \t]+\n/g, "\n").replace(/\n[ \t]+/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      const area = h("textarea", { readonly: true, "aria-hidden": "true" });
      area.style.cssText = "position:fixed;top:0;left:0;opacity:0";  // CSSOM: allowed by a strict style-src
      area.value = text;
      document.body.append(area);
      area.select();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
      area.remove();
      return ok;
    }
  }

  function editable(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !/^(button|checkbox|radio|submit|reset|range|color|file|image|hidden)$/i.test(el.type);
  }

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  const CSS = `
:host{all:initial;display:block;background:#fff;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b}
:host([hidden]){display:none}
*{box-sizing:border-box}
[hidden]{display:none!important}
.kw{display:flex;flex-direction:column;gap:.5rem;min-width:0}
.top{position:sticky;top:var(--kennis-widget-top,0);z-index:2;display:flex;flex-direction:column;gap:.4rem;padding:.5rem 0;background:#fff;border-bottom:1px solid #d0d5db}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.bar{display:flex;align-items:center;gap:.5rem;flex-wrap:wrap}
label{font-weight:600}
select,input,textarea,button{font:inherit;color:inherit}
select,input,textarea{border:1px solid #6b7785;border-radius:4px;background:#fff;padding:.35rem .5rem}
input{width:100%;font-size:1.05rem;padding:.5rem .6rem}
textarea{width:100%;resize:vertical}
button{cursor:pointer;border:1px solid #154273;background:#fff;color:#154273;border-radius:4px;padding:.3rem .7rem}
button:hover{background:#eef3fa}
button.primary{background:#154273;color:#fff}
button.primary:hover{background:#0f3157}
button.link{border:0;background:none;padding:.1rem 0;text-decoration:underline;text-align:left}
a{color:#154273}
.msg{margin:0;padding:.5rem .7rem;border-radius:4px;background:#eef3fa}
.err{background:#fdecea;color:#8a1c12}
.ok{background:#e7f4ea;color:#1e5b2b}
.meta{margin:0;font-size:.85rem;color:#4a4a4a;display:flex;gap:.75rem;flex-wrap:wrap}
.notice{color:#7a4b00;font-weight:600}
[role=listbox]{display:flex;flex-direction:column;gap:2px}
.head{font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;color:#4a4a4a;margin:.4rem 0 .15rem}
[role=option]{scroll-margin:7rem 0 1rem;display:block;padding:.4rem .6rem;border-radius:4px;border-left:4px solid transparent;cursor:pointer}
[role=option]:hover{background:#f2f5f9}
[role=option][aria-selected=true]{background:#e3ecf8;border-left-color:#154273;outline:2px solid #154273;outline-offset:-2px}
.t{font-weight:600;display:block}
.s{display:block;font-size:.88rem;color:#333}
mark{background:#ffe08a;color:inherit;padding:0 1px}
.tag{display:inline-block;font-size:.72rem;font-weight:600;border-radius:3px;padding:0 .3rem;margin-left:.35rem;vertical-align:middle;background:#e6e9ed;color:#333}
.tag.local{background:#dbeafe;color:#0b3a75}
.tag.scheduled{background:#fef3c7;color:#6b4500}
.tag.no{background:#fde2e1;color:#8a1c12}
.entry h2{font-size:1.2rem;margin:.2rem 0 .1rem;line-height:1.25;scroll-margin-top:7rem}
.entry h3{font-size:1rem;margin:.9rem 0 .3rem}
.entry h4{font-size:.95rem;margin:.6rem 0 .15rem}
.entry p{margin:.3rem 0}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin:.5rem 0}
.warn{margin:.4rem 0;padding:.45rem .7rem;border-radius:4px;background:#fde2e1;color:#8a1c12;font-weight:700}
.public{border-top:1px solid #d0d5db;margin-top:.8rem}
.audiences button[aria-pressed="true"]{font-weight:700;text-decoration:none}
.facts,.spoken{margin-top:.8rem;padding:.2rem .8rem;background:#f2f5f9;border:1px solid #c9d3df;border-radius:4px}
.facts h3{margin-top:.4rem}
.facts dd>:first-child{margin-top:0}.facts dd>:last-child{margin-bottom:0}
.facts dl{gap:.35rem .8rem}
.facts ul{margin:.1rem 0;padding-left:1.1rem}.facts p{margin:.15rem 0}
.entry{container-type:inline-size}
@container (min-width:46rem){.phone{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 .8rem;align-items:start}}
summary{cursor:pointer;font-weight:600;color:#154273;padding:.3rem 0}
summary .meta{display:inline;font-weight:400;margin-left:.4rem}
#more{align-self:flex-start;margin-top:.3rem}
.agent{margin-top:.8rem;padding:.4rem .8rem .6rem;background:#fff6dd;border:1px solid #e0b84a;border-left:6px solid #b26a00;border-radius:4px}
.agent>h3{margin-top:.3rem;color:#6b3f00}
.agent section{margin-top:.4rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.4rem 0}
dt{font-weight:600}dd{margin:0}
form{display:flex;flex-direction:column;gap:.35rem;margin:.4rem 0;padding:.5rem .7rem;border:1px solid #d0d5db;border-radius:4px;background:#fafbfc}
.row{display:flex;gap:.5rem}
ul.rel{margin:.2rem 0;padding-left:1.1rem}
`;

  /* The styles as a constructed stylesheet, which a page's Content-Security-Policy
     allows without 'unsafe-inline' (a <style> element would need it); a <style>
     element only where constructed stylesheets are missing. */
  let sheet = null;
  function adoptStyles(root) {
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.prepend(h("style", { text: CSS }));
    }
  }

  const HTML = `
<div class="kw" part="widget">
  <div class="top" id="top">
    <div class="bar">
      <label for="gemeente">Antwoorden voor</label>
      <select id="gemeente" disabled><option>Laden…</option></select>
      <button type="button" class="link" id="my-flags">Mijn meldingen</button>
      <button type="button" class="link" id="sign-out">Afmelden</button>
    </div>
    <div>
      <label class="sr" for="q">Zoek een antwoord</label>
      <input id="q" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="list"
        aria-describedby="keys" autocomplete="off" spellcheck="false" maxlength="500" placeholder="Zoek een antwoord (toets /)">
      <p id="keys" class="sr">Kies met pijl omhoog en omlaag, open met Enter. Escape gaat terug of maakt het zoekvak leeg.</p>
    </div>
  </div>
  <p class="msg login" hidden>U bent niet aangemeld. <a id="login" href="#" target="_top">Log in</a> om de kennisbank te gebruiken.</p>
  <p class="msg err" id="error" role="alert" hidden></p>
  <div id="status" class="sr" role="status" aria-live="polite" aria-atomic="true"></div>
  <section class="results">
    <p class="meta"><span id="count"></span><span id="notice" class="notice" hidden></span></p>
    <p id="did-you-mean" class="meta" hidden>Bedoelde u: <button type="button" class="link" id="did-you-mean-query"></button>?</p>
    <div id="list" role="listbox" aria-label="Zoekresultaten"></div>
    <button type="button" id="more" hidden>Meer resultaten</button>
    <div id="complete" class="meta" role="group" aria-label="Aanvullen" hidden></div>
    <p id="hint" class="meta"></p>
    <div id="missing" hidden>
      <button type="button" class="link" id="missing-open">Antwoord ontbreekt? Meld het aan de kennisregisseur</button>
      <form id="missing-form" hidden>
        <label for="missing-remark">Wat vroeg de beller? <span id="missing-query" class="meta"></span></label>
        <textarea id="missing-remark" rows="3" maxlength="2000" placeholder="Bijvoorbeeld: wanneer wordt het grofvuil in mijn wijk opgehaald?"></textarea>
        <div class="row"><button class="primary" type="submit">Melding versturen</button><button type="button" data-cancel>Annuleren</button></div>
      </form>
      <p class="msg ok" id="missing-ok" hidden></p>
      <button type="button" class="link" id="draft-open" aria-expanded="false">Voeg toe: stel zelf een vraag en antwoord voor</button>
      <form id="draft-form" hidden>
        <label for="draft-question">Vraag</label>
        <input id="draft-question" type="text" maxlength="500" required>
        <label for="draft-answer">Antwoord</label>
        <textarea id="draft-answer" rows="5" maxlength="20000" required></textarea>
        <label><input id="draft-all" type="checkbox"> Voor alle gemeenten (anders alleen deze gemeente)</label>
        <div class="row"><button class="primary" type="submit">Voorstel versturen</button><button type="button" data-cancel>Annuleren</button></div>
      </form>
      <p class="msg ok" id="draft-ok" role="status" hidden></p>
    </div>
  </section>
  <article class="entry" id="entry" hidden aria-labelledby="entry-title"></article>
</div>`;

  class KennisWidget extends HTMLElement {
    constructor() {
      super();
      this.root = this.attachShadow({ mode: "open" });
      this.root.innerHTML = HTML;
      adoptStyles(this.root);
      const $ = (id) => this.root.getElementById(id);
      this.ui = {
        select: $("gemeente"), input: $("q"), list: $("list"), status: $("status"), count: $("count"),
        notice: $("notice"), hint: $("hint"), error: $("error"), entry: $("entry"), login: $("login"), signOut: $("sign-out"),
        missing: $("missing"), missingOpen: $("missing-open"), missingForm: $("missing-form"),
        missingRemark: $("missing-remark"), missingQuery: $("missing-query"), missingOk: $("missing-ok"),
        results: this.root.querySelector(".results"), top: $("top"), more: $("more"),
        didYouMean: $("did-you-mean"), didYouMeanQuery: $("did-you-mean-query"), complete: $("complete"),
      };
      this.gemeenten = [];
      this.gemeente = null;
      this.items = [];      // the options shown, in order
      this.active = -1;
      this.results = null;  // {query, gemeente, hits, total, page, clickToken, backend, notice}
      this.top = {};        // top questions per gemeente: {at, items}
      this.current = null;  // the open entry
      this.seq = 0;
      this.openSeq = 0;
      this.timer = 0;
      this.controller = null;
      this.enterPending = false;
      this.onGlobalKey = this.onGlobalKey.bind(this);
      this.onMessage = this.onMessage.bind(this);

      const ui = this.ui;
      ui.input.addEventListener("input", () => this.onInput());
      ui.input.addEventListener("keydown", (e) => this.onSearchKey(e));
      ui.select.addEventListener("change", () => this.switchGemeente(ui.select.value));
      ui.entry.addEventListener("keydown", (e) => {
        if (e.key === "Escape" && !e.defaultPrevented) { e.preventDefault(); this.back(); }
      });
      ui.missingOpen.addEventListener("click", () => this.openMissing());
      ui.more.addEventListener("click", () => this.loadMore());
      ui.didYouMeanQuery.addEventListener("click", () => this.searchFor(ui.didYouMeanQuery.textContent));
      ui.login.addEventListener("click", (e) => this.openSignIn(e));
      ui.signOut.addEventListener("click", () => this.signOut());
      $("my-flags").addEventListener("click", () => this.myFlags());
      ui.missingForm.addEventListener("submit", (e) => { e.preventDefault(); this.sendMissing(); });
      ui.missingForm.addEventListener("keydown", (e) => this.formKeys(e, ui.missingForm, () => this.closeMissing()));
      ui.missingForm.querySelector("[data-cancel]").addEventListener("click", () => this.closeMissing());
      this.wireDraft();
    }

    connectedCallback() {
      document.addEventListener("keydown", this.onGlobalKey);
      window.addEventListener("message", this.onMessage);
      if (!this.started) { this.started = true; this.start(); }
    }

    disconnectedCallback() {
      document.removeEventListener("keydown", this.onGlobalKey);
      window.removeEventListener("message", this.onMessage);
    }

    static get observedAttributes() { return ["gemeente"]; }

    /* The host page switches the gemeente (a call on another line); not remembered as the agent's choice. */
    attributeChangedCallback(name, old, slug) {
      if (this.gemeente && slug && slug !== this.gemeente) this.switchGemeente(slug, { remember: false });
    }

    get api() { return (this.getAttribute("api") || `${ORIGIN}/api/v1/`).replace(/\/?$/, "/"); }

    /* On a host page of another origin the session cookie is not ours to use. */
    get crossOrigin() { return new URL(this.api, location.href).origin !== location.origin; }

    get tokenKey() { return `token:${new URL(this.api, location.href).origin}`; }

    get gemeenteName() {
      const g = this.gemeenten.find((x) => x.slug === this.gemeente);
      return g ? g.name : "";
    }

    /* ---- the API ---- */

    async request(path, options = {}) {
      const headers = { Accept: "application/json" };
      if (options.body) headers["Content-Type"] = "application/json";
      const token = this.crossOrigin ? session.get(this.tokenKey) : null;
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await fetch(this.api + path, { credentials: this.crossOrigin ? "omit" : "same-origin", ...options, headers });
      let data = null;
      try { data = await response.json(); } catch (e) { data = null; }
      if (response.status === 401) {
        if (token) session.set(this.tokenKey, null);
        this.showLogin();
      }
      if (!response.ok) {
        const error = new Error((data && data.error) || `HTTP ${response.status}`);
        error.status = response.status;
        throw error;
      }
      return data;
    }

    entryPath(kind, slug) {
      const path = `agent/gemeenten/${encodeURIComponent(this.gemeente)}/${COLLECTION[kind]}/${encodeURIComponent(slug)}`;
      return this.audience ? `${path}?${new URLSearchParams({ audience: this.audience })}` : path;
    }

    /* The audience whose text the agent reads: chosen in an answer, else the host page's `audience` attribute. */
    get audience() { return this.chosenAudience !== undefined ? this.chosenAudience : this.getAttribute("audience") || null; }

    chooseAudience(slug) {
      this.chosenAudience = slug;
      this.open(this.current, { from: "switch", focus: false });
    }

    /* An answer with its own text per audience: which one is shown, and the others one click away. */
    audienceSwitch(d) {
      const variants = d.variant_audiences || [];
      if (!variants.length) return null;
      const options = [null, ...new Set([...(d.audiences || []), ...variants])];
      return h("p", { class: "audiences", role: "group", "aria-label": "Tekst voor doelgroep" },
        h("span", { class: "meta", text: "Tekst voor: " }),
        ...options.map((slug) => h("button", {
          type: "button", class: "link", "aria-pressed": String((d.audience || null) === slug),
          onclick: () => this.chooseAudience(slug),
        }, slug ? AUDIENCE[slug] || slug : "Iedereen")));
    }

    post(path, body) { return this.request(path, { method: "POST", body: JSON.stringify(body), keepalive: true }); }

    showLogin() {
      if (this.crossOrigin) {
        this.ui.login.href = `${ORIGIN}/widget/aanmelden/?origin=${encodeURIComponent(location.origin)}`;
      } else {
        const next = location.pathname + location.search + location.hash;
        const login = this.getAttribute("login") || `${ORIGIN}/admin/login/`;
        this.ui.login.href = `${login}?next=${encodeURIComponent(next)}`;
      }
      this.showLoginOnly(true);
    }

    showLoginOnly(on) {
      this.ui.login.parentElement.hidden = !on;
      this.ui.top.hidden = this.ui.results.hidden = on;
      if (on) this.ui.entry.hidden = true;
    }

    /* Cross-origin sign-in: a popup on the app's origin signs the agent in
       and posts a token back, to this page's origin only. */
    openSignIn(event) {
      if (!this.crossOrigin) return;
      event.preventDefault();
      const popup = window.open(this.ui.login.href, "kennis-widget-aanmelden", "popup,width=480,height=640");
      if (!popup) this.showError("Sta pop-upvensters toe voor deze pagina om aan te melden.");
    }

    /* "Afmelden": the server revokes this widget's token, or ends the session
       on the app's own origin; then the widget asks to log in again. */
    async signOut() {
      try {
        await this.post("agent/afmelden", {});
      } catch (e) {
        if (e.status !== 401) { this.showError("Afmelden is niet gelukt: de kennisbank is nu niet bereikbaar. Probeer het zo opnieuw."); return; }
      }
      session.set(this.tokenKey, null);
      this.gemeenten = [];
      this.results = null;
      this.top = {};
      this.current = null;
      this.ui.input.value = "";
      delete this.dataset.ready;
      this.showError("");
      this.showLogin();
      this.announce("U bent afgemeld.");
    }

    onMessage(event) {
      const data = event.data;
      if (event.origin !== ORIGIN || !data || data.type !== TOKEN_MESSAGE || typeof data.token !== "string") return;
      session.set(this.tokenKey, data.token);
      this.showError("");
      this.showLoginOnly(false);
      this.start();
    }

    showError(message) {
      this.ui.error.textContent = message || "";
      this.ui.error.hidden = !message;
    }

    announce(text) {
      // Cleared first so that the same text is announced again.
      this.ui.status.textContent = "";
      clearTimeout(this.announceTimer);
      this.announceTimer = setTimeout(() => { this.ui.status.textContent = text; }, 30);
    }

    /* ---- start and municipality switch ---- */

    async start() {
      let data;
      try {
        data = await this.request("agent/gemeenten");
      } catch (e) {
        if (e.status !== 401) this.showError("De kennisbank is nu niet bereikbaar. Probeer het zo opnieuw.");
        return;
      }
      this.gemeenten = (data && data.results) || [];
      const select = this.ui.select;
      select.replaceChildren(...this.gemeenten.map((g) => h("option", { value: g.slug, text: g.name })));
      if (!this.gemeenten.length) {
        this.showError("U beantwoordt voor geen enkele gemeente vragen. Vraag de functioneel beheerder om een rol als KCC-medewerker.");
        return;
      }
      // The host page's preset (the line called); else the agent's own gemeente
      // (the remembered one among them); else the remembered choice; else the first.
      const known = (s) => s && this.gemeenten.some((g) => g.slug === s);
      const own = this.gemeenten.filter((g) => g.own).map((g) => g.slug);
      const preset = this.getAttribute("gemeente");
      const remembered = store.get("gemeente");
      const slug = [preset, own.includes(remembered) ? remembered : own[0], remembered].find(known) || this.gemeenten[0].slug;
      select.disabled = this.gemeenten.length < 2;
      this.gemeente = slug;
      select.value = slug;
      if (preset && !known(preset)) this.showError(`U antwoordt niet voor “${preset}”; gekozen is ${this.gemeenteName}.`);
      this.dataset.ready = "";
      if (this.ui.input.value.trim()) this.onInput(); else this.home();
    }

    switchGemeente(slug, { remember = true } = {}) {
      if (!this.gemeenten.some((g) => g.slug === slug)) return;
      this.gemeente = slug;
      this.ui.select.value = slug;
      if (remember) store.set("gemeente", slug);
      this.showError("");
      this.announce(`U antwoordt nu voor ${this.gemeenteName}.`);
      if (this.current && !this.ui.entry.hidden) {
        this.open(this.current, { from: "switch", focus: false });
        const query = this.ui.input.value.trim();
        if (query) this.search(query, { quiet: true }); else this.results = null;
      } else if (this.ui.input.value.trim()) {
        this.search(this.ui.input.value.trim());
      } else {
        this.home();
      }
    }

    /* ---- keyboard ---- */

    onGlobalKey(e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (document.querySelector("kennis-widget") !== this || this.ui.top.hidden) return;
      if (editable(e.composedPath()[0])) return;
      e.preventDefault();
      this.ui.input.focus();
      this.ui.input.select();
    }

    onSearchKey(e) {
      const inEntry = !this.ui.entry.hidden;
      switch (e.key) {
        case "ArrowDown":
        case "ArrowUp":
          e.preventDefault();
          if (inEntry) { this.showList(); return; }
          this.move(e.key === "ArrowDown" ? 1 : -1);
          break;
        case "Enter":
          if (inEntry) return;
          e.preventDefault();
          if (this.timer || this.controller) { this.enterPending = true; return; }
          this.openActive();
          break;
        case "Escape":
          if (inEntry) { e.preventDefault(); this.back(); }
          else if (this.ui.input.value) { e.preventDefault(); this.ui.input.value = ""; this.onInput(); this.announce("Zoekvak leeggemaakt."); }
          break;
        default:
      }
    }

    formKeys(e, form, close) {
      if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); close(); }
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    }

    move(delta) {
      const n = this.items.length;
      if (!n) return;
      if (delta > 0 && this.active === n - 1 && this.hasMore()) { this.loadMore(); return; }
      this.setActive(this.active < 0 ? (delta > 0 ? 0 : n - 1) : (this.active + delta + n) % n);
    }

    setActive(index) {
      this.active = index;
      const options = this.ui.list.querySelectorAll("[role=option]");
      options.forEach((o, i) => o.setAttribute("aria-selected", String(i === index)));
      const option = options[index];
      if (option) {
        this.ui.input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        this.ui.input.removeAttribute("aria-activedescendant");
      }
    }

    /* Enter opens the chosen option; in search results with none chosen, the first. */
    openActive() {
      const item = this.items[this.active >= 0 ? this.active : this.results ? 0 : -1];
      if (item) this.open(item, { from: item.source });
    }

    /* ---- search ---- */

    onInput() {
      const query = this.ui.input.value.trim();
      clearTimeout(this.timer);
      this.timer = 0;
      this.seq++;      // a late answer to an earlier search is dropped
      this.openSeq++;  // so is an answer still loading: typing means searching again
      if (this.controller) { this.controller.abort(); this.controller = null; }
      this.showList();
      this.closeMissing();
      this.ui.missingOk.hidden = true;
      if (!query) { this.enterPending = false; this.home(); return; }
      this.timer = setTimeout(() => { this.timer = 0; this.search(query); }, DEBOUNCE);
    }

    async search(query, { quiet = false } = {}) {
      if (!this.gemeente) return;
      if (this.controller) this.controller.abort();
      const controller = (this.controller = new AbortController());
      const seq = ++this.seq;
      const gemeente = this.gemeente;
      this.ui.list.setAttribute("aria-busy", "true");
      const params = new URLSearchParams({ q: query, page_size: PAGE_SIZE });
      if (this.getAttribute("audience")) params.set("audience", this.getAttribute("audience"));  // the host page's caller: only what is for that audience
      // Completions of what was typed, asked alongside the search (the same debounce).
      const completing = this.request(`agent/gemeenten/${encodeURIComponent(gemeente)}/suggesties?${new URLSearchParams({ q: query })}`,
        { signal: controller.signal }).catch(() => null);
      let data;
      let completions;
      try {
        data = await this.request(`agent/gemeenten/${encodeURIComponent(gemeente)}/zoeken?${params}`, { signal: controller.signal });
        completions = await completing;
      } catch (e) {
        if (seq === this.seq) {
          this.controller = null;
          this.enterPending = false;
          this.ui.list.removeAttribute("aria-busy");
          if (e.name !== "AbortError" && e.status !== 401) this.showError("Zoeken lukt nu niet. Probeer het opnieuw.");
        }
        return;
      }
      if (seq !== this.seq) return;
      this.controller = null;
      this.ui.list.removeAttribute("aria-busy");
      this.showError("");
      this.results = {
        query, gemeente, hits: data.hits || [], total: data.total || 0, page: 1,
        clickToken: data.click_token, backend: data.backend, notice: data.notice || "",
        suggestion: data.suggestion || "", completions: (completions && completions.suggestions) || [],
      };
      this.renderResults(!quiet);
      if (this.enterPending) { this.enterPending = false; this.openActive(); }
    }

    renderResults(speak = true) {
      const r = this.results;
      const items = r.hits.map((hit) => ({ ...hit, source: "search" }));
      this.renderOptions([{ items }], "Zoekresultaten");
      const shown = items.length < r.total ? `${items.length} van ${r.total} resultaten` : plural(r.total, "resultaat", "resultaten");
      this.ui.count.textContent = r.total ? shown : `Geen resultaten voor “${r.query}”.`;
      const fromDatabase = r.backend === "database";
      this.ui.notice.textContent = r.notice || (fromDatabase ? "Bron: database" : "");
      this.ui.notice.hidden = !this.ui.notice.textContent;
      this.ui.notice.classList.toggle("notice", Boolean(r.notice));
      this.ui.hint.textContent = "";
      this.ui.more.hidden = !this.hasMore();
      this.renderHelp(r);
      this.ui.missing.hidden = false;
      this.ui.missingQuery.textContent = `(zoekvraag: “${r.query}”)`;
      if (speak) this.announce(r.total
        ? `${plural(r.total, "resultaat", "resultaten")} voor ${r.query} in ${this.gemeenteName}.${r.notice ? " " + r.notice : ""}`
        : `Geen resultaten voor ${r.query}.${r.suggestion ? ` Bedoelde u ${r.suggestion}?` : ""} U kunt melden dat het antwoord ontbreekt.`);
    }

    /* "Bedoelde u …?" and the completions: one click searches for them. */
    renderHelp(r) {
      this.ui.didYouMean.hidden = !r || !r.suggestion;
      this.ui.didYouMeanQuery.textContent = (r && r.suggestion) || "";
      const typed = r ? r.query.toLowerCase() : "";
      const titles = r ? [...new Set(r.completions.map((c) => c.title))].filter((t) => t.toLowerCase() !== typed) : [];
      this.ui.complete.replaceChildren(...(titles.length ? ["Aanvullen: "] : []), ...titles.map((title) =>
        h("button", { type: "button", class: "link", text: title, onclick: () => this.searchFor(title) })));
      this.ui.complete.hidden = !titles.length;
    }

    searchFor(query) {
      this.ui.input.value = query;
      this.onInput();
      clearTimeout(this.timer);
      this.timer = 0;
      this.search(query);
      this.ui.input.focus();
    }

    hasMore() { return Boolean(this.results && this.results.hits.length < this.results.total); }

    /* "Meer resultaten": the next page of the same search (logged once, on page 1).
       Focus goes back to the box, on the first new result. */
    async loadMore() {
      const r = this.results;
      if (!this.hasMore() || r.loading) return;
      r.loading = true;
      const params = new URLSearchParams({ q: r.query, page_size: PAGE_SIZE, page: r.page + 1 });
      if (this.getAttribute("audience")) params.set("audience", this.getAttribute("audience"));
      if (r.clickToken) params.set("click_token", r.clickToken);  // comes back covering this page's results too
      let data;
      try {
        data = await this.request(`agent/gemeenten/${encodeURIComponent(r.gemeente)}/zoeken?${params}`);
      } catch (e) {
        if (e.status !== 401 && this.results === r) this.showError("Meer resultaten laden lukt nu niet. Probeer het opnieuw.");
        return;
      } finally {
        r.loading = false;
      }
      if (this.results !== r) return;
      const key = (x) => `${x.kind}:${x.id}`;
      const seen = new Set(r.hits.map(key));
      const fresh = (data.hits || []).filter((x) => !seen.has(key(x)));
      r.page += 1;
      if (data.click_token) r.clickToken = data.click_token;
      r.hits.push(...fresh);
      if (!fresh.length) r.total = r.hits.length;  // nothing further after all
      const first = this.items.length;
      this.renderResults(false);
      this.ui.input.focus();
      this.setActive(Math.min(first, this.items.length - 1));
      this.announce(`${r.hits.length} van ${r.total} resultaten getoond.`);
    }

    /* Recent (this browser, per gemeente) and top questions when the box is empty. */
    home() {
      this.results = null;
      this.renderHelp(null);
      this.ui.more.hidden = true;
      this.ui.missing.hidden = true;
      this.ui.notice.hidden = true;
      this.ui.count.textContent = "";
      const gemeente = this.gemeente;
      if (!gemeente) return;
      const recent = store.get(`recent:${gemeente}`, []).map((x) => ({ ...x, source: "recent" }));
      const seen = new Set(recent.map((x) => `${x.kind}:${x.id}`));
      const cached = this.top[gemeente];
      const top = (cached ? cached.items : []).filter((x) => !seen.has(`${x.kind}:${x.id}`)).map((x) => ({ ...x, source: "top" }));
      this.renderOptions([
        { label: "Recent geopend", items: recent },
        { label: `Veelgevraagd in ${this.gemeenteName}`, items: top },
      ], "Recent en veelgevraagd");
      this.ui.hint.textContent = recent.length || top.length ? "" : "Typ een vraag of trefwoord, bijvoorbeeld “paspoort verlopen”.";
      if (!cached || Date.now() - cached.at > TOP_TTL) {
        this.top[gemeente] = { at: Date.now(), items: cached ? cached.items : [] };
        this.request(`agent/gemeenten/${encodeURIComponent(gemeente)}/top`).then((data) => {
          this.top[gemeente] = { at: Date.now(), items: (data && data.results) || [] };
          if (this.gemeente === gemeente && !this.results && !this.ui.input.value.trim() && this.ui.entry.hidden) this.home();
        }, () => { delete this.top[gemeente]; });
      }
    }

    renderOptions(groups, label) {
      const list = this.ui.list;
      list.setAttribute("aria-label", label);
      this.items = [];
      const children = [];
      groups.forEach((group, g) => {
        if (!group.items.length) return;
        const options = group.items.map((item) => this.option(item));
        if (group.label) {
          const id = `group-${g}`;
          children.push(h("div", { role: "group", "aria-labelledby": id }, h("div", { class: "head", id, text: group.label }), options));
        } else {
          children.push(...options);
        }
      });
      list.replaceChildren(...children);
      this.ui.input.setAttribute("aria-expanded", String(this.items.length > 0 && this.ui.entry.hidden));
      this.setActive(-1);
    }

    option(item) {
      const index = this.items.push(item) - 1;
      const text = item.snippet ? h("span", { class: "s", html: item.snippet }) : item.summary ? h("span", { class: "s", text: item.summary }) : null;
      return h("div", {
        role: "option", id: `option-${index}`, "aria-selected": "false",
        onclick: () => { this.setActive(index); this.open(item, { from: item.source }); },
      },
      h("span", { class: "t" }, item.title || item.slug,
        h("span", { class: "tag", text: KIND[item.kind] || item.kind }),
        item.local ? h("span", { class: "tag local", text: "lokaal" }) : null,
        item.offered === false ? h("span", { class: "tag no", text: "niet aangeboden" }) : null,
        item.promoted ? h("span", { class: "tag", text: "aanbevolen" }) : null),
      text);
    }

    showList() {
      if (this.ui.entry.hidden) return;
      this.ui.entry.hidden = true;
      this.ui.results.hidden = false;
      this.ui.input.setAttribute("aria-expanded", String(this.items.length > 0));
      this.setActive(this.active);
    }

    back() {
      this.showList();
      if (!this.results && !this.ui.input.value.trim()) this.home();
      else if (this.results && this.results.gemeente !== this.gemeente) this.search(this.results.query);
      this.ui.input.focus();
    }

    /* ---- the answer view ---- */

    async open(item, { from = "", focus = true } = {}) {
      if (from === "search" && this.results && this.results.clickToken) {
        this.post("zoekkliks", { token: this.results.clickToken, kind: item.kind, id: item.id }).catch(() => {});
      }
      const seq = ++this.openSeq;
      const gemeente = this.gemeente;
      this.ui.results.hidden = true;
      this.ui.entry.hidden = false;
      this.ui.input.setAttribute("aria-expanded", "false");
      this.ui.input.removeAttribute("aria-activedescendant");
      if (from !== "switch") this.ui.entry.replaceChildren(h("p", { class: "meta", text: "Laden…" }));
      let data;
      try {
        data = await this.request(this.entryPath(item.kind, item.slug));
      } catch (e) {
        if (seq !== this.openSeq) return;
        const message = e.status === 404
          ? `“${item.title || item.slug}” bestaat niet in ${this.gemeenteName}.`
          : "Dit antwoord kan nu niet worden geladen. Probeer het opnieuw.";
        this.ui.entry.replaceChildren(this.backButton(), h("p", { class: "msg err", role: "alert", text: message }));
        if (focus) this.ui.entry.querySelector("button").focus();
        return;
      }
      if (seq !== this.openSeq || gemeente !== this.gemeente) return;
      this.current = data;
      this.remember(data);
      this.renderEntry(data);
      if (focus) this.ui.entry.querySelector("h2").focus();
      else this.announce(`${data.title} in ${this.gemeenteName}.`);
    }

    remember(entry) {
      const key = `recent:${this.gemeente}`;
      const recent = store.get(key, []).filter((x) => !(x.kind === entry.kind && x.id === entry.id));
      recent.unshift({ kind: entry.kind, id: entry.id, slug: entry.slug, title: entry.title });
      store.set(key, recent.slice(0, 10));
    }

    backButton() {
      return h("button", { type: "button", class: "link", onclick: () => this.back() }, "← Terug naar de resultaten (Esc)");
    }

    /* What the agent needs on the phone comes first: the key facts (a few lines),
       then the agent-only notes; the full public text of a product is folded away below. */
    renderEntry(d) {
      const g = this.gemeenteName;
      const sections = d.kind === "product" ? d.sections || [] : [];
      const full = sections.length ? h("details", { class: "full", open: this.fullOpen, ontoggle: (e) => { this.fullOpen = e.target.open; } },
        h("summary", {}, "Volledige tekst", h("span", { class: "meta", text: sections.map((x) => x.heading).join(" · ") })),
        sections.map((x) => h("section", { "data-section": x.name }, h("h4", { text: x.heading }), h("div", { html: x.html })))) : null;
      const answer = d.kind === "product" ? [d.summary ? h("p", { text: d.summary }) : null, full] : h("div", { html: d.answer });
      this.ui.entry.replaceChildren(...nodes(
        this.backButton(),
        h("h2", { id: "entry-title", tabindex: "-1", text: d.title }),
        h("p", { class: "meta" },
          h("span", { text: `${KIND[d.kind] || d.kind} · ${g}` }),
          d.local ? h("span", { class: "tag local", text: `lokaal in ${g}` }) : null,
          d.offered === false ? h("span", { class: "tag no", text: "niet aangeboden" }) : null,
          d.public_from ? h("span", { class: "tag scheduled", text: `vanaf ${publicDate(d.public_from)} publiek` }) : null,
          h("span", { class: "tag no", id: "flagged", hidden: true, text: "gemeld, in behandeling" }),
          d.url ? h("a", { href: d.url, target: "_blank", rel: "noopener noreferrer", text: "Bekijk op de website" }) : null),
        this.audienceSwitch(d),
        this.actions(d),
        this.outcome(d),
        this.correction(d),
        d.offered === false ? h("p", { class: "warn", text: `Niet aangeboden in ${g}.` }) : null,
        d.spoken_answer ? h("section", { class: "spoken", "aria-labelledby": "spoken-title" },
          h("h3", { id: "spoken-title", text: "Aan de telefoon (kort)" }), h("p", { text: d.spoken_answer })) : null,
        h("div", { class: "phone" }, this.keyFacts(d), this.agentBlock(d)),
        h("section", { class: "public answer", "aria-labelledby": "public-title" },
          h("h3", { id: "public-title", text: "Antwoord (ook op de website)" }), answer),
        this.related(d),
      ));
      this.request(`agent/gemeenten/${encodeURIComponent(this.gemeente)}/meldingen`).then((r) => {
        const tag = this.root.getElementById("flagged");
        if (tag && this.current === d) tag.hidden = !r.results.some((f) => f.entry.kind === d.kind && f.entry.id === d.id);
      }).catch(() => {});
    }

    /* "Mijn meldingen": the agent's own flags and what became of them. */
    async myFlags() {
      this.ui.results.hidden = true;
      this.ui.entry.hidden = false;
      let items = [];
      try { items = (await this.request("agent/meldingen")).results; } catch (e) { items = null; }
      this.ui.entry.replaceChildren(...nodes(this.backButton(), h("h2", { id: "entry-title", tabindex: "-1", text: "Mijn meldingen" }),
        items === null ? h("p", { class: "msg err", text: "Laden lukte niet." }) : !items.length ? h("p", { class: "meta", text: "Nog geen meldingen." }) :
          h("ul", { class: "rel" }, items.map((f) => h("li", { "data-flag": f.id },
            h("strong", { text: f.entry ? f.entry.title : `ontbreekt: “${f.query}”` }), " ",
            h("span", { class: "tag", text: f.status_label }), f.reason ? h("span", { class: "meta", text: ` ${f.reason}` }) : null,
            f.remark ? h("div", { class: "meta", text: f.remark }) : null)))));
      this.ui.entry.querySelector("h2").focus();
    }

    agentBlock(d) {
      const g = this.gemeenteName;
      const parts = [];
      const notes = d.notes || [];
      const known = NOTES.map(([kind]) => kind);
      const groups = [...NOTES, ...[...new Set(notes.map((n) => n.kind))].filter((k) => !known.includes(k)).map((k) => [k, ""])];
      for (const [kind, label] of groups) {
        const list = notes.filter((n) => n.kind === kind);
        if (!list.length) continue;
        parts.push(h("section", { class: `note ${kind}`, "data-kind": kind },
          h("h4", { text: label || list[0].kind_label || kind }),
          list.map((n) => [
            n.title ? h("p", {}, h("strong", { text: n.title }), n.local ? h("span", { class: "tag local", text: `alleen ${g}` }) : null) : null,
            h("div", { html: n.body }),
          ])));
      }
      if (d.internal_explanation) parts.push(h("section", { class: "note internal" }, h("h4", { text: "Toelichting voor medewerkers" }), h("div", { html: d.internal_explanation })));
      if (d.problems && d.problems.length) parts.push(h("p", { class: "meta", text: `Let op, ontbrekende gegevens: ${d.problems.join(", ")}` }));
      if (!parts.length) parts.push(h("p", { class: "meta", text: "Geen interne notities bij dit antwoord." }));
      return h("section", { class: "agent", "aria-labelledby": "agent-title" },
        h("h3", { id: "agent-title", text: "Alleen voor KCC-medewerkers (niet publiek)" }), parts);
    }

    keyFacts(d) {
      const facts = d.key_facts || [];
      return facts.length ? h("section", { class: "facts", "aria-labelledby": "facts-title" },
        h("h3", { id: "facts-title", text: "Kerngegevens" }),
        h("dl", {}, facts.map((f) => [h("dt", { text: f.label }), h("dd", { "data-fact": f.name, html: f.html })]))) : null;
    }

    actions(d) {
      const status = h("p", { class: "msg ok", role: "status", hidden: true });
      const copy = h("button", { type: "button", class: "primary", "data-action": "copy" }, "Kopieer antwoord");
      const mail = d.email_template ? h("button", { type: "button", "data-action": "email" }, "Kopieer als e-mail") : null;
      const flag = h("button", { type: "button", "data-action": "flag", "aria-expanded": "false" }, "Antwoord klopt niet");
      const remark = h("textarea", { id: "flag-remark", rows: "3", maxlength: "2000", placeholder: "Bijvoorbeeld: de leges zijn per 1 januari gewijzigd." });
      const kind = h("select", { id: "flag-kind" }, h("option", { value: "wrong", text: "klopt niet" }), h("option", { value: "unclear", text: "is onduidelijk" }));
      const field = h("select", { id: "flag-field" }, h("option", { value: "", text: "het hele antwoord" }),
        (d.sections || []).map((x) => h("option", { value: x.name, text: x.heading || x.name })));
      const form = h("form", { class: "flag", hidden: true },
        h("label", { for: "flag-field", text: "Waarover?" }), field, h("label", { for: "flag-kind", text: "Dit deel" }), kind,
        h("label", { for: "flag-remark", text: "Wat klopt er niet? (optioneel)" }), remark,
        h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, "Melding versturen"),
          h("button", { type: "button", onclick: () => close() }, "Annuleren")));
      const close = () => { form.hidden = true; flag.setAttribute("aria-expanded", "false"); flag.focus(); };
      copy.addEventListener("click", async () => {
        const ok = await copyText(this.answerText(d));
        if (ok) this.post("agent/contactuitkomsten", { gemeente: this.gemeente, entry: { kind: d.kind, id: d.id }, outcome: "copied" }).catch(() => {});
        copy.focus();
        status.hidden = false;
        status.className = ok ? "msg ok" : "msg err";
        status.textContent = ok ? "Antwoord gekopieerd." : "Kopiëren lukte niet; selecteer de tekst zelf.";
      });
      if (mail) mail.addEventListener("click", async () => {
        const ok = await copyText(d.email_template);
        status.hidden = false;
        status.className = ok ? "msg ok" : "msg err";
        status.textContent = ok ? "E-mail gekopieerd." : "Kopiëren lukte niet; selecteer de tekst zelf.";
      });
      flag.addEventListener("click", () => {
        form.hidden = !form.hidden;
        flag.setAttribute("aria-expanded", String(!form.hidden));
        if (!form.hidden) remark.focus();
      });
      form.addEventListener("keydown", (e) => this.formKeys(e, form, close));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const submit = form.querySelector("[type=submit]");
        submit.disabled = true;
        try {
          await this.post("terugkoppeling", {
            gemeente: this.gemeente, kind: kind.value, entry: { kind: d.kind, id: d.id }, field: field.value,
            remark: remark.value.trim(), query: (this.results && this.results.query) || "",
          });
          form.hidden = true;
          flag.textContent = "Gemeld als onjuist";
          flag.disabled = true;
          status.className = "msg ok";
          status.textContent = "Bedankt. Uw melding staat bij de kennisregisseur.";
          copy.focus();
        } catch (err) {
          status.className = "msg err";
          status.textContent = "Melden lukte niet. Probeer het opnieuw.";
        } finally {
          submit.disabled = false;
          status.hidden = false;
        }
      });
      return h("div", {}, h("div", { class: "actions" }, copy, mail, flag), form, status);
    }

    /* The contact's outcome in one click, for the management information
       (per answer and gemeente, nothing about the caller). */
    outcome(d) {
      const status = h("p", { class: "msg ok", role: "status", hidden: true });
      const buttons = OUTCOMES.map(([value, label]) => h("button", { type: "button", "data-outcome": value, "aria-pressed": "false" }, label));
      buttons.forEach((button) => button.addEventListener("click", async () => {
        buttons.forEach((b) => { b.disabled = true; });
        try {
          await this.post("agent/contactuitkomsten", { gemeente: this.gemeente, entry: { kind: d.kind, id: d.id }, outcome: button.dataset.outcome });
          button.setAttribute("aria-pressed", "true");
          status.className = "msg ok";
          status.textContent = `Uitkomst vastgelegd: ${button.textContent.toLowerCase()}.`;
        } catch (err) {
          buttons.forEach((b) => { b.disabled = false; });
          status.className = "msg err";
          status.textContent = "Vastleggen lukte niet. Probeer het opnieuw.";
        }
        status.hidden = false;
      }));
      return h("div", { class: "outcome", role: "group", "aria-labelledby": "outcome-title" },
        h("p", { id: "outcome-title", class: "meta", text: "Uitkomst van dit contact:" }), h("div", { class: "actions" }, buttons), status);
    }

    answerText(d) {
      const parts = d.kind === "product"
        ? [d.summary || "", ...(d.sections || []).map((s) => `${s.heading}\n${toText(s.html)}`)]
        : [toText(d.answer)];
      if (d.url) parts.push(`Meer informatie: ${d.url}`);
      return parts.filter(Boolean).join("\n\n");
    }

    /* Related entries: the detail's own `related` list (this gemeente, offered here). */
    related(d) {
      const items = (d.related || []).slice(0, 5);
      if (!items.length) return null;
      return h("section", { class: "related", "aria-labelledby": "related-title" },
        h("h3", { id: "related-title", text: "Gerelateerd" }),
        h("ul", { class: "rel" }, items.map((x) => h("li", {},
          h("button", { type: "button", class: "link", onclick: () => this.open(x, { from: "related" }) }, x.title || x.slug),
          h("span", { class: "tag", text: KIND[x.kind] || x.kind }),
          x.local ? h("span", { class: "tag local", text: "lokaal" }) : null))));
    }

    /* ---- suggestions: agents are authors too (a curator reviews them; nothing is published) ---- */

    toggleForm(button, form, first) {
      form.hidden = !form.hidden;
      button.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) first.focus();
    }

    async sendSuggestion(body, form, status, done) {
      const submit = form.querySelector("[type=submit]");
      submit.disabled = true;
      try {
        await this.post("agent/voorstellen", { gemeente: this.gemeente, ...body });
        form.hidden = true;
        status.className = "msg ok";
        status.textContent = "Bedankt. Uw voorstel staat bij de kennisregisseur.";
        done();
      } catch (err) {
        status.className = "msg err";
        status.textContent = "Versturen lukte niet. Probeer het opnieuw.";
      } finally {
        submit.disabled = false;
        status.hidden = false;
        this.announce(status.textContent);
      }
    }

    wireDraft() {
      const $ = (id) => this.root.getElementById(id);
      const open = $("draft-open"), form = $("draft-form"), question = $("draft-question"), answer = $("draft-answer");
      open.addEventListener("click", () => this.toggleForm(open, form, question));
      form.querySelector("[data-cancel]").addEventListener("click", () => { form.hidden = true; open.setAttribute("aria-expanded", "false"); open.focus(); });
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.sendSuggestion({ title: question.value.trim(), text: answer.value.trim(), all: $("draft-all").checked }, form, $("draft-ok"), () => {
          question.value = ""; answer.value = ""; open.focus();
        });
      });
    }

    correction(d) {
      const status = h("p", { class: "msg ok", role: "status", hidden: true });
      const open = h("button", { type: "button", "data-action": "correct", "aria-expanded": "false" }, "Stel correctie voor");
      const text = h("textarea", { id: "correct-text", rows: "5", maxlength: "20000" });
      text.value = toText(d.answer || (d.sections && d.sections[0] && d.sections[0].html) || "");
      const form = h("form", { class: "flag", hidden: true },
        h("label", { for: "correct-text", text: "Verbeterde tekst (de kennisregisseur beoordeelt hem)" }), text,
        h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, "Voorstel versturen"),
          h("button", { type: "button", onclick: () => { form.hidden = true; open.setAttribute("aria-expanded", "false"); open.focus(); } }, "Annuleren")));
      open.addEventListener("click", () => this.toggleForm(open, form, text));
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.sendSuggestion({ entry: { kind: d.kind, id: d.id }, text: text.value.trim() }, form, status, () => {
          open.textContent = "Correctie voorgesteld";
          open.disabled = true;
        });
      });
      return h("div", { class: "correction" }, h("div", { class: "actions" }, open), form, status);
    }

    /* ---- missing answer ---- */

    openMissing() {
      this.ui.missingForm.hidden = false;
      this.ui.missingOpen.setAttribute("aria-expanded", "true");
      this.ui.missingRemark.focus();
    }

    closeMissing() {
      if (this.ui.missingForm.hidden) return;
      this.ui.missingForm.hidden = true;
      this.ui.missingOpen.setAttribute("aria-expanded", "false");
      if (this.root.activeElement && this.ui.missing.contains(this.root.activeElement)) this.ui.missingOpen.focus();
    }

    async sendMissing() {
      const query = this.results ? this.results.query : this.ui.input.value.trim();
      const ok = this.ui.missingOk;
      try {
        await this.post("terugkoppeling", { gemeente: this.gemeente, kind: "missing", query, remark: this.ui.missingRemark.value.trim() });
        this.ui.missingRemark.value = "";
        this.closeMissing();
        ok.className = "msg ok";
        ok.textContent = `Bedankt. Gemeld dat een antwoord op “${query}” ontbreekt.`;
      } catch (e) {
        ok.className = "msg err";
        ok.textContent = "Melden lukte niet. Probeer het opnieuw.";
      }
      ok.hidden = false;
      this.announce(ok.textContent);
      this.ui.input.focus();
    }
  }

  customElements.define("kennis-widget", KennisWidget);
})();
