/* Partenariat: where the learner is in the course, a small view of the progress store on every page.
 * - each lesson's state: "new" (non commencée), "started" (en cours), "done" (terminée: every question of its
 *   quiz answered), "reviewed" (revue: done, and every question missed at first attempt since answered right
 *   in « Revoir mes erreurs »);
 * - the next step: the first unfinished lesson in course order (or in the learner's assignments, see
 *   `assignedSlugs`), at its first unanswered question; « Commencer » for a new learner;
 * - markers in Material's navigation and in every [data-lesson-state] element (home plan, « Mon parcours »),
 *   with their state as text, not only as a shape or a colour; [data-next-step] and [data-remaining] boxes.
 * Public: window.Partenariat.journey = {state, next, remaining, assignedSlugs, LABELS}. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { lessons: [] };
  var LABELS = { "new": "non commencée", started: "en cours", done: "terminée", reviewed: "revue" };
  var NBSP = "\u00a0";

  function missed(record) { return record.first === false || record.ok === false; }

  function state(lesson) {
    var answered = 0, toReview = 0, reviewed = 0;
    lesson.questions.forEach(function (id) {
      var a = store.get("answers", id);
      if (!a) return;
      answered++;
      if (missed(a)) {
        toReview++;
        var r = store.get("reviews", id);
        if (r && r.reps > 0) reviewed++;
      }
    });
    var ticked = (lesson.checks || []).some(function (id) { var c = store.get("checks", id); return c && c.on; });
    if (!answered) return ticked ? "started" : "new";
    if (answered < lesson.questions.length) return "started";
    return toReview && reviewed === toReview ? "reviewed" : "done";
  }

  /* Hook for assignments (trainer links, issue 12): the slugs of the lessons assigned to this learner, in the
   * order to do them. By default, the `lessons` lists of the `assignments` bucket's items, soonest due first. */
  function assignedSlugs() {
    var items = store.all("assignments").map(function (pair) { return pair[1]; })
      .filter(function (a) { return Array.isArray(a.lessons); });
    items.sort(function (a, b) { return String(a.due || "9999") < String(b.due || "9999") ? -1 : 1; });
    var out = [];
    items.forEach(function (a) { a.lessons.forEach(function (s) { if (out.indexOf(s) < 0) out.push(s); }); });
    return out;
  }

  /* {kind: "start" | "resume" | "assigned" | "final" | "finished", lesson?, question (1-based)?, href, text}. */
  function next() {
    var lessons = course.lessons;
    var started = lessons.some(function (l) { return state(l) !== "new"; });
    var assigned = NS.journey.assignedSlugs().map(function (slug) {
      return lessons.filter(function (l) { return l.slug === slug; })[0];
    }).filter(function (l) { return l && state(l) !== "done" && state(l) !== "reviewed"; });
    var lesson = assigned[0] || lessons.filter(function (l) { return state(l) === "new" || state(l) === "started"; })[0];
    if (lesson) {
      var index = 0;
      while (index < lesson.questions.length && store.get("answers", lesson.questions[index])) index++;
      var atQuestion = index > 0 && index < lesson.questions.length;
      var href = lesson.url + (atQuestion ? "#q-" + lesson.questions[index] : "");
      if (!started) return { kind: "start", lesson: lesson, href: href, text: "Commencer" + NBSP + ": " + lesson.title };
      return {
        kind: assigned.length ? "assigned" : "resume", lesson: lesson, question: index + 1, href: href,
        text: "Reprendre" + NBSP + ": " + lesson.title + (atQuestion ? ", question " + (index + 1) : "")
      };
    }
    var fin = course.final || { questions: [] };
    var open = fin.questions.filter(function (id) { return !store.get("answers", id); });
    if (open.length) {
      var first = fin.questions.length - open.length;
      return { kind: "final", href: fin.url + (first ? "#q-" + open[0] : ""),
               text: "Passer l’évaluation finale" + (first ? ", question " + (first + 1) : "") };
    }
    return { kind: "finished", href: "parcours.html", text: "Module terminé\u00a0: voir Mon parcours" };
  }

  /* Minutes left: the duration of every lesson not yet done, in proportion of its unanswered questions. */
  function remaining() {
    var total = 0;
    course.lessons.forEach(function (lesson) {
      var n = lesson.questions.length;
      var open = lesson.questions.filter(function (id) { return !store.get("answers", id); }).length;
      total += n ? lesson.duration * open / n : (state(lesson) === "new" ? lesson.duration : 0);
    });
    return Math.round(total / 5) * 5;
  }

  function minutes(m) {
    if (m < 60) return m + NBSP + "min";
    return Math.floor(m / 60) + NBSP + "h" + (m % 60 ? NBSP + (m % 60 < 10 ? "0" : "") + (m % 60) : "");
  }

  /* The page's own prefix back to the site root (pages under formateurs/ or essentiel/), read from the address of
     any script of the site (Material's bundle, ours: one bundled file or separate files). */
  function up() {
    var script = document.querySelector("script[src*='assets/javascripts/']");
    var src = script ? script.getAttribute("src") : "";
    return src.replace(/assets\/javascripts\/.*$/, "").replace(/^\.\/$/, "");
  }

  function marker(kind) {
    var span = document.createElement("span");
    span.className = "pt-mark";
    span.setAttribute("data-state", kind);
    var text = document.createElement("span");
    text.className = "visually-hidden";
    span.appendChild(text);
    return span;
  }

  function setMarker(span, kind, label) {
    span.setAttribute("data-state", kind);
    span.lastChild.textContent = label;
  }

  function render() {
    var root = up();
    var states = {};
    course.lessons.forEach(function (lesson) { states[lesson.slug] = state(lesson); });
    /* Navigation (sidebar, drawer): a marker inside each lesson link, read with the link's name. */
    course.lessons.forEach(function (lesson) {
      var links = document.querySelectorAll(".md-nav__link[href='" + root + lesson.url + "']");
      Array.prototype.forEach.call(links, function (link) {
        var span = link.querySelector(".pt-mark");
        if (!span) {
          span = marker(states[lesson.slug]);
          (link.querySelector(".md-ellipsis") || link).appendChild(span);
        }
        setMarker(span, states[lesson.slug], " (" + LABELS[states[lesson.slug]] + ")");
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-lesson-state]"), function (el) {
      var kind = states[el.getAttribute("data-lesson-state")];
      if (!kind) return;
      el.setAttribute("data-state", kind);
      el.textContent = LABELS[kind];
    });
    var step = next();
    Array.prototype.forEach.call(document.querySelectorAll("[data-next-step]"), function (box) {
      box.textContent = "";
      var link = document.createElement("a");
      link.className = "md-button md-button--primary pt-next";
      link.href = root + step.href;
      link.textContent = step.text;
      link.setAttribute("data-kind", step.kind);
      box.appendChild(link);
      box.hidden = false;
    });
    /* Questions due for review today (review.js, loaded before this script), linked to « Revoir mes erreurs »;
       when none is due, the day of the next review. */
    var dueCount = NS.review ? NS.review.due().length : 0;
    var upcoming = NS.review && !dueCount ? NS.review.upcomingText(undefined, "Prochaine révision de vos erreurs") : "";
    Array.prototype.forEach.call(document.querySelectorAll("[data-review-due]"), function (box) {
      box.textContent = "";
      box.hidden = !dueCount && !upcoming;
      if (!dueCount) {
        box.textContent = upcoming;
        return;
      }
      var link = document.createElement("a");
      link.href = root + "revoir.html";
      link.textContent = "Revoir mes erreurs" + NBSP + ": " + dueCount + NBSP +
        (dueCount > 1 ? "questions à revoir" : "question à revoir") + " aujourd’hui";
      box.appendChild(link);
    });
    var left = remaining();
    Array.prototype.forEach.call(document.querySelectorAll("[data-remaining]"), function (el) {
      el.textContent = left ? "Temps restant estimé" + NBSP + ": " + minutes(left) + " (leçons et quiz)."
        : "Toutes les leçons sont faites.";
    });
  }

  NS.journey = { state: state, next: next, remaining: remaining, assignedSlugs: assignedSlugs, LABELS: LABELS,
                 render: render };

  function init() {
    if (!store) return;
    render();
    store.on(function (event) {
      if (event.buckets.length) render();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
