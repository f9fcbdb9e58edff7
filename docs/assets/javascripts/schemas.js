/* Partenariat: « Agrandir le schéma » (scripts/build/svg.py) opens the diagram larger in a dialog of the page.
 *
 * The link's target, the bare SVG file, showed the diagram no larger than the screen (smaller than in the page on a
 * phone) and could only be left with the browser's Back. The dialog shows the page's own SVG, in the page's
 * colours, half as large again as in the page and never narrower than the screen, in a frame that pans both ways;
 * « Fermer » or Escape closes it and gives the focus back to the link. The SVG is moved into the dialog and back,
 * not copied, so that its ids stay unique. Without JavaScript the link still opens the SVG file. */
(function () {
  "use strict";

  var ZOOM = 1.5;

  function open(link) {
    var figure = link.closest("figure.schema");
    var frame = figure && figure.querySelector(".schema-scroll");
    var svg = frame && frame.querySelector("svg");
    if (!svg) return false;
    var title = svg.querySelector("title");
    var dialog = document.createElement("dialog");
    var bar = document.createElement("div");
    var heading = document.createElement("p");
    var close = document.createElement("button");
    var view = document.createElement("div");
    dialog.className = "pt-zoom";
    bar.className = "pt-zoom__bar";
    heading.className = "pt-zoom__title";
    heading.id = "pt-zoom-title";
    heading.textContent = title ? title.textContent : "Schéma";
    dialog.setAttribute("aria-labelledby", heading.id);
    close.type = "button";
    close.className = "pt-zoom__close";
    close.textContent = "Fermer";
    view.className = "pt-zoom__view";
    view.tabIndex = 0;
    view.setAttribute("role", "region");
    view.setAttribute("aria-label", "Schéma agrandi (défilement dans les deux sens)");
    var width = Math.max(svg.getBoundingClientRect().width * ZOOM, document.documentElement.clientWidth);
    bar.append(heading, close);
    dialog.append(bar, view);
    figure.append(dialog);  /* inside the article: the diagram keeps its colours (.md-typeset .schema-svg) */
    dialog.style.setProperty("--pt-zoom-width", Math.round(width) + "px");
    view.append(svg);
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      frame.append(svg);
      dialog.remove();
      link.focus();
    });
    dialog.showModal();
    close.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a.schema-zoom");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (typeof HTMLDialogElement !== "function") return;  /* an old browser: the SVG file, as without JavaScript */
    if (open(link)) event.preventDefault();
  });
})();
