/* Partenariat: the view of written-answer questions (redaction), on the progress store.
 * The learner writes 3 to 6 sentences and sends them; the model answer and the rubric then show, and the learner
 * rates their own answer criterion by criterion. Stored like every answer, by the question's id in the `answers`
 * bucket: {text, selfRating: {criterionId: 0 pas atteint | 1 en partie | 2 atteint}, t}. A written answer is never
 * right or wrong: it has no `ok`, and the course index keeps these ids apart (lesson.written), out of every score. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var TYPE = "redaction";
  var LABELS = ["pas atteint", "en partie", "atteint"];
  var shown = new Map();  /* qid → JSON of the record the page shows */

  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function isWritten(record) { return !!record && typeof record.text === "string" && !!record.selfRating; }
  function criteriaOf(quiz) { return all(quiz, ".redaction-criterion"); }

  function saveStatus(quiz, anchor, result) {
    if (NS.quiz && NS.quiz.showSaveStatus) NS.quiz.showSaveStatus(quiz, anchor, result);
  }

  function ratingText(quiz, rating) {
    var total = criteriaOf(quiz).length;
    var done = criteriaOf(quiz).filter(function (f) { return rating[f.getAttribute("data-criterion")] !== undefined; }).length;
    if (!done) return "Évaluez votre réponse avec la grille\u00a0: choisissez «\u00a0atteint\u00a0», «\u00a0en partie\u00a0» ou «\u00a0pas atteint\u00a0» pour chaque critère.";
    return "Auto-évaluation enregistrée\u00a0: " + done + " critère" + (done > 1 ? "s" : "") + " sur " + total + " évalué" +
      (done > 1 ? "s" : "") + (done === total ? "." : "\u00a0; évaluez les autres.");
  }

  function show(quiz, record, fresh) {
    var rating = record.selfRating || {};
    criteriaOf(quiz).forEach(function (fieldset) {
      var value = rating[fieldset.getAttribute("data-criterion")];
      all(fieldset, "input[type=radio]").forEach(function (input) { input.checked = Number(input.value) === value; });
    });
    quiz.querySelector("section.content").hidden = false;
    quiz.classList.add("is-sent");
    var feedback = quiz.querySelector(".quiz-feedback");
    if (fresh) {
      feedback.textContent = "Réponse envoyée. Comparez-la à la réponse modèle, puis évaluez-la avec la grille ci-dessous.";
    } else {
      feedback.textContent = record.text ? "Réponse déjà envoyée\u00a0: vous pouvez la modifier et l’envoyer à nouveau." :
        "Votre auto-évaluation a été reprise, mais pas votre texte (la plateforme ne garde que l’auto-évaluation).";
    }
    quiz.querySelector(".redaction-rating-status").textContent = ratingText(quiz, rating);
  }

  function clear(quiz) {
    quiz.querySelector(".redaction-text").value = "";
    all(quiz, ".redaction-criterion input").forEach(function (input) { input.checked = false; });
    quiz.querySelector("section.content").hidden = true;
    quiz.classList.remove("is-sent");
    quiz.querySelector(".quiz-feedback").textContent = "";
    quiz.querySelector(".redaction-rating-status").textContent = "";
  }

  function refresh(quiz) {
    var qid = quiz.getAttribute("data-qid");
    var record = store.get("answers", qid);
    if (record && !isWritten(record)) record = null;
    var key = record ? JSON.stringify(record) : "";
    if (shown.get(qid) === key) return;
    shown.set(qid, key);
    if (!record) { clear(quiz); return; }
    var box = quiz.querySelector(".redaction-text");
    if (document.activeElement !== box || !box.value) box.value = record.text;
    show(quiz, record, false);
  }

  function put(quiz, record, anchor) {
    var qid = quiz.getAttribute("data-qid");
    var result = store.put("answers", qid, record);
    var stored = store.get("answers", qid) || record;
    shown.set(qid, JSON.stringify(stored));
    saveStatus(quiz, anchor, result);
    return stored;
  }

  function init(quiz) {
    var qid = quiz.getAttribute("data-qid");
    var form = quiz.querySelector("form");
    var box = quiz.querySelector(".redaction-text");
    var feedback = quiz.querySelector(".quiz-feedback");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = box.value.replace(/\s+$/, "").replace(/^\s+/, "");
      if (!text) {
        feedback.textContent = "Écrivez votre réponse avant de l’envoyer.";
        box.focus();
        return;
      }
      var previous = store.get("answers", qid);
      var rating = isWritten(previous) ? previous.selfRating : {};
      show(quiz, put(quiz, { text: text.slice(0, 4000), selfRating: rating }, feedback), true);
    });
    quiz.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.matches || !input.matches(".redaction-criterion input[type=radio]")) return;
      var previous = store.get("answers", qid);
      if (!isWritten(previous)) return;
      var rating = {};
      Object.keys(previous.selfRating).forEach(function (k) { rating[k] = previous.selfRating[k]; });
      rating[input.closest(".redaction-criterion").getAttribute("data-criterion")] = Number(input.value);
      var stored = put(quiz, { text: previous.text, selfRating: rating }, quiz.querySelector(".redaction-rating-status"));
      quiz.querySelector(".redaction-rating-status").textContent = ratingText(quiz, stored.selfRating);
    });
    refresh(quiz);
  }

  function quizzes() { return all(document, ".quiz[data-type='" + TYPE + "'][data-qid]"); }

  function safely(fn) {
    return function (quiz) {
      try { fn(quiz); } catch (e) { if (window.console) window.console.error(e); }
    };
  }

  function start() {
    if (!store) return;
    quizzes().forEach(safely(init));
    store.on(function (event) {
      if (event.buckets.indexOf("answers") < 0 && event.source === "local") return;
      quizzes().forEach(safely(refresh));
    });
  }

  NS.redaction = { labels: LABELS, isWritten: isWritten };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
