/* Processhandboken: the filter above the role list on roller/ (form.hb-rolefilter).
 *
 * The list shows every role with its processes; without this script it simply shows all of
 * them and the form stays hidden. Choosing a role shows its row only; choosing a landscape band
 * or verksamhetsområde shows only the processes in it, and only the roles that take part in one.
 * Plain <select>s, so the keyboard works as everywhere; the status line is read out.
 */
(function () {
  "use strict";

  function setup() {
    var form = document.querySelector("form.hb-rolefilter");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var role = form.querySelector('[data-filter="role"]');
    var area = form.querySelector('[data-filter="area"]');
    var status = form.querySelector(".hb-rolefilter__status");
    var rows = Array.prototype.slice.call(document.querySelectorAll(".hb-rolematrix__row"));
    var everyProcess = {};
    rows.forEach(function (row) {
      row.querySelectorAll("li[data-process]").forEach(function (item) { everyProcess[item.dataset.process] = true; });
    });

    function apply() {
      var chosenRole = role.value;
      var chosenArea = area ? area.value : "";
      var roles = 0;
      var processes = {};
      rows.forEach(function (row) {
        var shown = 0;
        row.querySelectorAll("li[data-process]").forEach(function (item) {
          var match = !chosenArea || item.dataset.area === chosenArea || item.dataset.band === chosenArea;
          item.hidden = !match;
          if (match) { shown += 1; processes[item.dataset.process] = true; }
        });
        var visible = chosenRole ? row.dataset.role === chosenRole : !chosenArea || shown > 0;
        row.hidden = !visible;
        var none = row.querySelector(".hb-rolematrix__none--area");
        if (none) none.hidden = !(chosenArea && shown === 0 && row.querySelector("li[data-process]"));
        if (visible) roles += 1;
      });
      var total = Object.keys(everyProcess).length;
      var count = chosenRole ? rows.filter(function (row) { return !row.hidden; })
        .reduce(function (n, row) { return n + row.querySelectorAll("li[data-process]:not([hidden])").length; }, 0)
        : Object.keys(processes).length;
      status.textContent = (!chosenRole && !chosenArea)
        ? "Visar alla " + rows.length + " roller och " + total + " processer."
        : "Visar " + roles + " av " + rows.length + " roller och " + count + " av " + total + " processer.";
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });  // after the fields are reset
    form.hidden = false;
    apply();
  }

  if (window.document$) window.document$.subscribe(setup);  // Material's instant navigation
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
