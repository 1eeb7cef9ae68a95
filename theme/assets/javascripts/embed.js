/* Embed mode (issue 7): a page opened with ?embed=1, as the "Embed this page" snippet does inside
   an LMS's iframe, shows only its content. Loaded in <head> (theme/main.html), so the class is on
   <html> before the page is drawn; phanthamit.css ("Embed mode") then hides the site's header,
   navigation, sidebars and footer. Links then open the full site in a new tab: the frame keeps the
   embedded page, and the reader gets the site with its navigation. Same-page #anchors stay.
   Also: the embed box's copy button (hidden without JavaScript; the code can still be selected). */
(function () {
  "use strict";
  var embedded = new URLSearchParams(window.location.search).get("embed") === "1";
  if (embedded) document.documentElement.classList.add("embed");

  function openLinksOutside() {
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (link) {
      if (link.getAttribute("href").charAt(0) === "#") return;
      link.setAttribute("target", "_blank");  // attributes, not properties: the map's links are SVG <a>
      link.setAttribute("rel", "noopener");
    });
  }

  function setUpCopy(button) {
    var code = document.getElementById(button.getAttribute("data-copy"));
    if (!code) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      code.select();
      var done = function () { button.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.value).then(done, function () {});
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (embedded) openLinksOutside();
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), setUpCopy);
  });
})();
