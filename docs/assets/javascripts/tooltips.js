/* Partenariat: the article's tooltips (glossary terms, headings' permalinks) from one listener for the page.
 * Material's `content.tooltips` builds a component for every `[title]` of the article when the page starts (hover
 * and focus watchers, subjects, subscriptions), hovered or not. The build leaves Material none
 * (scripts/build/tooltips.py): kept glossary terms are marked `abbr[data-preview]`, which Material skips, and a
 * permalink's `title` becomes its `aria-label`. This script shows the same tooltip (Material's markup, classes and
 * CSS variables) when one is hovered, tapped or focused, and Escape hides it (WCAG 1.4.13). A term's `title` stays
 * in the page for assistive technologies and is taken off only while shown, as Material does, so that the
 * browser's own tooltip does not cover ours. */
(function () {
  "use strict";

  var HOST = "abbr[data-preview], a.headerlink[aria-label]";  // no [title]: a shown term has lent it to its tooltip
  var HIDE_MS = 250;  // Material's fade-out before the tooltip leaves the page
  var sequence = 0;
  var shown = null;  // {host, node, title, timer}

  function place(host, node) {
    var rect = host.getBoundingClientRect();
    var inner = node.firstChild;
    node.style.setProperty("--md-tooltip-host-x", rect.x + window.scrollX + "px");
    node.style.setProperty("--md-tooltip-host-y", rect.y + window.scrollY + "px");
    node.style.setProperty("--md-tooltip-x", rect.width / 2 + "px");
    node.style.setProperty("--md-tooltip-y", 8 + rect.height + "px");
    node.style.setProperty("--md-tooltip-width", inner.getBoundingClientRect().width + "px");
    node.style.setProperty("--md-tooltip-tail", "0px");
  }

  function remove(state) {
    clearTimeout(state.timer);
    state.node.remove();
    if (state.title) {
      state.host.removeAttribute("aria-describedby");
      state.host.setAttribute("title", state.title);
    }
    if (shown === state) shown = null;
  }

  function show(host) {
    if (shown && shown.host === host) {
      clearTimeout(shown.timer);
      shown.node.classList.add("md-tooltip2--active");
      return;
    }
    if (shown) remove(shown);
    var title = host.getAttribute("title");  // a term's definition; a permalink has only its name
    var text = title || host.getAttribute("aria-label");
    if (!text) return;
    var node = document.createElement("div");
    node.className = "md-tooltip2 md-tooltip2--bottom";
    node.setAttribute("role", "tooltip");
    node.id = "__tooltip_" + sequence++;
    var inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    inner.textContent = text;
    node.appendChild(inner);
    document.body.appendChild(node);
    if (title) {  // the definition describes the term; a permalink's tooltip repeats its name, no description
      host.removeAttribute("title");
      host.setAttribute("aria-describedby", node.id);
    }
    shown = { host: host, node: node, title: title, timer: 0 };
    place(host, node);
    // on the next frame, so that the tooltip fades in as Material's does
    requestAnimationFrame(function () { node.classList.add("md-tooltip2--active"); });
  }

  function hide(now) {
    var state = shown;
    if (!state) return;
    state.node.classList.remove("md-tooltip2--active");
    clearTimeout(state.timer);
    if (now) remove(state);
    else state.timer = setTimeout(function () { remove(state); }, HIDE_MS);
  }

  function showFor(event) {
    var host = event.target instanceof Element ? event.target.closest(HOST) : null;
    if (host) show(host);
  }

  // Compatibility mouse events, as Material listens to: a tap on a phone hovers the term until the next tap elsewhere.
  document.addEventListener("mouseover", showFor);
  document.addEventListener("mouseout", function (event) {
    if (!shown || !(event.target instanceof Node) || !shown.host.contains(event.target)) return;
    if (event.relatedTarget instanceof Node && shown.host.contains(event.relatedTarget)) return;
    hide(false);
  });
  document.addEventListener("focusin", showFor);
  document.addEventListener("focusout", function (event) {
    if (shown && event.target === shown.host) hide(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shown) hide(true);
  });
  // The term moves when the window is resized (a phone's address bar, a rotation) or when a box around it scrolls
  // (a wide table): the tooltip follows it, as Material's does. The page's own scroll moves both together.
  function follow(event) {
    if (shown && event.target !== document) place(shown.host, shown.node);
  }
  window.addEventListener("resize", follow);
  document.addEventListener("scroll", follow, { capture: true, passive: true });
})();
