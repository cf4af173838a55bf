// Live reload for `postkamer serve`; injected by serve only, never by build.
// Its words come from the site's translation files: serve puts them in
// window.__postkamerStrings before this code.
// Listens to /__postkamer/events: `reload` reloads the page, `errors` shows an
// overlay with every error (built with textContent: error text is never
// parsed as HTML), `hello` names the server so a restarted server reloads.
(function () {
  "use strict";
  if (window.__postkamerReload) return;
  window.__postkamerReload = true;

  var HOST_ID = "postkamer-errors";
  // The overlay's words in the site's language: serve sets them before this script.
  var words = window.__postkamerStrings;
  var server = null;

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  function place(d) {
    var where = d.file || "";
    if (d.line) {
      where += ":" + d.line;
      if (d.column) where += ":" + d.column;
    }
    return where;
  }

  function hide() {
    var old = document.getElementById(HOST_ID);
    if (old) old.remove();
  }

  // A constructed stylesheet, not a <style> element: a strict Content-Security-Policy
  // (style-src 'self') blocks inline styles but allows CSSOM sheets.
  var sheet = null;
  function overlaySheet() {
    if (sheet) return sheet;
    sheet = new CSSStyleSheet();
    sheet.replaceSync(":host{all:initial}" +
      ".box{position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.88);" +
      "color:#fff;font:15px/1.5 system-ui,sans-serif;padding:2rem}" +
      ".panel{max-width:60rem;margin:0 auto;background:#2b0d0d;border:2px solid #ff6b6b;border-radius:6px;padding:1.25rem 1.5rem}" +
      "h2{margin:0 0 .5rem;font-size:1.25rem;color:#ffb3b3}" +
      "p{margin:.25rem 0 1rem}" +
      "ol{padding-left:1.25rem;margin:0}" +
      "li{margin:0 0 1rem}" +
      ".where{font:600 14px/1.4 ui-monospace,monospace;color:#ffd27f}" +
      ".message{white-space:pre-wrap;margin:.15rem 0}" +
      ".help{color:#cde;white-space:pre-wrap}" +
      "button{font:inherit;background:#fff;color:#000;border:0;border-radius:4px;padding:.35rem .9rem;cursor:pointer}" +
      "button:focus{outline:3px solid #ffd27f;outline-offset:2px}");
    return sheet;
  }

  function show(errors) {
    hide();
    var host = el("div");
    host.id = HOST_ID;
    host.lang = words.lang;
    var root = host.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [overlaySheet()];
    var box = el("div", null, "box");
    var panel = el("section", null, "panel");
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-labelledby", "pk-title");
    var title = el("h2", errors.length === 1 ? words.errors_one : words.errors_many.replace("{n}", String(errors.length)));
    title.id = "pk-title";
    panel.appendChild(title);
    panel.appendChild(el("p", words.errors_intro));
    var list = el("ol");
    errors.forEach(function (d) {
      var item = el("li");
      item.appendChild(el("div", place(d), "where"));
      item.appendChild(el("div", d.message, "message"));
      if (d.help) item.appendChild(el("div", words.help + ": " + d.help, "help"));
      list.appendChild(item);
    });
    panel.appendChild(list);
    var close = el("button", words.hide);
    close.type = "button";
    close.addEventListener("click", hide);
    panel.appendChild(close);
    box.appendChild(panel);
    root.appendChild(box);
    (document.body || document.documentElement).appendChild(host);
    close.focus({ preventScroll: true });
  }

  function connect() {
    var source = new EventSource("/__postkamer/events");
    source.addEventListener("hello", function (e) {
      if (server !== null && server !== e.data) location.reload();
      server = e.data;
      // Lets a person (or a browser test) see that live reload is connected.
      window.__postkamerServer = server;
    });
    source.addEventListener("reload", function () {
      location.reload();
    });
    source.addEventListener("errors", function (e) {
      var errors;
      try {
        errors = JSON.parse(e.data);
      } catch (_) {
        errors = [{ message: String(e.data) }];
      }
      show(Array.isArray(errors) ? errors : []);
    });
  }

  connect();
})();
