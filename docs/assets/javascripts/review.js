/* Partenariat: « Revoir mes erreurs », a view of the progress store.
 *
 * Scheduling: the SM-2 rule (Wozniak 1990) in a few lines, `schedule` below. A quiz answer is right or wrong, so
 * grades are fixed: right = 4 (ease kept), wrong = 2 (ease − 0.3, interval back to one day). Intervals: 1 day,
 * then 6, then the previous one times the ease. Ease is kept in tenths (1.3 to 2.5) and the interval at most a
 * year, so that the state fits the SCORM suspend_data encoding ({due, ivl, ease, reps, lapses} per question).
 *
 * A lesson question is to review once it has been missed (wrong at first attempt, or its last answer wrong):
 * without a state in the `reviews` bucket it is due at once; then on its `due` day. The review page holds every
 * lesson question (hidden); the view shows the due ones, with their choices in a fresh order, and mounts them
 * on the existing question views (quiz.js, quiz-extra.js) with its own answer store: an answer on this page
 * updates the question's review state, never its lesson answer.
 * Public: window.Partenariat.review = {schedule, today, addDays, due, toReview}. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { lessons: [] };
  var DAY = 86400000;
  var MAX_IVL = 365;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  /* Days are the learner's local calendar days. */
  function today(now) {
    var d = now ? new Date(now) : new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function addDays(day, n) {
    var d = new Date(day + "T00:00:00Z");
    return new Date(d.getTime() + n * DAY).toISOString().slice(0, 10);
  }

  /* SM-2: the state after one review; `prev` is undefined for a question never reviewed. */
  function schedule(prev, ok, day) {
    var s = prev || { ivl: 0, ease: 2.5, reps: 0, lapses: 0 };
    var reps, ivl, ease = s.ease, lapses = s.lapses;
    if (ok) {
      reps = s.reps + 1;
      ivl = reps === 1 ? 1 : reps === 2 ? 6 : Math.round(s.ivl * s.ease);
    } else {
      reps = 0;
      ivl = 1;
      lapses = s.lapses + 1;
      ease = Math.max(1.3, Math.round((s.ease - 0.3) * 10) / 10);
    }
    ivl = Math.min(Math.max(ivl, 1), MAX_IVL);
    return { due: addDays(day, ivl), ivl: ivl, ease: ease, reps: Math.min(reps, 35), lapses: Math.min(lapses, 35) };
  }

  function lessonQuestions() {
    var out = [];
    course.lessons.forEach(function (l) { l.questions.forEach(function (id) { out.push(id); }); });
    return out;
  }

  /* Question ids to review (missed at least once), in course order. */
  function toReview() {
    return lessonQuestions().filter(function (id) {
      var a = store.get("answers", id);
      return !!store.get("reviews", id) || (!!a && (a.first === false || a.ok === false));
    });
  }

  function isDue(id, day) {
    var r = store.get("reviews", id);
    return !r || r.due <= day;
  }

  function due(day) {
    day = day || today();
    return toReview().filter(function (id) { return isDue(id, day); });
  }

  /* The next day with questions to review after `day`, and how many: {day, count}, or null. */
  function upcoming(day) {
    day = day || today();
    var next = null, count = 0;
    toReview().forEach(function (id) {
      var r = store.get("reviews", id);
      if (!r || r.due <= day) return;
      if (next === null || r.due < next) { next = r.due; count = 0; }
      if (r.due === next) count++;
    });
    return next ? { day: next, count: count } : null;
  }

  function longDate(day) {
    return new Date(day + "T12:00:00").toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  }

  function plural(n, one, many) { return n + "\u00a0" + (n > 1 ? many : one); }

  /* « Prochaine révision : le mardi 3 mars 2026 (2 questions). » (or another `lead`), "" when none is scheduled. */
  function upcomingText(day, lead) {
    var next = upcoming(day);
    return next ? (lead || "Prochaine révision") + " : le " + longDate(next.day) + " (" +
      plural(next.count, "question", "questions") + ")." : "";
  }

  NS.review = { schedule: schedule, today: today, addDays: addDays, due: due, toReview: toReview, upcoming: upcoming,
                upcomingText: upcomingText };

  /* ---------- the page ---------- */

  /* A fresh order for the choices (Fisher–Yates over the DOM children). */
  function shuffleChildren(parent, selector) {
    if (!parent) return;
    var items = Array.prototype.filter.call(parent.children, function (el) { return el.matches(selector); });
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var tmp = items[i]; items[i] = items[j]; items[j] = tmp;
    }
    items.forEach(function (el) { parent.appendChild(el); });
  }

  function reshuffle(quiz) {
    var type = quiz.getAttribute("data-type");
    if (type === "single" || type === "multiple") shuffleChildren(quiz.querySelector("fieldset"), "div");
    if (type === "associer") shuffleChildren(quiz.querySelector(".quiz-pairs"), ".quiz-pair");
    if (type === "ordonner") shuffleChildren(quiz.querySelector(".quiz-steps"), ".quiz-step");
  }

  function init() {
    var root = document.querySelector("[data-review]");
    if (!root || !store) return;
    var count = root.querySelector(".pt-review-count");
    var day = today();
    var answered = new Map();  /* qid → this page's answer record */
    var shownIds = due(day);

    function renderCount() {
      var left = shownIds.filter(function (id) { return !answered.has(id) && isDue(id, day); }).length;
      var total = shownIds.length;
      if (!total) {
        count.textContent = toReview().length
          ? "Aucune question à revoir aujourd’hui. " + upcomingText(day) + " Cette date est aussi rappelée dans « Mon parcours »."
          : "Aucune question à revoir : vous n’avez manqué aucune question des leçons pour l’instant.";
        return;
      }
      count.textContent = plural(total, "question à revoir aujourd’hui", "questions à revoir aujourd’hui") +
        (answered.size ? (left ? "\u00a0; " + plural(left, "reste", "restent") + " à faire." : "\u00a0; toutes ont été revues.") : ".");
    }

    var io = {
      get: function (qid) { return answered.get(qid); },
      lock: function () { return true; },
      save: function (qid, values, ok, score) {
        var next = schedule(store.get("reviews", qid), ok, day);
        var result = store.put("reviews", qid, next);
        var record = { v: values, ok: ok, score: score, first: ok };
        answered.set(qid, record);
        var item = root.querySelector(".pt-review-item[data-review-qid='" + qid + "']");
        var note = item && item.querySelector(".pt-review-next");
        var said = function (landed) {
          if (note) {
            note.textContent = (ok ? "Juste : " : "À revoir : ") + "prochaine révision de cette question le " +
              longDate(next.due) + (landed.ok ? "." : " (non enregistrée : " + landed.message + ")");
          }
        };
        said(result);
        if (result.done) result.done.then(said);
        renderCount();
        return { record: record, result: result };
      }
    };

    var number = 0;
    shownIds.forEach(function (qid) {
      var item = root.querySelector(".pt-review-item[data-review-qid='" + qid + "']");
      var quiz = item && item.querySelector(".quiz[data-qid]");
      if (!quiz) return;
      number++;
      var heading = quiz.querySelector(".quiz-number");
      if (heading) heading.textContent = "Question " + number + " sur " + shownIds.length;
      reshuffle(quiz);
      if (NS.quiz && NS.quiz.handles(quiz)) NS.quiz.mount(quiz, io);
      else if (NS.quizExtra && NS.quizExtra.handles(quiz)) NS.quizExtra.mount(quiz, io);
      item.hidden = false;
    });
    Array.prototype.forEach.call(root.querySelectorAll(".pt-review-item[hidden]"), function (item) { item.remove(); });
    renderCount();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
