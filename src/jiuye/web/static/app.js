// Progressive enhancement only: every page works without script. With it, a background job's
// progress bar refreshes itself, and a button marked data-confirm asks before it acts.
(function () {
  "use strict";
  function poll(el) {
    var url = el.getAttribute("data-progress-url");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        var bar = el.querySelector("progress");
        var text = el.querySelector("[data-progress-text]");
        if (bar && job.total) { bar.max = job.total; bar.value = job.done; }
        if (text) { text.textContent = job.message || ""; }
        if (job.finished) { window.location.reload(); } else { setTimeout(function () { poll(el); }, 1000); }
      })
      .catch(function () { setTimeout(function () { poll(el); }, 3000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-progress-url]").forEach(poll);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
  });
})();
