// Sorts a table when its header is clicked (or focused and Enter pressed).
// The page reads the same without it: rows arrive sorted by risk.
(function () {
  "use strict";
  var root = document.documentElement;
  root.setAttribute("data-js", "ready");
  // The stylesheet sets --dh-css; seeing it proves the style was allowed.
  if (getComputedStyle(root).getPropertyValue("--dh-css").trim() === "1") {
    root.setAttribute("data-css", "ready");
  }
  function key(row, i) {
    var cell = row.cells[i];
    if (!cell) {
      return "";
    }
    var k = cell.getAttribute("data-key");
    return k === null ? cell.textContent.trim() : k;
  }
  function compare(x, y) {
    var nx = Number(x), ny = Number(y);
    if (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) {
      return nx - ny;
    }
    return x.localeCompare(y);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, i) {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) {
          h.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var d = compare(key(a, i), key(b, i));
          return asc ? d : -d;
        });
        rows.forEach(function (r) {
          body.appendChild(r);
        });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          sort();
        }
      });
    });
  });
})();
