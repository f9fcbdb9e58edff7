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
    /* a learners' edition: the attempt and its trainer's correction (final.js) */
    var sealed = NS.finalAttempt && NS.finalAttempt.summary();
    if (sealed) return sealed;
    var s = stats((course.final && course.final.questions) || []);
    if (!s.total || !s.answered) return { text: "pas encore commencée", s: s };
    if (s.answered < s.total) return { text: "en cours : " + s.answered + " question(s) sur " + s.total, s: s };
    var passed = s.score >= course.passMark;
    return {
      s: s, passed: passed, via: "declared",
      /* corrected in this browser: declared, never « réussie » (only a trainer's code or a platform says so) */
      text: "terminée : " + s.correct + " / " + s.total + " soit " + s.score + "\u00a0% — " +
        (passed ? "seuil atteint" : "seuil non atteint") + " (seuil : " + course.passMark + "\u00a0%), résultat déclaré, non vérifié"
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
    var offer = root.querySelector(".parcours-offer");
    if (offer) offer.remove();
  }

  /* A store result, once its write has landed (the store writes under a lock shared by the tabs). */
  function landed(result, then) {
    if (result.done) result.done.then(then); else then(result);
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
        landed(store.discard(), function (result) {
          say(result.ok ? "Données illisibles effacées : votre progression est de nouveau enregistrée." : result.message, result.ok);
          render();
        });
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
        if (!window.confirm("Effacer définitivement ces données illisibles\u00a0?")) return;
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
      /* « 3 réponses sur 15 · 3 justes du premier coup sur 3 »: right answers counted among those given */
      set("answered", s.answered);
      set("answered-unit", s.answered > 1 ? "réponses" : "réponse");
      set("total", s.total);
      set("correct", s.correct);
      set("correct-unit", s.correct > 1 ? "justes" : "juste");
      set("given", s.answered);
      var right = row.querySelector("[data-stat='right']");
      if (right) right.hidden = !s.answered;
      set("checked", s.checked);
      set("checked-unit", s.checked > 1 ? "compétences cochées" : "compétence cochée");
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

  /* Imports a file's text; dates ahead of this device's clock are said, with an offer to import them brought to now. */
  function importText(text, options) {
    var result = store.importJSON(text, options);
    say(result.message, result.ok);
    render();
    if (result.ahead) {
      var offer = document.createElement("p");
      offer.className = "parcours-offer";
      offer.appendChild(button("Importer quand même (dates ramenées à maintenant)", function () {
        importText(text, { clampFuture: true });
      }));
      root.querySelector(".parcours-message").insertAdjacentElement("afterend", offer);
    }
    if (result.done) result.done.then(function (saved) { if (!saved.ok) say(saved.message, false); });
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
      /* Statements not yet sent are results the learner already produced: the reset keeps them (xapi.js). */
      var waiting = NS.xapi ? NS.xapi.pending() : 0;
      var kept = waiting ? " " + (waiting > 1 ? "Les " + waiting + " résultats en attente d’envoi à votre formateur restent et seront envoyés"
        : "Le résultat en attente d’envoi à votre formateur reste et sera envoyé") + ", et votre choix d’envoi est gardé." :
        store.all("consent").length ? " Votre choix d’envoi des résultats à votre formateur est gardé." : "";
      if (!window.confirm("Effacer toute votre progression (réponses et coches) ? Exportez-la d’abord si vous voulez la garder." + kept)) {
        say("Rien n’a été effacé.", true);
        return;
      }
      landed(store.reset(), function (result) {
        say(result.ok ? "Votre progression a été effacée." : "L’effacement n’a pas pu être enregistré : " + result.message, result.ok);
      });
      render();
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
    document.addEventListener("partenariat:final", render);  /* a correction code verified (final.js) */
  }

  NS.parcours = { importText: importText };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
