/* Partenariat: the checklist view (« Je suis capable de… » and task lists in lessons), on the progress store.
 * Ticks are stored in the store’s `checks` bucket as {on, t}. Boxes the course does not know (the print page’s,
 * which are for paper) are left alone and never stored. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;

  function boxes() {
    return Array.prototype.filter.call(document.querySelectorAll("input[data-check]"), function (box) {
      return store.known("checks", box.getAttribute("data-check"));
    });
  }

  function renderStatus(lastResult) {
    document.querySelectorAll("ul.checklist").forEach(function (list) {
      var inList = Array.prototype.slice.call(list.querySelectorAll("input[data-check]"));
      var done = inList.filter(function (b) { return b.checked; }).length;
      var status = list.parentElement.querySelector(".checklist-status");
      if (!status) return;
      var saved = store.status().ok && inList.every(function (b) { return store.saved("checks", b.getAttribute("data-check")); });
      status.textContent = done + " sur " + inList.length + " cochée(s)" +
        (saved ? ", enregistré dans ce navigateur." : " — non enregistré dans ce navigateur.");
      if (lastResult && lastResult.list === list) NS.quiz.showSaveStatus(list.parentElement, status, lastResult.result);
      else if (saved) NS.quiz.showSaveStatus(list.parentElement, status, { ok: true });
    });
  }

  function refresh() {
    boxes().forEach(function (box) {
      var item = store.get("checks", box.getAttribute("data-check"));
      box.checked = !!(item && item.on);
    });
    renderStatus(null);
  }

  function init() {
    boxes().forEach(function (box) {
      box.addEventListener("change", function () {
        var result = store.put("checks", box.getAttribute("data-check"), { on: box.checked });
        var list = box.closest("ul.checklist");
        if (!list && box.closest("li")) NS.quiz.showSaveStatus(box.closest("li"), box.closest("li").lastChild, result);
        /* « enregistré » is said once the write has landed (the store writes under a lock shared by the tabs) */
        var said = function (landed) { renderStatus({ list: list, result: landed }); };
        if (result.done) result.done.then(said); else said(result);
      });
    });
    refresh();
    store.on(function (event) {
      if (event.source !== "local") refresh();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
