/* Partenariat: the quiz view (single, multiple, truefalse, fill), on the progress store.
 * Answers are stored by each question’s stable id in the store’s `answers` bucket: {v, ok, score, first, n, t}. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { final: { questions: [] } };
  var finalIds = new Set((course.final && course.final.questions) || []);
  var TYPES = new Set(["single", "multiple", "truefalse", "fill"]);

  /* Folds what learners type: accents, apostrophes, case, spaces and final punctuation. */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[’‘`´ʼ]/g, "'").replace(/œ/g, "oe").replace(/æ/g, "ae")
      .toLowerCase().replace(/\s+/g, " ").replace(/\s*'\s*/g, "'").replace(/[.!?;:,]+$/, "").trim();
  }

  /* Correct at first attempt (older records have no `first`). */
  function firstOk(record) { return record.first !== undefined ? record.first : record.ok; }

  /* Says next to a question (or checklist) whether its save failed; says nothing when it succeeded. A result with
   * `done` (the store writes under a lock shared by the tabs) is said again once the write has landed or failed. */
  function showSaveStatus(box, anchor, result) {
    if (result.done) result.done.then(function (landed) { showSaveStatus(box, anchor, landed); });
    var note = box.querySelector(".pt-save-status");
    if (result.ok) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "pt-save-status";
      note.setAttribute("role", "alert");
      anchor.parentNode.insertBefore(note, anchor.nextSibling);
    }
    note.textContent = "Non enregistré : " + result.message;
  }

  /* Stores an answer (any type): keeps the first-attempt correctness and the number of attempts. */
  function saveAnswer(qid, values, ok, score) {
    var previous = store.get("answers", qid);
    var record = { v: values, ok: ok, score: score, first: previous ? firstOk(previous) : ok,
                   n: (previous ? previous.n || 1 : 0) + 1 };
    return { record: record, result: store.put("answers", qid, record) };
  }

  /* Where a question's answer lives: by default the store's `answers` bucket (a final-assessment answer is
   * locked once given). The review page (review.js) mounts its questions with its own: {get, save, lock}. */
  var answersIO = {
    get: function (qid) { return store.get("answers", qid); },
    save: saveAnswer,
    lock: function (qid) { return finalIds.has(qid); }
  };

  function inputsOf(quiz) {
    return Array.prototype.slice.call(quiz.querySelectorAll("fieldset input"));
  }

  function blankOf(quiz) {
    return quiz.querySelector("input.quiz-blank-input");
  }

  function acceptedOf(quiz) {
    try {
      return JSON.parse(quiz.getAttribute("data-accept") || "[]");
    } catch (e) {
      return [];
    }
  }

  function currentValues(quiz) {
    var blank = blankOf(quiz);
    if (blank) return blank.value.trim() ? [blank.value] : [];
    return inputsOf(quiz).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
  }

  function isRight(quiz, values) {
    var blank = blankOf(quiz);
    if (blank) {
      var given = fold(values[0] || "");
      return acceptedOf(quiz).some(function (a) { return fold(a) === given; });
    }
    var chosen = new Set(values);
    return inputsOf(quiz).every(function (i) { return chosen.has(i.value) === (i.getAttribute("data-correct") === "true"); });
  }

  function correctText(quiz) {
    var blank = blankOf(quiz);
    if (blank) return acceptedOf(quiz)[0] || "";
    return inputsOf(quiz).filter(function (i) { return i.getAttribute("data-correct") === "true"; })
      .map(function (i) { var l = quiz.querySelector("label[for='" + i.id + "']"); return l ? l.textContent.trim() : ""; })
      .join(" ; ");
  }

  function setLocked(quiz, locked) {
    inputsOf(quiz).forEach(function (input) { input.disabled = locked; });
    var blank = blankOf(quiz);
    if (blank) blank.disabled = locked;
    var button = quiz.querySelector(".quiz-button");
    if (button) button.disabled = locked;
  }

  function showResult(quiz, record, fresh, io) {
    var feedback = quiz.querySelector(".quiz-feedback");
    var content = quiz.querySelector("section.content");
    var isFinal = (io || answersIO).lock(quiz.getAttribute("data-qid"));
    var last = record.ok;
    var first = firstOk(record);
    quiz.classList.remove("is-correct", "is-wrong");
    quiz.classList.add(last ? "is-correct" : "is-wrong");
    inputsOf(quiz).forEach(function (input) {
      var row = input.parentElement;
      var right = input.getAttribute("data-correct") === "true";
      row.classList.toggle("answer-correct", right && (!last || input.checked));
      row.classList.toggle("answer-wrong", input.checked && !right);
      var fb = row.querySelector(".answer-feedback");
      if (fb) fb.classList.toggle("hidden", !input.checked);
    });
    if (isFinal) setLocked(quiz, true);
    var message = last ? "Bonne réponse." : "Réponse incorrecte. La bonne réponse : " + correctText(quiz) + ".";
    if (!fresh) message = (first ? "Déjà répondu : juste au premier essai. " : "Déjà répondu : faux au premier essai. ") +
      (last === first ? "" : message);
    if (!isFinal && fresh && !last) message += " Lisez l’explication, puis modifiez votre réponse si vous le souhaitez.";
    feedback.textContent = message;
    if (content) content.hidden = false;
  }

  /* Back to a question never answered (after a reset, possibly in another tab). */
  function clear(quiz) {
    var blank = blankOf(quiz);
    if (blank) blank.value = "";
    inputsOf(quiz).forEach(function (input) {
      input.checked = false;
      var row = input.parentElement;
      row.classList.remove("answer-correct", "answer-wrong");
      var fb = row.querySelector(".answer-feedback");
      if (fb) fb.classList.add("hidden");
    });
    setLocked(quiz, false);
    quiz.classList.remove("is-correct", "is-wrong");
    quiz.querySelector(".quiz-feedback").textContent = "";
    var content = quiz.querySelector("section.content");
    if (content) content.hidden = true;
  }

  function restore(quiz, record) {
    var blank = blankOf(quiz);
    if (blank) {
      blank.value = record.v[0] || "";
    } else {
      var wanted = new Set(record.v);
      inputsOf(quiz).forEach(function (i) { i.checked = wanted.has(i.value); });
    }
    showResult(quiz, record, false);
  }

  var shown = new Map();  /* qid → JSON of the record the page shows */

  function refresh(quiz) {
    var qid = quiz.getAttribute("data-qid");
    var record = store.get("answers", qid);
    var key = record ? JSON.stringify(record) : "";
    if (shown.get(qid) === key) return;
    shown.set(qid, key);
    if (record) restore(quiz, record); else clear(quiz);
  }

  function initQuiz(quiz, io) {
    var qid = quiz.getAttribute("data-qid");
    var form = quiz.querySelector("form");
    if (!form) return;
    io = io || answersIO;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = currentValues(quiz);
      var feedback = quiz.querySelector(".quiz-feedback");
      if (!values.length) {
        feedback.textContent = blankOf(quiz) ? "Écrivez votre réponse avant de valider." : "Choisissez une réponse avant de valider.";
        return;
      }
      if (io.lock(qid) && io.get(qid)) return;
      var ok = isRight(quiz, values);
      var saved = io.save(qid, values, ok, ok ? 1 : 0);
      var record = io.get(qid) || saved.record;
      if (io === answersIO) shown.set(qid, JSON.stringify(record));
      showResult(quiz, record, true, io);
      showSaveStatus(quiz, feedback, saved.result);
    });
    if (io === answersIO) refresh(quiz); else clear(quiz);
  }

  /* One question that cannot be shown must not stop the others. */
  function safely(fn) {
    return function (quiz) {
      try { fn(quiz); } catch (e) { if (window.console) window.console.error(e); }
    };
  }

  function quizzes() {
    return Array.prototype.filter.call(document.querySelectorAll(".quiz[data-qid]"), function (quiz) {
      return TYPES.has(quiz.getAttribute("data-type")) && !quiz.closest("[data-review], [data-practice]") && !quiz.hasAttribute("data-sealed-final");
    });
  }

  function renderFinal() {
    var box = document.querySelector(".final-result");
    if (box && NS.progress) box.textContent = "Votre résultat : " + NS.progress.finalSummary().text + ".";
  }

  function init() {
    quizzes().forEach(safely(function (quiz) { initQuiz(quiz); }));
    renderFinal();
    store.on(function (event) {
      if (event.buckets.indexOf("answers") < 0 && event.source === "local") return;
      quizzes().forEach(safely(refresh));
      renderFinal();
    });
  }

  NS.quiz = { fold: fold, firstOk: firstOk, saveAnswer: saveAnswer, showSaveStatus: showSaveStatus,
              isFinal: function (qid) { return finalIds.has(qid); },
              handles: function (quiz) { return TYPES.has(quiz.getAttribute("data-type")); },
              mount: initQuiz };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
