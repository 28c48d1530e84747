// tabayyun: a little progressive enhancement. Pages work without it; data is never inserted as HTML.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  // times in the reader's locale and time zone (the page's language, the browser's zone); the ISO
  // value stays in the datetime attribute and the title
  var lang = document.documentElement.lang || undefined;
  Array.prototype.forEach.call(document.querySelectorAll("time[datetime]"), function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when.getTime()) || el.getAttribute("datetime").length <= 10) return;
    el.title = el.getAttribute("datetime");
    el.textContent = when.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  });
  var panels = Array.prototype.slice.call(document.querySelectorAll("section.panel"));
  if (!panels.length) return;
  var triggers = document.querySelectorAll("a.claim, a.claim-link");
  function show(id, focus) {
    panels.forEach(function (p) { p.hidden = p.id !== id; });
    triggers.forEach(function (a) { a.setAttribute("aria-expanded", a.dataset.target === id ? "true" : "false"); });
    var panel = document.getElementById(id);
    if (focus && panel) panel.focus();
  }
  triggers.forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      show(a.dataset.target, true);
      history.replaceState(null, "", "#" + a.dataset.target);
    });
  });
  var wanted = location.hash.slice(1);
  show(panels.some(function (p) { return p.id === wanted; }) ? wanted : panels[0].id, false);
});
