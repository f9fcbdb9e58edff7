/* Partenariat: the hand-in report of « Mon parcours » (issue 12), a view of the progress store.
 * The learner's name is kept in the `profile` bucket ("name" → {value}). The report file is the usual export
 * (still importable) plus a `report` summary the group dashboard reads; the printable « Relevé de progression »
 * is an A4 sheet marked as declared by the learner. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { lessons: [], final: { questions: [] }, passMark: 70 };

  function firstOk(r) { return r.first !== undefined ? r.first : r.ok; }

  function unit(ids) {
    var n = 0, ok = 0, last = 0;
    ids.forEach(function (id) {
      var r = store.get("answers", id);
      if (r) { n++; if (firstOk(r)) ok++; last = Math.max(last, r.t); }
    });
    return { answered: n, correct: ok, total: ids.length, done: ids.length > 0 && n === ids.length,
             score: ids.length ? Math.round(100 * ok / ids.length) : 0, last: last ? new Date(last).toISOString() : null };
  }

  function learnerName() {
    var p = store.get("profile", "name");
    return p ? p.value : "";
  }

  /* Written answers (redaction.js) by question id: {text, selfRating: {criterionId: 0|1|2}}; never scored. */
  function written() {
    var out = {};
    course.lessons.forEach(function (l) {
      (l.written || []).forEach(function (id) {
        var r = store.get("answers", id);
        if (r && typeof r.text === "string" && r.selfRating) out[id] = { text: r.text, selfRating: r.selfRating };
      });
    });
    return out;
  }

  /* What the report says, computed from the store now. */
  function summary() {
    var fin = unit((course.final && course.final.questions) || []);
    fin.passed = fin.done ? fin.score >= course.passMark : null;
    return {
      name: learnerName(),
      date: new Date().toISOString(),
      course: course.course,
      courseVersion: course.version || "",
      declared: "Déclaré par l’apprenant\u00a0: relevé non certifié",
      assignments: store.all("assignments").map(function (pair) {
        var a = pair[1];
        return { id: a.id, group: a.group, due: a.due, pass: a.pass, lessons: a.lessons, final: a.final };
      }),
      lessons: course.lessons.map(function (l) {
        var u = unit(l.questions);
        u.slug = l.slug; u.title = l.title;
        return u;
      }),
      final: fin,
      written: written()
    };
  }

  function fileName(name) {
    var slug = String(name).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
    return "partenariat-releve-" + (slug ? slug + "-" : "") + new Date().toISOString().slice(0, 10) + ".json";
  }

  function reportJSON() {
    var data = JSON.parse(store.exportJSON());
    data.report = summary();
    if (NS.finalAttempt) NS.finalAttempt.addToReport(data.report);  /* learner id and final attempt (final.js) */
    return JSON.stringify(data, null, 2);
  }

  NS.report = { summary: summary, json: reportJSON, fileName: fileName, written: written };

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function cell(row, tag, text) { row.appendChild(el(tag, "", String(text))); }

  function renderSheet(sheet) {
    var s = summary();
    sheet.textContent = "";
    sheet.appendChild(el("h2", "", "Relevé de progression"));
    sheet.appendChild(el("p", "pt-declared", "Déclaré par l’apprenant — document non certifié\u00a0: il reprend ce que ce navigateur a enregistré."));
    var dl = el("dl", "pt-report-facts");
    [["Apprenant", s.name || "(nom non indiqué)"], ["Module", "Partenariat, version " + (s.courseVersion || "inconnue")],
     ["Date du relevé", new Date(s.date).toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric" })]]
      .forEach(function (pair) { dl.appendChild(el("dt", "", pair[0])); dl.appendChild(el("dd", "", pair[1])); });
    sheet.appendChild(dl);
    s.assignments.forEach(function (a) {
      var p = NS.assignments ? NS.assignments.progress(store.get("assignments", a.id)) : null;
      var text = "Devoir du groupe «\u00a0" + a.group + "\u00a0», " + (NS.assignments ? NS.assignments.whenText(a.due, p && p.done === p.total) : a.due) +
        (p ? "\u00a0: " + p.done + " sur " + p.total + " terminé" + (p.done > 1 ? "s" : "") : "") + ", seuil " + a.pass + "\u00a0%.";
      sheet.appendChild(el("p", "pt-report-assignment", text));
    });
    var table = el("table", "pt-report-table");
    var cap = el("caption", "", "Résultats par leçon (bonnes réponses au premier essai)");
    table.appendChild(cap);
    var head = el("tr");
    ["Leçon", "Questions répondues", "Score", "État"].forEach(function (h) { var th = el("th", "", h); th.scope = "col"; head.appendChild(th); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    s.lessons.forEach(function (u) {
      var row = el("tr");
      row.setAttribute("data-lesson", u.slug);
      var th = el("th", "", u.title); th.scope = "row"; row.appendChild(th);
      cell(row, "td", u.answered + " / " + u.total);
      cell(row, "td", u.score + "\u00a0%");
      cell(row, "td", u.done ? "terminée" : u.answered ? "en cours" : "non commencée");
      body.appendChild(row);
    });
    table.appendChild(body);
    sheet.appendChild(table);
    var f = s.final;
    sheet.appendChild(el("p", "pt-report-final", "Évaluation finale\u00a0: " + (f.done
      ? f.correct + " / " + f.total + " soit " + f.score + "\u00a0% — " + (f.passed ? "réussie" : "non réussie") + " (seuil\u00a0: " + course.passMark + "\u00a0%)"
      : f.answered ? "en cours (" + f.answered + " question(s) sur " + f.total + ")" : "pas encore commencée")));
    var nWritten = Object.keys(s.written).length;
    sheet.appendChild(el("p", "pt-report-written", "Réponses rédigées\u00a0: " + (nWritten
      ? nWritten + " envoyée" + (nWritten > 1 ? "s" : "") + ", avec l’auto-évaluation de l’apprenant (à relire par le formateur)."
      : "aucune pour l’instant.")));
    sheet.hidden = false;
  }

  function init() {
    var root = document.getElementById("pt-report");
    if (!root) return;
    var input = document.getElementById("pt-report-name");
    var message = document.getElementById("pt-report-message");
    var say = function (text, ok) { message.textContent = text; message.classList.toggle("is-error", !ok); };
    input.value = learnerName();
    var saveName = function () {
      var value = input.value.trim().replace(/\s+/g, " ").slice(0, 120);
      if (value === learnerName()) return { ok: true };
      var r = value ? store.put("profile", "name", { value: value }) : store.remove("profile", "name");
      return r;
    };
    document.getElementById("pt-report-save").addEventListener("click", function () {
      var r = saveName();
      say(r.ok ? "Nom enregistré dans ce navigateur." : r.message, r.ok);
    });
    document.getElementById("pt-report-file").addEventListener("click", function () {
      var r = saveName();
      if (!r.ok) { say(r.message, false); return; }
      if (!learnerName()) { say("Indiquez d’abord votre nom\u00a0: votre formateur doit savoir de qui vient le relevé.", false); input.focus(); return; }
      var name = NS.download(fileName(learnerName()), reportJSON());
      say("Relevé enregistré dans le fichier «\u00a0" + name + "\u00a0»\u00a0: remettez-le à votre formateur.", true);
    });
    document.getElementById("pt-report-print").addEventListener("click", function () {
      var r = saveName();
      if (!r.ok) { say(r.message, false); return; }
      var sheet = document.getElementById("pt-report-sheet");
      renderSheet(sheet);
      say("Relevé de progression affiché ci-dessous\u00a0; la fenêtre d’impression s’ouvre.", true);
      NS.printSheet(sheet);
    });
    var paste = document.getElementById("pt-assign-paste");
    document.getElementById("pt-assign-paste-go").addEventListener("click", function () {
      var outcome = NS.assignments.receive(paste.value);
      say(outcome.message, outcome.ok);
      if (outcome.ok) paste.value = "";
    });
    store.on(function (event) {
      if (event.buckets.indexOf("profile") >= 0 && document.activeElement !== input) input.value = learnerName();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
