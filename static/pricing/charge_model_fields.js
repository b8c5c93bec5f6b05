/* The price book item page: show only the fields the chosen charge model reads.

   The server puts {charge model name: ["price.minimum_amount", "interval.price",
   "tier.flat_amount", ...]} in <script id="charge-model-fields"> (from the charge-model
   registry); this script knows no model by name. As the charge model select changes, it hides
   the price-level rows of the main form, the interval fields of the stacked interval inlines,
   the tier columns of the tabular tier inlines (rows added later too), and the whole tier
   inline of a model without tiers. Hiding never clears a value. A price-level field or a tier
   inline that holds a value the chosen model does not read stays shown, marked: saving it
   would be refused, and a hidden value could not be cleared. Without this script (or without
   the mapping, or without the select) every field shows.

   <script id="charge-model-required"> lists the keys a model needs a value for when it reads
   them (the interval's price, a tier's start and price, ...): their labels are marked
   required, the admin's way (bold), and their inputs aria-required, as the model changes. */
(function () {
  "use strict";

  var HIDDEN = "data-charge-model-hidden";
  var NOTE = "charge-model-note";
  var NOTE_TEXT = "Not used by the chosen charge model: clear it, or saving is refused.";

  function readMapping(id) {
    var node = document.getElementById(id || "charge-model-fields");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      return null;
    }
  }

  function addStyle() {
    var style = document.createElement("style");
    style.textContent = "[" + HIDDEN + "] { display: none !important; }";
    document.head.appendChild(style);
  }

  function setHidden(element, hidden) {
    if (hidden) element.setAttribute(HIDDEN, "");
    else element.removeAttribute(HIDDEN);
  }

  function setNote(element, shown, before) {
    var note = element.querySelector(":scope > ." + NOTE);
    if (shown && !note) {
      note = document.createElement("p");
      note.className = "help " + NOTE;
      note.textContent = NOTE_TEXT;
      element.insertBefore(note, before || element.firstChild);
    } else if (!shown && note) {
      note.remove();
    }
  }

  // The inline group an element belongs to: null for the main form.
  function group(element) {
    return element.closest(".djn-group");
  }
  function isIntervalGroup(element) {
    return element !== null && element.classList.contains("djn-group-root");
  }
  function isTierGroup(element) {
    return element !== null && element.classList.contains("djn-group-nested");
  }

  function holdsValue(element) {
    var inputs = element.querySelectorAll("input, select, textarea");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "hidden") continue;
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) return true;
      } else if (input.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  // Tier rows that would be saved: not the empty template, not marked for deletion.
  function liveTierRows(tierGroup) {
    var rows = tierGroup.querySelectorAll(".djn-inline-form:not(.djn-empty-form)");
    return Array.prototype.filter.call(rows, function (row) {
      var deleted = row.querySelector("input[name$='-DELETE']");
      return !(deleted && deleted.checked) && !row.classList.contains("djn-deleted");
    });
  }

  // The element that shows one field: a single-field row, or a field's box in a multi-field
  // row (with its help text), or a table cell.
  function holder(element) {
    if (element.classList.contains("fieldBox")) return element.parentElement;
    return element;
  }

  function mainFormFields(form, name) {
    return Array.prototype.filter.call(
      form.querySelectorAll(".form-row.field-" + name + ", .fieldBox.field-" + name),
      function (element) {
        var row = element.classList.contains("form-row");
        // A multi-field row names every field it holds; its boxes are handled one by one.
        if (row && element.querySelector(".fieldBox")) return false;
        return group(element) === null;
      }
    );
  }

  // Mark a shown field required (or not): its label or column heading, and its inputs.
  function markRequired(form, key, required) {
    var dot = key.indexOf(".");
    var level = key.slice(0, dot);
    var name = key.slice(dot + 1);
    var selector = level === "tier" ? "td.field-" + name : ".fieldBox.field-" + name;
    form.querySelectorAll(selector).forEach(function (element) {
      var inTier = isTierGroup(group(element));
      if ((level === "tier") !== inTier || (level === "interval" && !isIntervalGroup(group(element)))) {
        return;
      }
      element.querySelectorAll("input, select, textarea").forEach(function (input) {
        if (required) input.setAttribute("aria-required", "true");
        else input.removeAttribute("aria-required");
      });
      var label = element.querySelector("label");
      if (level === "tier") {
        var table = element.closest("table");
        var head = table && table.tHead && table.tHead.rows[0];
        label = head ? head.cells[element.cellIndex] : null;
      }
      if (label) label.classList.toggle("required", required);
    });
  }

  function apply(form, mapping, select) {
    var chosen = mapping[select.value];
    if (!chosen) {
      // An unknown model (or none chosen): show everything, as without the script.
      form.querySelectorAll("[" + HIDDEN + "]").forEach(function (element) {
        setHidden(element, false);
      });
      form.querySelectorAll("." + NOTE).forEach(function (note) {
        note.remove();
      });
      return;
    }
    var reads = new Set(chosen);
    var needed = readMapping("charge-model-required") || [];
    needed.forEach(function (key) {
      markRequired(form, key, reads.has(key));
    });
    var keys = new Set();
    Object.keys(mapping).forEach(function (name) {
      mapping[name].forEach(function (key) {
        keys.add(key);
      });
    });
    var usesTiers = chosen.some(function (key) {
      return key.indexOf("tier.") === 0;
    });

    keys.forEach(function (key) {
      var dot = key.indexOf(".");
      var level = key.slice(0, dot);
      var name = key.slice(dot + 1);
      var read = reads.has(key);
      if (level === "price") {
        mainFormFields(form, name).forEach(function (element) {
          var box = holder(element);
          var refused = !read && holdsValue(box);
          setHidden(box, !read && !refused);
          setNote(box, refused);
        });
      } else if (level === "interval") {
        form.querySelectorAll(".fieldBox.field-" + name).forEach(function (element) {
          if (isIntervalGroup(group(element))) setHidden(holder(element), !read);
        });
      } else if (level === "tier") {
        form.querySelectorAll("td.field-" + name).forEach(function (cell) {
          if (!isTierGroup(group(cell))) return;
          setHidden(cell, !read);
          var table = cell.closest("table");
          var head = table && table.tHead && table.tHead.rows[0];
          if (head && head.cells[cell.cellIndex]) setHidden(head.cells[cell.cellIndex], !read);
        });
      }
    });

    // A row of several fields whose every field is hidden (a tiered price's interval prices:
    // its tiers hold them) is hidden whole, not left as an empty band.
    form.querySelectorAll(".form-row").forEach(function (row) {
      var boxes = row.querySelectorAll(".fieldBox");
      if (!boxes.length) return;
      var empty = Array.prototype.every.call(boxes, function (box) {
        return holder(box).hasAttribute(HIDDEN);
      });
      setHidden(row, empty);
    });

    form.querySelectorAll(".djn-group-nested").forEach(function (tierGroup) {
      var refused = !usesTiers && liveTierRows(tierGroup).length > 0;
      setHidden(tierGroup, !usesTiers && !refused);
      var fieldset = tierGroup.querySelector("fieldset");
      if (fieldset) {
        var heading = fieldset.querySelector(":scope > h2");
        setNote(fieldset, refused, heading ? heading.nextSibling : null);
      }
    });
  }

  function start() {
    var mapping = readMapping();
    var select = document.getElementById("id_charge_model");
    if (!mapping || !select || select.tagName !== "SELECT") return;
    var form = select.form || document.body;
    addStyle();

    var pending = false;
    function update() {
      pending = false;
      apply(form, mapping, select);
    }
    function schedule() {
      if (pending) return;
      pending = true;
      window.setTimeout(update, 0);
    }

    select.addEventListener("change", update);
    // A value cleared, a tier marked for deletion: a marked field may now hide.
    form.addEventListener("change", schedule);
    update();

    // nested_admin adds and removes interval and tier rows (cloning its empty forms): treat
    // each new row like the rest. Our own notes are the only nodes this script adds or
    // removes; they are ignored.
    function ours(node) {
      return node.nodeType !== 1 || node.classList.contains(NOTE);
    }
    new MutationObserver(function (mutations) {
      var rows = mutations.some(function (mutation) {
        return (
          !Array.prototype.every.call(mutation.addedNodes, ours) ||
          !Array.prototype.every.call(mutation.removedNodes, ours)
        );
      });
      if (rows) schedule();
    }).observe(form, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
