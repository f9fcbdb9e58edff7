/* Questions far below the screen are not rendered while the page starts (extra.css, content-visibility: auto),
   so that the first screen comes sooner. A question is rendered for good (« pt-open »: no containment left to clip a
   tooltip, its text and size final) as soon as it comes within a screen's height of the visible part, and, after
   the page has loaded, the others follow two at a time whenever the browser is idle: short tasks, and a page that is
   soon whole (scroll bar, find in page, copy) even if the reader never scrolls. */
(function () {
  "use strict";
  var waiting = Array.prototype.slice.call(document.querySelectorAll(".md-typeset .quiz:not(.pt-open)"));
  if (!waiting.length) return;
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) { if (entry.isIntersecting) open(entry.target); });
  }, {rootMargin: "100% 0px"}) : null;
  function open(question) {
    question.classList.add("pt-open");
    if (observer) observer.unobserve(question);
  }
  var later = window.requestIdleCallback || function (callback) { return setTimeout(callback, 16); };
  function next() {
    waiting = waiting.filter(function (question) { return !question.classList.contains("pt-open"); });
    waiting.slice(0, 2).forEach(open);
    if (waiting.length > 2) later(next);
  }
  if (observer) waiting.forEach(function (question) { observer.observe(question); });
  if (document.readyState === "complete") later(next);
  else window.addEventListener("load", function () { later(next); });
})();
