/* The price book item page: the intervals' order, kept in their sequence numbers.

   The rows on the page are in sequence order, numbered 1..n. A row added with "Add another"
   gets the next number; "Move up" / "Move down" (buttons, so the keyboard reaches them) and
   nested_admin's drag move a row and renumber the rows in page order; typing a number in a
   row's sequence moves the row to that place. A status line tells screen readers where a
   row went. Without this script the numbers are plain inputs: the server saves the rows in
   the order of their numbers, a blank one last, and renumbers them 1..n. */
(function () {
  "use strict";

  var PREFIX = "intervals";
  var ROW = new RegExp("^" + PREFIX + "-\\d+$");
  var CONTROLS = "interval-order";

  function sequenceInput(row) {
    var index = row.id.slice(PREFIX.length + 1);
    return document.getElementById("id_" + PREFIX + "-" + index + "-sequence");
  }

  function rows(items) {
    return Array.prototype.filter.call(items.children, function (node) {
      return node.classList.contains("djn-inline-form") && ROW.test(node.id);
    });
  }

  function number(row) {
    var input = sequenceInput(row);
    var value = input ? parseInt(input.value, 10) : NaN;
    return isNaN(value) ? null : value;
  }

  function setNumber(row, value) {
    var input = sequenceInput(row);
    if (input && input.value !== String(value)) {
      input.value = String(value);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function renumber(items) {
    rows(items).forEach(function (row, index) {
      setNumber(row, index + 1);
    });
  }

  function announce(text) {
    var status = document.getElementById(CONTROLS + "-status");
    if (status) status.textContent = text;
  }

  function button(label, direction) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "button " + CONTROLS + "-" + direction;
    node.textContent = label;
    node.setAttribute("data-direction", direction);
    return node;
  }

  function addControls(row) {
    var input = sequenceInput(row);
    if (!input || row.querySelector("." + CONTROLS)) return;
    var span = document.createElement("span");
    span.className = CONTROLS;
    span.appendChild(button("Move up", "up"));
    span.appendChild(document.createTextNode(" "));
    span.appendChild(button("Move down", "down"));
    input.insertAdjacentElement("afterend", span);
  }

  function move(items, row, place) {
    var all = rows(items).filter(function (other) {
      return other !== row;
    });
    place = Math.max(0, Math.min(place, all.length));
    var before = place < all.length ? all[place] : all.length ? all[all.length - 1].nextSibling : null;
    if (before !== row) items.insertBefore(row, before);
    renumber(items);
    announce("Interval moved to position " + (place + 1) + " of " + (all.length + 1) + ".");
  }

  // On load (and after the server re-shows the page): rows in the order of their numbers,
  // blank ones last, ties in page order.
  function sortRows(items) {
    var current = rows(items);
    var sorted = current
      .map(function (row, index) {
        return { row: row, index: index, number: number(row) };
      })
      .sort(function (a, b) {
        var blankA = a.number === null, blankB = b.number === null;
        if (blankA !== blankB) return blankA ? 1 : -1;
        return (a.number || 0) - (b.number || 0) || a.index - b.index;
      })
      .map(function (entry) {
        return entry.row;
      });
    var moved = sorted.some(function (row, index) {
      return row !== current[index];
    });
    if (moved) {
      var anchor = current[current.length - 1].nextSibling;
      sorted.forEach(function (row) {
        items.insertBefore(row, anchor);
      });
    }
  }

  // New rows get the next number; a row dragged elsewhere renumbers the rest.
  function settle(items) {
    var all = rows(items);
    all.forEach(addControls);
    var numbers = all.map(number);
    var highest = numbers.reduce(function (top, value) {
      return value !== null && value > top ? value : top;
    }, 0);
    all.forEach(function (row, index) {
      if (numbers[index] === null) {
        highest += 1;
        numbers[index] = highest;
        setNumber(row, highest);
      }
    });
    var ordered = numbers.every(function (value, index) {
      return index === 0 || numbers[index - 1] <= value;
    });
    if (!ordered) renumber(items);
  }

  function start() {
    var group = document.getElementById(PREFIX + "-group");
    var items = group && group.querySelector(".djn-items");
    if (!items) return;
    var status = document.createElement("p");
    status.id = CONTROLS + "-status";
    status.className = "help";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    items.parentNode.insertBefore(status, items);

    if (rows(items).length) sortRows(items);
    settle(items);

    items.addEventListener("click", function (event) {
      var target = event.target.closest("." + CONTROLS + " button");
      if (!target) return;
      event.preventDefault();
      var row = target.closest(".djn-inline-form");
      var place = rows(items).indexOf(row) + (target.getAttribute("data-direction") === "up" ? -1 : 1);
      move(items, row, place);
      target.focus();
    });
    items.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.name || !/-sequence$/.test(input.name) || !event.isTrusted) return;
      var row = input.closest(".djn-inline-form");
      var wanted = parseInt(input.value, 10);
      if (!row || !ROW.test(row.id) || isNaN(wanted)) return;
      move(items, row, wanted - 1);
    });
    new MutationObserver(function (mutations) {
      var rowsChanged = mutations.some(function (mutation) {
        return mutation.addedNodes.length || mutation.removedNodes.length;
      });
      if (rowsChanged) settle(items);
    }).observe(items, { childList: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
