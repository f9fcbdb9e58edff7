/* Partenariat: the view of matching (associer) and ordering (ordonner) questions, on the progress store.
 * Uses window.Partenariat.store only (get, put, on). An answer is stored under the question's id in the
 * `answers` bucket as {v, ok, score, first}: for associer v[i] is the right-hand text chosen for left item i
 * (YAML order); for ordonner v lists the steps' YAML indexes, as strings, in the order the learner set. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { final: { questions: [] } };
  var finalIds = new Set((course.final && course.final.questions) || []);
  var TYPES = new Set(["associer", "ordonner"]);
  var shown = new Map();  /* qid → JSON of the record the page shows */

  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function textOf(node) { return node ? node.textContent.replace(/\s+/g, " ").trim() : ""; }
  function firstOk(record) { return record.first !== undefined ? record.first : record.ok; }

  /* ---------- associer ---------- */

  function pairsOf(quiz) { return all(quiz, ".quiz-pair"); }

  function matchingValues(quiz) { return pairsOf(quiz).map(function (row) { return row.querySelector("select").value; }); }

  function matchingScore(quiz, values) {
    var rows = pairsOf(quiz);
    var right = rows.filter(function (row, i) { return values[i] === row.querySelector("select").getAttribute("data-answer"); });
    return rows.length ? right.length / rows.length : 0;
  }

  function showMatching(quiz, values) {
    pairsOf(quiz).forEach(function (row, i) {
      var answer = row.querySelector("select").getAttribute("data-answer");
      var ok = values[i] === answer;
      var box = row.querySelector(".pair-feedback");
      row.classList.toggle("answer-correct", ok);
      row.classList.toggle("answer-wrong", !ok);
      box.querySelector(".pair-verdict").textContent = ok ? "Juste." : "Faux\u00a0: la bonne correspondance est «\u00a0" + answer + "\u00a0».";
      box.hidden = false;
    });
  }

  function clearMatching(quiz) {
    pairsOf(quiz).forEach(function (row) {
      row.querySelector("select").value = "";
      row.classList.remove("answer-correct", "answer-wrong");
      row.querySelector(".pair-feedback").hidden = true;
    });
  }

  function restoreMatching(quiz, values) {
    pairsOf(quiz).forEach(function (row, i) {
      var select = row.querySelector("select");
      var wanted = values[i] || "";
      select.value = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; }) ? wanted : "";
    });
  }

  /* ---------- ordonner ---------- */

  function stepsOf(quiz) { return all(quiz, ".quiz-step"); }

  function orderValues(quiz) { return stepsOf(quiz).map(function (li) { return li.getAttribute("data-step"); }); }

  /* Adjacent pairs in the right order: (a, b) side by side with b the step right after a. */
  function orderScore(values) {
    if (values.length < 2) return 0;
    var good = 0;
    for (var i = 0; i + 1 < values.length; i++) if (Number(values[i + 1]) === Number(values[i]) + 1) good++;
    return good / (values.length - 1);
  }

  function announce(quiz, message) {
    var status = quiz.querySelector(".quiz-steps-status");
    if (status) status.textContent = message;
  }

  function move(quiz, item, by) {
    var list = item.parentNode;
    var items = stepsOf(quiz);
    var from = items.indexOf(item);
    var to = from + by;
    var name = textOf(item.querySelector(".step-text"));
    if (to < 0 || to >= items.length) {
      announce(quiz, "«\u00a0" + name + "\u00a0» est déjà en " + (to < 0 ? "première" : "dernière") + " position.");
      return;
    }
    var focused = document.activeElement;
    if (by < 0) list.insertBefore(item, items[to]);
    else list.insertBefore(item, items[to].nextSibling);
    if (focused && item.contains(focused)) focused.focus();
    clearOrderMarks(quiz);
    announce(quiz, "«\u00a0" + name + "\u00a0» déplacée en position " + (to + 1) + " sur " + items.length + ".");
  }

  function clearOrderMarks(quiz) {
    stepsOf(quiz).forEach(function (li) {
      li.classList.remove("answer-correct", "answer-wrong");
      li.querySelector(".step-feedback").textContent = "";
    });
  }

  function showOrder(quiz) {
    stepsOf(quiz).forEach(function (li, position) {
      var right = Number(li.getAttribute("data-step"));
      var ok = right === position;
      li.classList.toggle("answer-correct", ok);
      li.classList.toggle("answer-wrong", !ok);
      li.querySelector(".step-feedback").textContent = ok ? " ✓ à sa place" : " ✗ place attendue\u00a0: " + (right + 1);
    });
  }

  function restoreOrder(quiz, values) {
    var list = quiz.querySelector(".quiz-steps");
    var byStep = new Map(stepsOf(quiz).map(function (li) { return [li.getAttribute("data-step"), li]; }));
    if (values.length !== byStep.size || !values.every(function (v) { return byStep.has(v); })) return;
    values.forEach(function (v) { list.appendChild(byStep.get(v)); });
  }

  /* Back to the order first shown (after a reset). */
  function resetOrder(quiz) {
    var initial = quiz.getAttribute("data-initial");
    if (initial) restoreOrder(quiz, initial.split(","));
    clearOrderMarks(quiz);
    announce(quiz, "");
  }

  /* ---------- both ---------- */

  function isMatching(quiz) { return quiz.getAttribute("data-type") === "associer"; }

  function controls(quiz) { return all(quiz, "select, .step-move, .quiz-button"); }

  function setLocked(quiz, locked) { controls(quiz).forEach(function (c) { c.disabled = locked; }); }

  function rightOrderText(quiz) {
    return stepsOf(quiz).slice().sort(function (a, b) { return a.getAttribute("data-step") - b.getAttribute("data-step"); })
      .map(function (li, i) { return (i + 1) + ". " + textOf(li.querySelector(".step-text")); }).join("\u00a0; ");
  }

  /* Where an answer lives: the store's `answers` bucket by default; review.js mounts its questions with its own. */
  var answersIO = {
    get: function (qid) { return store.get("answers", qid); },
    save: function (qid, values, ok, score) {
      var previous = store.get("answers", qid);
      var record = { v: values, ok: ok, score: score, first: previous ? firstOk(previous) : ok,
                     n: (previous ? previous.n || 1 : 0) + 1 };
      return { record: record, result: store.put("answers", qid, record) };
    },
    lock: function (qid) { return finalIds.has(qid); }
  };
  var ios = new Map();  /* quiz element → its io, when not answersIO */
  function ioOf(quiz) { return ios.get(quiz) || answersIO; }

  function showResult(quiz, record, fresh) {
    var isFinal = ioOf(quiz).lock(quiz.getAttribute("data-qid"));
    var last = record.ok;
    var first = firstOk(record);
    var message;
    quiz.classList.remove("is-correct", "is-wrong");
    quiz.classList.add(last ? "is-correct" : "is-wrong");
    if (isMatching(quiz)) {
      showMatching(quiz, record.v);
      var n = pairsOf(quiz).length;
      var good = Math.round(record.score * n);
      message = last ? "Bonne réponse\u00a0: toutes les associations sont justes."
        : "Réponse incorrecte\u00a0: " + good + " association" + (good > 1 ? "s" : "") + " juste" + (good > 1 ? "s" : "") +
          " sur " + n + ".";
    } else {
      showOrder(quiz);
      var pairs = stepsOf(quiz).length - 1;
      var kept = Math.round(record.score * pairs);
      message = last ? "Bonne réponse\u00a0: les étapes sont dans le bon ordre."
        : "Réponse incorrecte\u00a0: " + kept + " enchaînement" + (kept > 1 ? "s" : "") + " juste" + (kept > 1 ? "s" : "") +
          " sur " + pairs + ". L’ordre attendu\u00a0: " + rightOrderText(quiz) + ".";
    }
    if (!fresh) message = (first ? "Déjà répondu\u00a0: juste au premier essai. " : "Déjà répondu\u00a0: faux au premier essai. ") +
      (last === first ? "" : message);
    if (!isFinal && fresh && !last) message += " Lisez l’explication, puis modifiez votre réponse si vous le souhaitez.";
    if (isFinal) setLocked(quiz, true);
    quiz.querySelector(".quiz-feedback").textContent = message;
    var content = quiz.querySelector("section.content");
    if (content) content.hidden = false;
  }

  function restore(quiz, record) {
    if (isMatching(quiz)) restoreMatching(quiz, record.v); else restoreOrder(quiz, record.v);
    showResult(quiz, record, false);
  }

  function clear(quiz) {
    if (isMatching(quiz)) clearMatching(quiz); else resetOrder(quiz);
    setLocked(quiz, false);
    quiz.classList.remove("is-correct", "is-wrong");
    quiz.querySelector(".quiz-feedback").textContent = "";
    var content = quiz.querySelector("section.content");
    if (content) content.hidden = true;
  }

  function refresh(quiz) {
    var qid = quiz.getAttribute("data-qid");
    var record = store.get("answers", qid);
    var key = record ? JSON.stringify(record) : "";
    if (shown.get(qid) === key) return;
    shown.set(qid, key);
    if (record) restore(quiz, record); else clear(quiz);
  }

  /* Whether the save failed, said again once a write under the tabs' lock (`done`) has landed or failed. */
  function saveStatus(quiz, result) {
    if (result.done) result.done.then(function (landed) { saveStatus(quiz, landed); });
    var note = quiz.querySelector(".pt-save-status");
    if (result.ok) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "pt-save-status";
      note.setAttribute("role", "alert");
      quiz.querySelector(".quiz-feedback").insertAdjacentElement("afterend", note);
    }
    note.textContent = "Non enregistré\u00a0: " + result.message;
  }

  function submit(quiz) {
    var qid = quiz.getAttribute("data-qid");
    var feedback = quiz.querySelector(".quiz-feedback");
    var values = isMatching(quiz) ? matchingValues(quiz) : orderValues(quiz);
    if (isMatching(quiz) && values.some(function (v) { return !v; })) {
      feedback.textContent = "Choisissez une correspondance pour chaque élément avant de valider.";
      return;
    }
    var io = ioOf(quiz);
    if (io.lock(qid) && io.get(qid)) return;
    var score = isMatching(quiz) ? matchingScore(quiz, values) : orderScore(values);
    var saved = io.save(qid, values, score === 1, score);
    var kept = io.get(qid) || saved.record;
    if (io === answersIO) shown.set(qid, JSON.stringify(kept));
    showResult(quiz, kept, true);
    saveStatus(quiz, saved.result);
  }

  function init(quiz, io) {
    var form = quiz.querySelector("form");
    if (!form) return;
    if (io) ios.set(quiz, io);
    if (!isMatching(quiz)) quiz.setAttribute("data-initial", orderValues(quiz).join(","));
    form.addEventListener("submit", function (event) { event.preventDefault(); submit(quiz); });
    form.addEventListener("click", function (event) {
      var button = event.target.closest(".step-move");
      if (button && !button.disabled) move(quiz, button.closest(".quiz-step"), Number(button.getAttribute("data-move")));
    });
    form.addEventListener("change", function (event) {
      if (event.target.matches("select")) {
        var row = event.target.closest(".quiz-pair");
        row.classList.remove("answer-correct", "answer-wrong");
        row.querySelector(".pair-feedback").hidden = true;
      }
    });
    if (io) clear(quiz); else refresh(quiz);
  }

  /* One question that cannot be shown must not stop the others. */
  function safely(fn) {
    return function (quiz) {
      try { fn(quiz); } catch (e) { if (window.console) window.console.error(e); }
    };
  }

  function start() {
    if (!store) return;
    var quizzes = all(document, ".quiz[data-qid]").filter(function (q) {
      return TYPES.has(q.getAttribute("data-type")) && !q.closest("[data-review], [data-practice]") && !q.hasAttribute("data-sealed-final");
    });
    if (!quizzes.length) return;
    quizzes.forEach(safely(function (quiz) { init(quiz); }));
    store.on(function () { quizzes.forEach(safely(refresh)); });
  }

  NS.quizExtra = { handles: function (quiz) { return TYPES.has(quiz.getAttribute("data-type")); },
                   mount: function (quiz, io) { init(quiz, io); } };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
