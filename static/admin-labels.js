// Tabular inlines and editable lists put their fields in table cells under a column
// heading, with no <label>: give each such field the heading's name (and its row), so
// screen readers and axe-core know what it is.
(function () {
  "use strict";
  function name(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }
  function label(table) {
    const headings = Array.from(table.querySelectorAll("thead th")).map(name);
    table.querySelectorAll("tbody tr").forEach(function (row, rowIndex) {
      Array.from(row.children).forEach(function (cell, column) {
        const heading = headings[column];
        if (!heading) return;
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          const labelled = field.labels && field.labels.length;
          if (labelled || field.getAttribute("aria-label")) return;
          field.setAttribute("aria-label", heading + " (row " + (rowIndex + 1) + ")");
        });
      });
    });
  }
  function labelAll() {
    document.querySelectorAll(".inline-group .tabular table, #result_list").forEach(label);
  }
  document.addEventListener("DOMContentLoaded", labelAll);
  document.addEventListener("formset:added", labelAll);
})();
