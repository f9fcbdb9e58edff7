/* Partenariat: « S’entraîner », a practice set for self-study without a trainer.
 *
 * The page holds every lesson question, hidden (scripts/build/learner.py, never a question of the final). This view
 * draws a mixed set (lessons in a random order, one question of each in turn), scores it in the page with the
 * lesson quizzes' own views (quiz.js, quiz-extra.js) and an answer store of its own that lives in the page only:
 * nothing is written to the progress store, so lesson progress, the final, the report and the attestation never
 * change. « Tirer une nouvelle série » draws another set (the page again).
 * Public: window.Partenariat.practice = {draw, size}. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var SIZE = 10;
  var NB = "\u00a0";

  function shuffle(list) {
    var out = list.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var x = out[i]; out[i] = out[j]; out[j] = x;
    }
    return out;
  }

  /* `size` question ids from `byLesson` ({lesson: [qid…]}): lessons shuffled, one question of each in turn. */
  function draw(byLesson, size) {
    var lessons = shuffle(Object.keys(byLesson));
    var pools = {};
    lessons.forEach(function (l) { pools[l] = shuffle(byLesson[l]); });
    var out = [];
    for (var turn = 0; out.length < size; turn++) {
      var added = false;
      lessons.forEach(function (l) {
        if (out.length < size && turn < pools[l].length) { out.push(pools[l][turn]); added = true; }
      });
      if (!added) break;
    }
    return shuffle(out);
  }

  NS.practice = { draw: draw, size: SIZE };

  function plural(n, one, many) { return n + NB + (n > 1 ? many : one); }

  function init() {
    var root = document.querySelector("[data-practice]");
    if (!root) return;
    var status = root.querySelector(".pt-practice-status");
    var items = Array.prototype.slice.call(root.querySelectorAll(".pt-practice-item"));
    var byLesson = {};
    items.forEach(function (item) {
      var lesson = item.getAttribute("data-lesson");
      (byLesson[lesson] = byLesson[lesson] || []).push(item.getAttribute("data-practice-qid"));
    });
    var chosen = draw(byLesson, SIZE);
    var answered = new Map();  /* qid → this page's answer record: never saved */

    function renderStatus() {
      var right = 0;
      answered.forEach(function (r) { right += r.score || 0; });
      right = Math.round(right * 10) / 10;
      if (answered.size < chosen.length) {
        status.textContent = "Série de " + plural(chosen.length, "question", "questions") + NB + ": " +
          plural(answered.size, "réponse", "réponses") + ", " + plural(right, "juste", "justes") + ".";
        return;
      }
      status.textContent = "Série terminée" + NB + ": " + String(right).replace(".", ",") + " / " + chosen.length + " (" +
        Math.round(100 * right / chosen.length) + NB + "%). Cet entraînement ne compte ni pour l’évaluation finale " +
        "ni pour l’attestation" + NB + ": tirez une nouvelle série pour continuer.";
    }

    var io = {
      get: function (qid) { return answered.get(qid); },
      lock: function () { return true; },
      save: function (qid, values, ok, score) {
        var record = { v: values, ok: ok, score: score, first: ok };
        answered.set(qid, record);
        renderStatus();
        return { record: record, result: { ok: true } };
      }
    };

    var byId = new Map(items.map(function (item) { return [item.getAttribute("data-practice-qid"), item]; }));
    chosen.forEach(function (qid, i) {
      var item = byId.get(qid);
      var quiz = item && item.querySelector(".quiz[data-qid]");
      if (!quiz) return;
      var heading = quiz.querySelector(".quiz-number");
      if (heading) heading.textContent = "Question " + (i + 1) + " sur " + chosen.length;
      root.appendChild(item);  /* in the order drawn */
      if (NS.quiz && NS.quiz.handles(quiz)) NS.quiz.mount(quiz, io);
      else if (NS.quizExtra && NS.quizExtra.handles(quiz)) NS.quizExtra.mount(quiz, io);
      item.hidden = false;
    });
    items.forEach(function (item) { if (item.hidden) item.remove(); });
    var again = root.querySelector("[data-practice='draw']");
    if (again) again.addEventListener("click", function () { window.location.reload(); });
    renderStatus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
