// The portal's one script: a table box that scrolls sideways shows its hint ("swipe or
// scroll to see every plan") only while the table is wider than the box. Without this
// script the hint simply stays visible.
(function () {
  "use strict";

  function update() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (box) {
      var hint = document.getElementById(box.getAttribute("data-scroll-hint"));
      if (hint) {
        hint.hidden = box.scrollWidth <= box.clientWidth + 1;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
