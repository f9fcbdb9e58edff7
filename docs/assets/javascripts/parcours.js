/* Partenariat: « Mon parcours » (figures per lesson, final assessment, export, import, reset, unreadable data),
 * a view of the progress store. Also the figures other views share: window.Partenariat.progress. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { lessons: [], final: { questions: [] }, passMark: 70 };
  var MAX_IMPORT_BYTES = 1000000;

  function firstOk(record) { return record.first !== undefined ? record.first : record.ok; }

  /* Answered, correct at first attempt, ticked, and the score (first attempts) of a list of ids. */
  function stats(ids, checkIds) {
    var answered = 0, correct = 0, checked = 0;
    ids.forEach(function (id) {
      var a = store.get("answers", id);
      if (a) { answered++; if (firstOk(a)) correct++; }
    });
    (checkIds || []).forEach(function (id) { var c = store.get("checks", id); if (c && c.on) checked++; });
    return {
      answered: answered, correct: correct, total: ids.length, checked: checked, checks: (checkIds || []).length,
      score: ids.length ? Math.round(100 * correct / ids.length) : 0
    };
  }

  function finalSummary() {
    var s = stats((course.final && course.final.questions) || []);
    if (!s.total || !s.answered) return { text: "pas encore commencée", s: s };
    if (s.answered < s.total) return { text: "en cours : " + s.answered + " question(s) sur " + s.total, s: s };
    var passed = s.score >= course.passMark;
    return {
      s: s, passed: passed,
      text: "terminée : " + s.correct + " / " + s.total + " soit " + s.score + " % — " +
        (passed ? "réussie" : "non réussie") + " (seuil : " + course.passMark + " %)"
    };
  }

  NS.progress = { stats: stats, finalSummary: finalSummary };

  var root = null;

  function say(text, ok) {
    var message = root.querySelector(".parcours-message");
    if (!message) return;
    message.textContent = text;
    message.classList.toggle("is-success", ok === true);
    message.classList.toggle("is-error", ok === false);
  }

  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-button";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  /* Unreadable data: still under the main key (could not be copied), or set aside under other keys. */
  function renderAlert() {
    var alert = root.querySelector(".parcours-alert");
    if (!alert) return;
    var s = store.status();
    alert.textContent = "";
    var parts = [];
    if (s.blocked) {
      var p = document.createElement("p");
      p.textContent = s.message;
      var actions = document.createElement("p");
      actions.appendChild(button("Exporter les données illisibles", function () {
        NS.download("partenariat-donnees-illisibles.json", store.unreadable() || "");
        say("Données illisibles exportées dans le fichier « partenariat-donnees-illisibles.json ».", true);
      }));
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(button("Effacer les données illisibles…", function () {
        if (!window.confirm("Effacer définitivement les données illisibles ? Exportez-les d’abord si vous voulez les garder.")) {
          say("Rien n’a été effacé.", true);
          return;
        }
        var result = store.discard();
        say(result.ok ? "Données illisibles effacées : votre progression est de nouveau enregistrée." : result.message, result.ok);
        render();
      }));
      parts.push(p, actions);
    } else if (s.message && s.ok) {
      var info = document.createElement("p");
      info.textContent = s.message;
      parts.push(info);
    }
    s.setAside.forEach(function (key) {
      var row = document.createElement("p");
      row.textContent = "Données illisibles mises de côté sous la clé « " + key + " » : ";
      row.appendChild(button("Exporter", function () {
        NS.download("partenariat-donnees-illisibles.json", store.readAside(key) || "");
        say("Données exportées dans le fichier « partenariat-donnees-illisibles.json ».", true);
      }));
      row.appendChild(document.createTextNode(" "));
      row.appendChild(button("Effacer…", function () {
        if (!window.confirm("Effacer définitivement ces données illisibles ?")) return;
        var result = store.discard(key);
        say(result.ok ? "Données illisibles effacées." : result.message, result.ok);
        render();
      }));
      parts.push(row);
    });
    parts.forEach(function (el) { alert.appendChild(el); });
    alert.hidden = !parts.length;
  }

  function render() {
    renderAlert();
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
      /* a lesson not started has no score yet: « — », not « 0 % » */
      set("score", s.answered ? s.score : "—");
      var unit = row.querySelector("[data-stat='score-unit']");
      if (unit) unit.hidden = !s.answered;
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

  function importText(text) {
    var result = store.importJSON(text);
    say(result.message, result.ok);
    render();
    return result;
  }

  function init() {
    root = document.getElementById("parcours");
    if (!root) return;
    root.querySelector("[data-action='export']").addEventListener("click", function () {
      var name = NS.exportProgress();
      say("Progression exportée dans le fichier « " + name + " ».", true);
    });
    root.querySelector("[data-action='reset']").addEventListener("click", function () {
      if (!window.confirm("Effacer toute votre progression (réponses et coches) ? Exportez-la d’abord si vous voulez la garder.")) {
        say("Rien n’a été effacé.", true);
        return;
      }
      var result = store.reset();
      render();
      say(result.ok ? "Votre progression a été effacée." : "L’effacement n’a pas pu être enregistré : " + result.message, result.ok);
    });
    var file = root.querySelector("#parcours-import");
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      file.value = "";
      if (!chosen) return;
      if (chosen.size > MAX_IMPORT_BYTES) {
        say("Import refusé : ce fichier est trop volumineux pour être une progression. Votre progression actuelle n’a pas été modifiée.", false);
        return;
      }
      var reader = new FileReader();
      reader.onload = function () { importText(String(reader.result)); };
      reader.onerror = function () { say("Import refusé : le fichier n’a pas pu être lu. Votre progression actuelle n’a pas été modifiée.", false); };
      reader.readAsText(chosen);
    });
    render();
    store.on(render);
  }

  NS.parcours = { importText: importText };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
