/* Partenariat: glossary tooltips, one listener for the page instead of one Material component per term.
 * Material's `content.tooltips` builds a component for every `[title]` of the article when the page starts (hover
 * and focus watchers, subjects, subscriptions): a tenth of a lesson's start-up on a phone. The build marks the kept
 * glossary terms `abbr[data-preview]`, which Material leaves alone (scripts/hooks_tooltips.py); this script shows
 * the same tooltip (Material's markup, classes and CSS variables) when one is hovered or tapped, and Escape hides
 * it (WCAG 1.4.13). The `title` stays in the page for assistive technologies and is taken off only while shown,
 * as Material does, so that the browser's own tooltip does not cover ours. */
(function () {
  "use strict";

  var HOST = "abbr[data-preview]";
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
    state.host.removeAttribute("aria-describedby");
    state.host.setAttribute("title", state.title);
    if (shown === state) shown = null;
  }

  function show(host) {
    if (shown && shown.host === host) {
      clearTimeout(shown.timer);
      shown.node.classList.add("md-tooltip2--active");
      return;
    }
    if (shown) remove(shown);
    var title = host.getAttribute("title");
    if (!title) return;
    var node = document.createElement("div");
    node.className = "md-tooltip2 md-tooltip2--bottom";
    node.setAttribute("role", "tooltip");
    node.id = "__glossaire_" + sequence++;
    var inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    inner.textContent = title;
    node.appendChild(inner);
    document.body.appendChild(node);
    host.removeAttribute("title");
    host.setAttribute("aria-describedby", node.id);
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

  // Compatibility mouse events, as Material listens to: a tap on a phone hovers the term until the next tap elsewhere.
  document.addEventListener("mouseover", function (event) {
    var host = event.target instanceof Element ? event.target.closest(HOST) : null;
    if (host) show(host);
  });
  document.addEventListener("mouseout", function (event) {
    if (!shown || !event.target.closest || event.target.closest(HOST) !== shown.host) return;
    if (event.relatedTarget instanceof Node && shown.host.contains(event.relatedTarget)) return;
    hide(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shown) hide(true);
  });
  window.addEventListener("resize", function () { hide(true); });
})();
