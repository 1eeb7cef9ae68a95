/* Directory filter: progressive enhancement of the static facet lists.
   Without JavaScript the form stays hidden and the per-facet pages do the filtering. */
(function () {
  "use strict";
  function setup(form) {
    var list = document.querySelector("[data-network-list]");
    if (!list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    var status = form.querySelector("[data-filter-count]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted) select.value = wanted;
    });
    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var match = selects.every(function (select) {
          if (!select.value) return true;
          return (item.getAttribute("data-" + select.name) || "").split(" ").indexOf(select.value) !== -1;
        });
        item.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = (form.getAttribute("data-count-template") || "{shown} / {total}")
        .replace("{shown}", shown).replace("{total}", items.length);
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  function init() {
    var form = document.querySelector("[data-directory-filter]");
    if (form) setup(form);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
