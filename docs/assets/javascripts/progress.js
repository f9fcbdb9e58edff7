/* Partenariat: the learner's progress (quizzes, checklists, « Mon parcours », export and import).
 * Everything is kept in localStorage under one key that depends on neither the URL nor the folder,
 * and answers are stored by each question's stable id. */
(function () {
  "use strict";

  var KEY = "partenariat:progress:v1";
  var SCHEMA = "partenariat-progress";
  var MAX_IMPORT_BYTES = 1000000;
  var course = window.PARTENARIAT_COURSE || { lessons: [], final: { questions: [] }, passMark: 70 };
  var finalIds = {};
  (course.final.questions || []).forEach(function (id) { finalIds[id] = true; });

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function emptyState() {
    return { schema: SCHEMA, version: 1, course: "partenariat", answers: {}, checks: {}, updated: null };
  }

  /* Returns a French reason when `data` is not a progress record, or null when it is. */
  function invalidReason(data) {
    if (!isObject(data)) return "le fichier ne contient pas un objet JSON";
    if (data.schema !== SCHEMA) return "ce fichier ne vient pas du module « Partenariat »";
    if (data.version !== 1) return "version de fichier inconnue";
    if (!isObject(data.answers) || !isObject(data.checks)) return "les rubriques des réponses et des coches manquent";
    var ids = Object.keys(data.answers);
    for (var i = 0; i < ids.length; i++) {
      var a = data.answers[ids[i]];
      if (!isObject(a) || typeof a.ok !== "boolean" || !Array.isArray(a.v) ||
          !a.v.every(function (x) { return typeof x === "string"; })) {
        return "la réponse enregistrée pour « " + ids[i] + " » est illisible";
      }
    }
    var checks = Object.keys(data.checks);
    for (var j = 0; j < checks.length; j++) {
      if (typeof data.checks[checks[j]] !== "boolean") return "la coche « " + checks[j] + " » est illisible";
    }
    return null;
  }

  var storageProblem = null;

  /* Reads the stored progress; corrupt data is set aside under another key, never deleted. */
  function load() {
    var raw;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (e) {
      storageProblem = "Ce navigateur n’autorise pas l’enregistrement local : votre progression ne sera pas conservée.";
      return emptyState();
    }
    if (raw === null) return emptyState();
    var data = null;
    var reason;
    try {
      data = JSON.parse(raw);
      reason = invalidReason(data);
    } catch (e) {
      reason = "données illisibles";
    }
    if (!reason) return data;
    var backup = KEY + ":illisible:" + new Date().toISOString();
    try {
      window.localStorage.setItem(backup, raw);
      window.localStorage.removeItem(KEY);
    } catch (e) { /* keep the original in place if it cannot be copied */ }
    storageProblem = "Des données de progression illisibles (" + reason + ") ont été trouvées dans ce navigateur. " +
      "Elles n’ont pas été effacées : elles sont conservées sous la clé « " + backup + " ».";
    return emptyState();
  }

  var state = load();

  function save() {
    state.updated = new Date().toISOString();
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
      return true;
    } catch (e) {
      storageProblem = "Impossible d’enregistrer votre progression dans ce navigateur.";
      return false;
    }
  }

  /* Folds what learners type: accents, apostrophes, case, spaces and final punctuation. */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[’‘`´ʼ]/g, "'").replace(/œ/g, "oe").replace(/æ/g, "ae")
      .toLowerCase().replace(/\s+/g, " ").replace(/\s*'\s*/g, "'").replace(/[.!?;:,]+$/, "").trim();
  }

  /* ---------- quizzes ---------- */

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
    var chosen = {};
    values.forEach(function (v) { chosen[v] = true; });
    return inputsOf(quiz).every(function (i) { return !!chosen[i.value] === (i.getAttribute("data-correct") === "true"); });
  }

  function correctText(quiz) {
    var blank = blankOf(quiz);
    if (blank) return acceptedOf(quiz)[0] || "";
    return inputsOf(quiz).filter(function (i) { return i.getAttribute("data-correct") === "true"; })
      .map(function (i) { var l = quiz.querySelector("label[for='" + i.id + "']"); return l ? l.textContent.trim() : ""; })
      .join(" ; ");
  }

  function showResult(quiz, record, fresh) {
    var feedback = quiz.querySelector(".quiz-feedback");
    var content = quiz.querySelector("section.content");
    var isFinal = !!finalIds[quiz.getAttribute("data-qid")];
    var last = record.last === undefined ? record.ok : record.last;
    quiz.classList.remove("is-correct", "is-wrong");
    quiz.classList.add(last ? "is-correct" : "is-wrong");
    inputsOf(quiz).forEach(function (input) {
      var row = input.parentElement;
      var right = input.getAttribute("data-correct") === "true";
      row.classList.toggle("answer-correct", right && (!last || input.checked));
      row.classList.toggle("answer-wrong", input.checked && !right);
      var fb = row.querySelector(".answer-feedback");
      if (fb) fb.classList.toggle("hidden", !input.checked);
      if (isFinal) input.disabled = true;
    });
    var blank = blankOf(quiz);
    if (blank && isFinal) blank.disabled = true;
    var button = quiz.querySelector(".quiz-button");
    if (button && isFinal) button.disabled = true;
    var message = last ? "Bonne réponse." : "Réponse incorrecte. La bonne réponse : " + correctText(quiz) + ".";
    if (!fresh) message = (record.ok ? "Déjà répondu : juste au premier essai. " : "Déjà répondu : faux au premier essai. ") +
      (last === record.ok ? "" : message);
    if (!isFinal && fresh && !last) message += " Lisez l’explication, puis modifiez votre réponse si vous le souhaitez.";
    feedback.textContent = message;
    if (content) content.hidden = false;
  }

  function restore(quiz, record) {
    var blank = blankOf(quiz);
    if (blank) {
      blank.value = record.v[0] || "";
    } else {
      var wanted = {};
      record.v.forEach(function (v) { wanted[v] = true; });
      inputsOf(quiz).forEach(function (i) { i.checked = !!wanted[i.value]; });
    }
    showResult(quiz, record, false);
  }

  function initQuiz(quiz) {
    var qid = quiz.getAttribute("data-qid");
    var form = quiz.querySelector("form");
    if (!form) return;
    if (state.answers[qid]) restore(quiz, state.answers[qid]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = currentValues(quiz);
      var feedback = quiz.querySelector(".quiz-feedback");
      if (!values.length) {
        feedback.textContent = blankOf(quiz) ? "Écrivez votre réponse avant de valider." : "Choisissez une réponse avant de valider.";
        return;
      }
      var previous = state.answers[qid];
      if (previous && finalIds[qid]) return;
      var ok = isRight(quiz, values);
      var record = { ok: previous ? previous.ok : ok, last: ok, v: values, n: (previous ? previous.n || 1 : 0) + 1 };
      state.answers[qid] = record;
      save();
      showResult(quiz, record, true);
      renderFinal();
    });
  }

  /* ---------- checklists ---------- */

  function initChecks() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-check]"));
    boxes.forEach(function (box) {
      box.checked = !!state.checks[box.getAttribute("data-check")];
      box.addEventListener("change", function () {
        state.checks[box.getAttribute("data-check")] = box.checked;
        save();
        renderCheckStatus();
      });
    });
    renderCheckStatus();
  }

  function renderCheckStatus() {
    document.querySelectorAll("ul.checklist").forEach(function (list) {
      var boxes = list.querySelectorAll("input[data-check]");
      var done = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      var status = list.parentElement.querySelector(".checklist-status");
      if (status) status.textContent = done + " sur " + boxes.length + " cochée(s), enregistré dans ce navigateur.";
    });
  }

  /* ---------- scores ---------- */

  function stats(ids, checkIds) {
    var answered = 0, correct = 0, checked = 0;
    ids.forEach(function (id) {
      var a = state.answers[id];
      if (a) { answered++; if (a.ok) correct++; }
    });
    (checkIds || []).forEach(function (id) { if (state.checks[id]) checked++; });
    return {
      answered: answered, correct: correct, total: ids.length, checked: checked, checks: (checkIds || []).length,
      score: ids.length ? Math.round(100 * correct / ids.length) : 0
    };
  }

  function finalSummary() {
    var s = stats(course.final.questions || []);
    if (!s.total || !s.answered) return { text: "pas encore commencée", s: s };
    if (s.answered < s.total) return { text: "en cours : " + s.answered + " question(s) sur " + s.total, s: s };
    var passed = s.score >= course.passMark;
    return {
      s: s, passed: passed,
      text: "terminée : " + s.correct + " / " + s.total + " soit " + s.score + " % — " +
        (passed ? "réussie" : "non réussie") + " (seuil : " + course.passMark + " %)"
    };
  }

  function renderFinal() {
    var box = document.querySelector(".final-result");
    if (box) box.textContent = "Votre résultat : " + finalSummary().text + ".";
    renderParcours();
  }

  function renderParcours() {
    var root = document.getElementById("parcours");
    if (!root) return;
    var alert = root.querySelector(".parcours-alert");
    if (alert) {
      alert.hidden = !storageProblem;
      alert.textContent = storageProblem || "";
    }
    var done = 0, todo = 0;
    course.lessons.forEach(function (lesson) {
      var s = stats(lesson.questions, lesson.checks);
      var row = root.querySelector("[data-lesson='" + lesson.slug + "']");
      done += s.answered + s.checked;
      todo += s.total + s.checks;
      if (!row) return;
      var set = function (name, value) { var el = row.querySelector("[data-stat='" + name + "']"); if (el) el.textContent = value; };
      set("answered", s.answered);
      set("total", s.total);
      set("score", s.score);
      set("checked", s.checked);
      var bar = row.querySelector("progress");
      if (bar) bar.value = (s.total + s.checks) ? Math.round(100 * (s.answered + s.checked) / (s.total + s.checks)) : 0;
    });
    var fin = finalSummary();
    done += fin.s.answered;
    todo += fin.s.total;
    var module = todo ? Math.round(100 * done / todo) : 0;
    var bar = root.querySelector("#parcours-module");
    if (bar) bar.value = module;
    var moduleText = root.querySelector("[data-stat='module']");
    if (moduleText) moduleText.textContent = module;
    var finalText = root.querySelector("[data-stat='final']");
    if (finalText) finalText.textContent = fin.text;
  }

  /* ---------- export, import, reset ---------- */

  function say(text) {
    var message = document.querySelector(".parcours-message");
    if (message) message.textContent = text;
  }

  function exportProgress() {
    var payload = JSON.parse(JSON.stringify(state));
    payload.exported = new Date().toISOString();
    payload.courseVersion = course.version;
    var blob = new Blob([JSON.stringify(payload, null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "partenariat-progression-" + payload.exported.slice(0, 10) + ".json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    say("Progression exportée dans le fichier « " + link.download + " ».");
  }

  function importText(text) {
    var refuse = function (why) {
      say("Import refusé : " + why + ". Votre progression actuelle n’a pas été modifiée.");
    };
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return refuse("ce fichier n’est pas un fichier JSON valide");
    }
    var reason = invalidReason(data);
    if (reason) return refuse(reason);
    Object.keys(data.answers).forEach(function (id) { state.answers[id] = data.answers[id]; });
    Object.keys(data.checks).forEach(function (id) { state.checks[id] = data.checks[id]; });
    if (!save()) return refuse("l’enregistrement dans ce navigateur a échoué");
    renderParcours();
    say("Progression importée : " + Object.keys(data.answers).length + " réponse(s) et " +
      Object.keys(data.checks).length + " coche(s) ajoutées à votre progression.");
  }

  function initParcours() {
    var root = document.getElementById("parcours");
    if (!root) return;
    root.querySelector("[data-action='export']").addEventListener("click", exportProgress);
    root.querySelector("[data-action='reset']").addEventListener("click", function () {
      if (!window.confirm("Effacer toute votre progression (réponses et coches) ? Exportez-la d’abord si vous voulez la garder.")) {
        say("Rien n’a été effacé.");
        return;
      }
      state = emptyState();
      save();
      renderParcours();
      say("Votre progression a été effacée.");
    });
    var file = root.querySelector("#parcours-import");
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      file.value = "";
      if (!chosen) return;
      if (chosen.size > MAX_IMPORT_BYTES) {
        say("Import refusé : ce fichier est trop volumineux pour être une progression. Votre progression actuelle n’a pas été modifiée.");
        return;
      }
      var reader = new FileReader();
      reader.onload = function () { importText(String(reader.result)); };
      reader.onerror = function () { say("Import refusé : le fichier n’a pas pu être lu. Votre progression actuelle n’a pas été modifiée."); };
      reader.readAsText(chosen);
    });
    renderParcours();
  }

  function init() {
    document.querySelectorAll(".quiz[data-qid]").forEach(initQuiz);
    initChecks();
    initParcours();
    renderFinal();
  }

  window.partenariatProgress = { fold: fold, key: KEY, importText: importText };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
