/* Processhandboken: sortable tables (table.hb-sortable on mognad/ and krav/).
 *
 * Without this script the table is shown in the handbook's own order. With it, each column
 * heading with data-sort="text" or "number" becomes a button; pressing it sorts the rows by the
 * column (a cell's data-sort-value when it has one, else its text), again for the reverse order.
 * The heading carries aria-sort, and the status line says how the table is sorted.
 * Nothing is fetched; works offline and with Material's instant navigation (document$).
 */
(function () {
  "use strict";

  var collator = new Intl.Collator("sv", { numeric: true, sensitivity: "base" });

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cell.textContent.trim();
  }

  function setup(table) {
    if (table.dataset.sortReady) return;
    table.dataset.sortReady = "1";
    var body = table.tBodies[0];
    if (!body) return;
    var wrapper = table.parentElement;
    var status = wrapper ? wrapper.querySelector(".hb-sort-status") : null;
    var help = wrapper ? wrapper.querySelector(".hb-sort-help") : null;
    if (help) help.hidden = false;
    var headers = Array.prototype.slice.call(table.tHead ? table.tHead.rows[0].cells : []);
    headers.forEach(function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (kind !== "text" && kind !== "number") return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hb-sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var order = kind === "number" ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        if (status) {
          status.textContent = "Tabellen är sorterad efter " + button.textContent.trim().toLowerCase() +
            (ascending ? ", stigande." : ", fallande.");
        }
      });
    });
  }

  function setupAll() {
    document.querySelectorAll("table.hb-sortable").forEach(setup);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setupAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupAll);
  } else {
    setupAll();
  }
})();
