/* Partenariat: « Suivi du groupe » (issue 12), the trainers' dashboard. Loaded by that page only.
 * Reads learners' report files (file picker or drag-and-drop), keeps them in this page only (nothing is sent; only
 * the trainer's marks of written answers are kept, in this browser: see MARKS_KEY), and shows one row per learner
 * and an item analysis. Definitions (also on the page):
 * - a unit (lesson, or the final assessment) is done when every question of it has an answer;
 * - score = correct at first attempt over every question of the assigned lessons; final = same over the final;
 * - late = not done after the due day, or done (last answer) after it (days in the trainer's local time);
 * - a question is flagged when fewer than half of those who answered it were right at first attempt;
 * - the most given wrong answer counts each learner's recorded wrong answer (ties: alphabetical order); a
 *   multiple-answer one with only right boxes ticked is shown as incomplete, with the options left out;
 * - the CSV holds numbers a spreadsheet can sort (unit in the header) and no cell a spreadsheet would run as a
 *   formula (OWASP « CSV injection »: a cell starting with = + - @, tab or carriage return gets a leading quote);
 *   each written answer shown has a column of the trainer's points, empty until every criterion is marked.
 * Files of another course, unreadable files and duplicates (same name: the newer export kept) are reported. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var MAX_BYTES = 1000000;
  var learners = [];          /* {file, name, key, exported, answers: Map, assignments: [...]} */
  var rejected = [];          /* {file, why} */
  var sortKey = "name", sortDir = 1;
  var data = null, course = null;

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function firstOk(r) { return r.first !== undefined ? r.first : r.ok; }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function norm(name) { return name.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase(); }

  /* A written answer as redaction.js stores it: {text, selfRating: {criterionId: 0|1|2}, t}. */
  function writtenValid(a) {
    return typeof a.text === "string" && a.text.length <= 4000 && isObject(a.selfRating) &&
      Object.keys(a.selfRating).every(function (k) { return [0, 1, 2].indexOf(a.selfRating[k]) >= 0; }) &&
      typeof a.t === "number" && Number.isInteger(a.t) && a.t >= 0;
  }

  /* {learner} or {why} (French) from a file's text. */
  function parse(fileName, text) {
    var obj;
    try { obj = JSON.parse(text); } catch (e) { return { why: "fichier illisible (ce n’est pas du JSON valide)" }; }
    if (!isObject(obj) || obj.schema !== "partenariat-progress") return { why: "ce n’est pas un relevé du module «\u00a0Partenariat\u00a0»" };
    if (obj.course !== course.course) return { why: "relevé d’un autre module («\u00a0" + String(obj.course).slice(0, 40) + "\u00a0»)" };
    if (obj.version !== 2 || !isObject(obj.buckets)) return { why: "version de fichier inconnue" };
    var answers = new Map();
    var raw = obj.buckets.answers || {};
    if (!isObject(raw)) return { why: "rubrique des réponses illisible" };
    var written = new Map();
    var bad = Object.keys(raw).filter(function (id) {
      var a = raw[id];
      if (isObject(a) && a.text !== undefined) return !writtenValid(a);
      return !isObject(a) || !Array.isArray(a.v) || !a.v.every(function (x) { return typeof x === "string"; }) ||
        typeof a.ok !== "boolean" || (a.first !== undefined && typeof a.first !== "boolean") ||
        typeof a.t !== "number" || !Number.isInteger(a.t) || a.t < 0;
    });
    if (bad.length) return { why: "réponse illisible («\u00a0" + bad[0].slice(0, 40) + "\u00a0»)" };
    Object.keys(raw).forEach(function (id) {
      if (!data.questions[id] || raw[id].deleted) return;
      if (raw[id].text !== undefined) written.set(id, raw[id]); else answers.set(id, raw[id]);
    });
    var assignments = [];
    var rawAssign = obj.buckets.assignments || {};
    if (isObject(rawAssign)) {
      Object.keys(rawAssign).forEach(function (id) {
        var a = rawAssign[id];
        /* Kept when readable and dated within the course's range; lessons this version lacks are left out below. */
        if (NS.assignments && !NS.assignments.problem(a, true) && NS.assignments.dayInRange(a.due)) assignments.push(a);
      });
    }
    var profile = obj.buckets.profile && obj.buckets.profile.name;
    var name = isObject(profile) && typeof profile.value === "string" && profile.value.trim() ? profile.value.trim().replace(/\s+/g, " ") : "";
    var exported = Date.parse(obj.exported || "") || 0;
    return { learner: { file: fileName, name: name || "(sans nom) " + fileName, key: name ? norm(name) : "file:" + fileName,
                        exported: exported, answers: answers, written: written, assignments: assignments, report: obj } };
  }

  function add(fileName, text) {
    if (learners.some(function (l) { return l.file === fileName; }) || rejected.some(function (r) { return r.file === fileName; })) {
      rejected.push({ file: fileName, why: "fichier déjà ouvert" });
      return;
    }
    var got = parse(fileName, text);
    if (got.why) { rejected.push({ file: fileName, why: got.why }); return; }
    var l = got.learner;
    var twin = learners.filter(function (x) { return x.key === l.key; })[0];
    if (!twin) { learners.push(l); return; }
    var keep = l.exported > twin.exported ? l : twin;
    var drop = keep === l ? twin : l;
    if (keep === l) learners[learners.indexOf(twin)] = l;
    rejected.push({ file: drop.file, why: "doublon de «\u00a0" + keep.file + "\u00a0» (même apprenant, " + keep.name + ")\u00a0: le relevé le plus récent est gardé" });
  }

  /* ---------- the assignment followed ---------- */

  var chosen = "";

  function assignmentsSeen() {
    var seen = new Map();
    learners.forEach(function (l) { l.assignments.forEach(function (a) {
      var s = seen.get(a.id) || { a: a, n: 0 };
      s.n++;
      seen.set(a.id, s);
    }); });
    return Array.from(seen.values()).sort(function (x, y) { return y.n - x.n || (x.a.due < y.a.due ? -1 : 1); });
  }

  function current() {
    var list = assignmentsSeen();
    var found = list.filter(function (s) { return s.a.id === chosen; })[0] || list[0];
    if (found) return found.a;
    return { id: "", group: "", lessons: course.lessons.map(function (l) { return l.slug; }), final: true, due: "", pass: course.passMark };
  }

  /* The assignment's lessons that this version of the course has (a report may come from an older one). */
  function knownLessons(a) {
    return a.lessons.filter(function (slug) { return course.lessons.some(function (l) { return l.slug === slug; }); });
  }

  /* ---------- figures ---------- */

  function lessonQuestions(slug) {
    var l = course.lessons.filter(function (x) { return x.slug === slug; })[0];
    return l ? l.questions : [];
  }

  function dueEnd(due) {
    if (!due) return Infinity;
    var p = due.split("-");
    return new Date(Number(p[0]), Number(p[1]) - 1, Number(p[2]) + 1).getTime() - 1;
  }

  /* The final as the correction section scores it (correction.js, with the key): a handed-in attempt of a learners'
     edition, scored here; an attempt not yet handed in is « en cours ». Null when the report has no such attempt
     (then the final is read from the answers, as the trainers' edition's own final stores it). */
  /* When the latest sealed attempt was handed in (ms), from the report's summary or the export's own buckets. */
  function handedInAt(raw) {
    var times = [];
    if (isObject(raw.report) && isObject(raw.report.final)) times.push(raw.report.final.handedIn);
    var finals = isObject(raw.buckets) && isObject(raw.buckets.final) ? raw.buckets.final : {};
    Object.keys(finals).forEach(function (id) { if (isObject(finals[id])) times.push(finals[id].handedIn); });
    return Math.max.apply(null, [0].concat(times.map(function (t) { return typeof t === "string" ? Date.parse(t) || 0 : 0; })));
  }

  /* A sealed final in the report: its state, text and score once corrected here; `handedIn` when the learner has
     handed an attempt in (a unit done, whatever its correction), `t` when. */
  function correctedFinal(l) {
    var raw = l.report;
    if (!NS.correction || !raw) return null;
    var f = NS.correction.finalOf(raw);
    if (!f) {
      var buckets = raw.buckets && typeof raw.buckets === "object" ? raw.buckets : {};
      var started = buckets.final && typeof buckets.final === "object" && Object.keys(buckets.final).length;
      return started ? { state: "en cours", text: "en cours (réponses non remises)", score: -1, handedIn: false, t: 0 } : null;
    }
    var t = handedInAt(raw);
    var s = f.why ? f : NS.correction.score(f);
    if (s.why) return { state: "à vérifier", text: "à vérifier\u00a0: " + s.why, score: -1, handedIn: true, t: t };
    var state = s.passed ? "réussie" : "non réussie";
    return { state: state, score: s.score, handedIn: true, t: t,
             text: s.score + "\u00a0% — " + state + " (corrigée ici, forme " + f.form + (f.n > 1 ? ", essai n°\u00a0" + f.n : "") + ")" };
  }

  function rowOf(l, a) {
    var units = knownLessons(a).map(lessonQuestions);
    var done = units.filter(function (ids) { return ids.length && ids.every(function (id) { return l.answers.has(id); }); }).length;
    var lessonIds = [].concat.apply([], units);
    var correct = lessonIds.filter(function (id) { var r = l.answers.get(id); return r && firstOk(r); }).length;
    var score = lessonIds.length ? Math.round(100 * correct / lessonIds.length) : null;
    var last = 0;
    lessonIds.forEach(function (id) { var r = l.answers.get(id); if (r) last = Math.max(last, r.t); });
    // the final: every item answered in the page (an edition with its key), or a sealed form handed in (below)
    var finalIds = course.final.questions;
    var fAnswered = finalIds.filter(function (id) { return l.answers.has(id); }).length;
    var fCorrect = finalIds.filter(function (id) { var r = l.answers.get(id); return r && firstOk(r); }).length;
    var fScore = finalIds.length ? Math.round(100 * fCorrect / finalIds.length) : 0;
    var fDone = finalIds.length > 0 && fAnswered === finalIds.length;
    var finalState = !a.final ? "non demandée" : !fAnswered ? "non commencée" : !fDone ? "en cours"
      : fScore >= a.pass ? "réussie" : "non réussie";
    var finalText = a.final && fDone ? fScore + "\u00a0% — " + finalState : finalState;
    var fCorrected = a.final ? correctedFinal(l) : null;
    if (fCorrected) {
      finalState = fCorrected.state;
      finalText = fCorrected.text;
      fScore = fCorrected.score;
      fDone = fCorrected.handedIn;
      last = Math.max(last, fCorrected.t);
    } else if (a.final) {
      finalIds.forEach(function (id) { var r = l.answers.get(id); if (r) last = Math.max(last, r.t); });
    }
    if (a.final && fDone) done++;
    var count = units.length + (a.final ? 1 : 0);
    var end = dueEnd(a.due);
    var complete = done === count;
    var late = complete ? last > end : Date.now() > end;
    return { learner: l, name: l.name, done: done, units: count, score: score, passed: score !== null && score >= a.pass,
             finalText: finalText, finalState: finalState,
             finalScore: a.final && fDone && fScore >= 0 ? fScore : -1,
             late: late, complete: complete };
  }

  var COLUMNS = [
    { key: "name", label: "Apprenant", value: function (r) { return r.name; } },
    { key: "done", label: "Terminé", value: function (r) { return r.done / (r.units || 1); }, text: function (r) { return r.done + " / " + r.units; } },
    { key: "score", label: "Score des leçons", value: function (r) { return r.score === null ? -1 : r.score; },
      text: function (r) { return r.score === null ? "—" : r.score + "\u00a0%" + (r.passed ? "" : " (sous le seuil)"); } },
    { key: "final", label: "Évaluation finale", value: function (r) { return r.finalScore; }, text: function (r) { return r.finalText; } },
    { key: "late", label: "En retard", value: function (r) { return r.late ? 1 : 0; }, text: function (r) { return r.late ? "oui" : "non"; } }
  ];

  function rows() {
    var a = current();
    var out = learners.map(function (l) { return rowOf(l, a); });
    var col = COLUMNS.filter(function (c) { return c.key === sortKey; })[0];
    out.sort(function (x, y) {
      var p = col.value(x), q = col.value(y);
      var c = typeof p === "string" ? p.localeCompare(q, "fr") : p - q;
      return sortDir * (c || x.name.localeCompare(y.name, "fr"));
    });
    return out;
  }

  function choiceText(q, x) { return /^\d+$/.test(x) && q.choices[Number(x)] !== undefined ? q.choices[Number(x)] : x; }

  function answerText(q, v) {
    if (q.type === "fill") return v[0] || "";
    if (q.type === "associer") return v.join(" / ");
    var text = v.map(function (x) { return choiceText(q, x); }).join(q.type === "ordonner" ? " → " : " + ");
    if (q.type !== "multiple" || !Array.isArray(q.correct)) return text;
    /* Every box ticked is right, so the answer is wrong by what it leaves out: say so, or it reads as a right option. */
    var right = q.correct.map(String);
    var allRight = v.every(function (x) { return right.indexOf(x) >= 0; });
    var missing = right.filter(function (x) { return v.indexOf(x) < 0; });
    if (!allRight || !missing.length) return text;
    return (v.length ? "incomplète\u00a0: " + text : "aucune case cochée") + " — il manque\u00a0: " +
      missing.map(function (x) { return choiceText(q, x); }).join(" + ");
  }

  function items() {
    var a = current();
    var ids = [].concat.apply([], knownLessons(a).map(lessonQuestions)).concat(a.final ? course.final.questions : []);
    return ids.map(function (id, index) {
      var q = data.questions[id];
      var n = 0, ok = 0, wrong = new Map();
      learners.forEach(function (l) {
        var r = l.answers.get(id);
        if (!r) return;
        n++;
        if (firstOk(r)) ok++;
        if (!r.ok) { var t = answerText(q, r.v); wrong.set(t, (wrong.get(t) || 0) + 1); }
      });
      var most = null;
      wrong.forEach(function (count, text) {
        if (!most || count > most.count || (count === most.count && text < most.text)) most = { text: text, count: count };
      });
      var share = n ? Math.round(100 * ok / n) : null;
      return { id: id, q: q, index: index, n: n, share: share, most: most, flagged: n > 0 && 2 * ok < n };
    }).sort(function (x, y) {
      return (y.flagged - x.flagged) || ((x.share === null ? 101 : x.share) - (y.share === null ? 101 : y.share)) || x.index - y.index;
    });
  }

  /* ---------- rendering ---------- */

  /* A table in a box that scrolls sideways when it is wider than the column (phones). While it scrolls, the box is a
   * named region the keyboard can reach and scroll (WCAG 2.1.1), marked by the theme's NS.markScrolling. */
  function scrollBox(table, label) {
    var box = el("div", "pt-table-scroll");
    box.setAttribute("data-label", label);
    box.appendChild(table);
    return box;
  }

  function renderRejected() {
    var list = document.getElementById("groupe-rejected");
    list.textContent = "";
    rejected.forEach(function (r) { list.appendChild(el("li", "", "«\u00a0" + r.file + "\u00a0» écarté\u00a0: " + r.why + ".")); });
    list.hidden = !rejected.length;
  }

  function renderAssignmentChoice() {
    var row = document.getElementById("groupe-assignment-row");
    var select = document.getElementById("groupe-assignment");
    var list = assignmentsSeen();
    var a = current();
    select.textContent = "";
    list.forEach(function (s) {
      var o = el("option", "", "Groupe «\u00a0" + s.a.group + "\u00a0», à rendre le " + NS.assignments.formatDay(s.a.due) + " (" + s.n + " relevé" + (s.n > 1 ? "s" : "") + ")");
      o.value = s.a.id;
      o.selected = s.a.id === a.id;
      select.appendChild(o);
    });
    row.hidden = !list.length;
  }

  function renderTable(keepFocus) {
    var host = document.getElementById("groupe-table-host");
    host.textContent = "";
    if (!learners.length) { host.appendChild(el("p", "", "Aucun relevé retenu pour l’instant.")); return; }
    var a = current();
    var table = el("table", "pt-group-table");
    table.id = "groupe-table";
    table.appendChild(el("caption", "", (a.id ? "Devoir du groupe «\u00a0" + a.group + "\u00a0»" : "Tout le module (aucun devoir dans les relevés)") +
      " — " + learners.length + " apprenant" + (learners.length > 1 ? "s" : "") + ". Cliquez sur un titre de colonne pour trier."));
    var head = el("tr");
    COLUMNS.forEach(function (c) {
      var th = el("th");
      th.scope = "col";
      th.setAttribute("aria-sort", c.key === sortKey ? (sortDir > 0 ? "ascending" : "descending") : "none");
      var b = el("button", "pt-sort", c.label);
      b.type = "button";
      b.setAttribute("data-sort", c.key);
      b.addEventListener("click", function () {
        if (sortKey === c.key) sortDir = -sortDir; else { sortKey = c.key; sortDir = 1; }
        renderTable(c.key);
      });
      th.appendChild(b);
      head.appendChild(th);
    });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    rows().forEach(function (r) {
      var tr = el("tr");
      COLUMNS.forEach(function (c, i) {
        var cell = el(i ? "td" : "th", "", c.text ? c.text(r) : c.value(r));
        if (!i) cell.scope = "row";
        cell.setAttribute("data-col", c.key);
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    host.appendChild(scrollBox(table, "Tableau des apprenants"));
    NS.markScrolling();
    if (keepFocus) host.querySelector("[data-sort='" + keepFocus + "']").focus();
  }

  function renderItems() {
    var host = document.getElementById("groupe-items-host");
    host.textContent = "";
    if (!learners.length) { host.appendChild(el("p", "", "Aucun relevé retenu pour l’instant.")); return; }
    var list = items();
    var flagged = list.filter(function (x) { return x.flagged; }).length;
    host.appendChild(el("p", "", flagged ? flagged + " question" + (flagged > 1 ? "s" : "") + " signalée" + (flagged > 1 ? "s" : "") +
      "\u00a0: la majorité du groupe l’a manquée au premier essai. Elles sont en tête du tableau." : "Aucune question signalée."));
    var table = el("table", "pt-group-items");
    table.id = "groupe-items";
    table.appendChild(el("caption", "", "Analyse des questions sur " + learners.length + " relevé" + (learners.length > 1 ? "s" : "")));
    var head = el("tr");
    ["Question", "Leçon", "Réponses", "Justes au premier essai", "Réponse fausse la plus donnée", "Signalée"].forEach(function (h) {
      var th = el("th", "", h); th.scope = "col"; head.appendChild(th);
    });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    list.forEach(function (x) {
      var tr = el("tr");
      tr.setAttribute("data-qid", x.id);
      if (x.flagged) tr.className = "is-flagged";
      var th = el("th");
      th.scope = "row";
      var link = el("a", "", "Q" + x.q.number + " — " + x.q.text);
      link.href = x.q.url;
      th.appendChild(link);
      tr.appendChild(th);
      var lesson = el("td");
      var ll = el("a", "", data.titles[x.q.lesson] || x.q.lesson);
      ll.href = x.q.url.split("#")[0] + "#quiz";
      lesson.appendChild(ll);
      tr.appendChild(lesson);
      tr.appendChild(el("td", "", String(x.n))).setAttribute("data-col", "n");
      tr.appendChild(el("td", "", x.share === null ? "—" : x.share + "\u00a0%")).setAttribute("data-col", "share");
      tr.appendChild(el("td", "", x.most ? x.most.text + " (" + x.most.count + ")" : "—")).setAttribute("data-col", "wrong");
      tr.appendChild(el("td", "", x.flagged ? "oui, à reprendre" : "non")).setAttribute("data-col", "flagged");
      body.appendChild(tr);
    });
    table.appendChild(body);
    host.appendChild(scrollBox(table, "Analyse des questions"));
    NS.markScrolling();
  }

  /* ---------- written answers: each learner's text, the rubric, the trainer's marks (kept in this browser) ---------- */

  var RATINGS = ["pas atteint", "en partie", "atteint"];
  var marks = new Map();  /* learner key + "\n" + qid + "\n" + criterion id → 0|1|2 */

  /* The marks are kept in this browser under one key, {version: 1, marks: {"<learner key>\n<qid>\n<criterion>": 0|1|2}, t},
   * so that a reload, a closed tab or a crash loses none. A change re-reads the key and writes it back with this page's
   * changes not yet written (`pending`: mark or null for a removed one) on top, so the later write wins per mark and
   * another tab's marks stay; the other tabs follow through `storage` events. A stored value this page cannot read is
   * reported and left as it is until the trainer gives a mark (then it is set aside under a key of its own); storage refused
   * or full is reported, and marking goes on in the page. */
  var MARKS_KEY = "partenariat:groupe-notes:v1";
  var MARKS_VERSION = 1;
  var pending = new Map();
  var storedState = "absent";  /* absent | ok | corrupt | unavailable (as last read) */
  var shownMarks = [];         /* {select, key, refresh} of the marks on the page, to follow another tab */
  var refused = false;         /* the last write was refused, and the trainer told so */

  function isMarkKey(k) { return /^[^\n]+\n[^\n]+\n[^\n]+$/.test(k); }

  /* {state, marks: Map} from storage; `why` (French) when it cannot be read. */
  function readMarks() {
    var raw;
    try { raw = window.localStorage.getItem(MARKS_KEY); } catch (e) { return { state: "unavailable", marks: new Map() }; }
    if (raw === null) return { state: "absent", marks: new Map() };
    var obj;
    try { obj = JSON.parse(raw); } catch (e) { return { state: "corrupt", marks: new Map(), why: "illisibles", raw: raw }; }
    if (!isObject(obj) || !isObject(obj.marks)) return { state: "corrupt", marks: new Map(), why: "illisibles", raw: raw };
    if (obj.version !== MARKS_VERSION) return { state: "corrupt", marks: new Map(), why: "d’une version inconnue", raw: raw };
    var out = new Map();
    var ok = Object.keys(obj.marks).every(function (k) {
      var v = obj.marks[k];
      if (!isMarkKey(k) || [0, 1, 2].indexOf(v) < 0) return false;
      out.set(k, v);
      return true;
    });
    return ok ? { state: "ok", marks: out } : { state: "corrupt", marks: new Map(), why: "illisibles", raw: raw };
  }

  function marksMessage(text) {
    var m = document.getElementById("groupe-marks-message");
    if (m) m.textContent = text;
  }

  var LOST_ON_CLOSE = "Ce navigateur refuse d’enregistrer vos notes (stockage indisponible ou plein)\u00a0: vous pouvez " +
    "noter dans cette page, mais vos notes ne seront pas gardées après sa fermeture. Exportez le tableau (CSV) pour les garder.";

  /* This page's marks: the stored ones with the changes not yet written on top. */
  function adopt(got) {
    storedState = got.state;
    marks.clear();
    got.marks.forEach(function (v, k) { marks.set(k, v); });
    pending.forEach(function (v, k) { if (v === null) marks.delete(k); else marks.set(k, v); });
  }

  function reportStored(got) {
    if (got.state === "corrupt") {
      marksMessage("Les notes des rédactions gardées dans ce navigateur sont " + got.why + "\u00a0: elles sont ignorées et " +
        "laissées telles quelles. Elles seront mises de côté dans ce navigateur dès que vous donnerez une note, ou effacées par le bouton " +
        "«\u00a0Effacer les notes des rédactions\u00a0».");
    } else if (got.state === "unavailable") {
      refused = true;
      marksMessage(LOST_ON_CLOSE);
    }
  }

  /* Write this page's changes over what is stored now; say so when the browser refuses. */
  function saveMarks() {
    var got = readMarks();
    adopt(got);
    var out = Object.create(null);
    marks.forEach(function (v, k) { out[k] = v; });
    try {
      if (got.state === "unavailable") throw new Error("storage unavailable");
      /* The unreadable value is set aside under its own key, not overwritten: nothing is lost. */
      if (got.state === "corrupt") window.localStorage.setItem(MARKS_KEY + ":illisible:" + Date.now(), got.raw);
      window.localStorage.setItem(MARKS_KEY, JSON.stringify({ version: MARKS_VERSION, marks: out, t: Date.now() }));
    } catch (e) {
      refused = true;
      marksMessage(LOST_ON_CLOSE);
      return;
    }
    pending.clear();
    storedState = "ok";
    if (got.state === "corrupt") marksMessage("Vos notes sont enregistrées dans ce navigateur\u00a0; les données illisibles sont mises de côté sous «\u00a0" +
      MARKS_KEY + ":illisible:…\u00a0».");
    else if (refused) marksMessage("Vos notes sont de nouveau enregistrées dans ce navigateur.");
    refused = false;
  }

  function setMark(key, value) {
    pending.set(key, value);
    if (value === null) marks.delete(key); else marks.set(key, value);
    saveMarks();
    refreshMarks();
  }

  /* Every mark select and total on the page from `marks` (after another tab's change), the focus kept. */
  function refreshMarks() {
    shownMarks.forEach(function (s) {
      var want = marks.has(s.key) ? String(marks.get(s.key)) : "";
      if (s.select.value !== want) s.select.value = want;
      s.refresh();
    });
    var clear = document.getElementById("groupe-marks-clear");
    if (clear) clear.disabled = !marks.size && storedState !== "corrupt";
  }

  function clearMarks() {
    if (!window.confirm("Effacer toutes les notes des rédactions gardées dans ce navigateur\u00a0? Exportez d’abord le " +
      "tableau (CSV) si vous voulez les garder.")) return;
    pending.clear();
    marks.clear();
    try {
      window.localStorage.removeItem(MARKS_KEY);
      storedState = "absent";
      marksMessage("Notes des rédactions effacées.");
    } catch (e) {
      marksMessage("Notes des rédactions effacées de cette page\u00a0; ce navigateur refuse d’y toucher là où elles sont gardées.");
    }
    refreshMarks();
  }

  function initMarks() {
    var got = readMarks();
    adopt(got);
    reportStored(got);
    var clear = document.getElementById("groupe-marks-clear");
    if (clear) clear.addEventListener("click", clearMarks);
    refreshMarks();
    window.addEventListener("storage", function (e) {
      if (e.key !== MARKS_KEY && e.key !== null) return;
      var now = readMarks();
      var was = storedState;
      adopt(now);
      if (now.state === "corrupt" || now.state === "unavailable") reportStored(now);
      else if (was === "corrupt") marksMessage("");
      refreshMarks();
    });
  }

  function writtenIds() {
    return [].concat.apply([], course.lessons.map(function (l) { return l.written || []; }))
      .filter(function (id) { return data.questions[id] && data.questions[id].rubric; });
  }

  /* The written questions shown on the page: those someone answered. */
  function shownWrittenIds() {
    return writtenIds().filter(function (id) { return learners.some(function (l) { return l.written.has(id); }); });
  }

  /* {given, n, sum, max}: how many of the n criteria one learner has marks for on one written answer, and their points. */
  function markCount(key, id) {
    var q = data.questions[id];
    var given = q.rubric.map(function (c) { return marks.get(key + "\n" + id + "\n" + c.id); })
      .filter(function (v) { return v !== undefined; });
    return { given: given.length, sum: given.reduce(function (a, b) { return a + b; }, 0), max: 2 * q.rubric.length, n: q.rubric.length };
  }

  function markTotal(l, id) {
    var m = markCount(l.key, id);
    return m.given ? m.sum + " / " + m.max +
      (m.given < m.n ? " (" + m.given + " critère" + (m.given > 1 ? "s" : "") + " sur " + m.n + ")" : "") : "—";
  }

  function renderWritten() {
    var host = document.getElementById("groupe-written-host");
    if (!host) return;
    host.textContent = "";
    shownMarks = [];
    var ids = shownWrittenIds();
    if (!ids.length) { host.appendChild(el("p", "", learners.length ? "Aucune réponse rédigée dans les relevés." : "Aucun relevé retenu pour l’instant.")); return; }
    ids.forEach(function (id) {
      var q = data.questions[id];
      var table = el("table", "pt-group-written");
      table.setAttribute("data-qid", id);
      var cap = el("caption");
      var link = el("a", "", (data.titles[q.lesson] || q.lesson) + ", Q" + q.number + " — " + q.text);
      link.href = q.url;
      cap.appendChild(link);
      table.appendChild(cap);
      var head = el("tr");
      ["Apprenant", "Réponse"].concat(q.rubric.map(function (c, i) { return "Critère " + (i + 1) + "\u00a0: " + c.text; }))
        .concat(["Points du formateur"]).forEach(function (h) { var th = el("th", "", h); th.scope = "col"; head.appendChild(th); });
      var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
      var body = el("tbody");
      learners.filter(function (l) { return l.written.has(id); }).sort(function (a, b) { return a.name.localeCompare(b.name, "fr"); })
        .forEach(function (l) {
          var r = l.written.get(id);
          var tr = el("tr");
          var th = el("th", "", l.name); th.scope = "row"; tr.appendChild(th);
          tr.appendChild(el("td", "pt-written-text", r.text || "(texte non transmis)"));
          var total = el("td", "pt-written-total");
          q.rubric.forEach(function (c, i) {
            var td = el("td");
            var self = r.selfRating[c.id];
            td.appendChild(el("p", "pt-written-self", "Auto-évaluation\u00a0: " + (self === undefined ? "non faite" : RATINGS[self])));
            var select = el("select");
            select.setAttribute("aria-label", "Note du formateur, critère " + (i + 1) + ", " + l.name);
            select.setAttribute("data-criterion", c.id);
            [["", "Note…"], ["2", RATINGS[2]], ["1", RATINGS[1]], ["0", RATINGS[0]]].forEach(function (o) {
              var option = el("option", "", o[1]); option.value = o[0]; select.appendChild(option);
            });
            var key = l.key + "\n" + id + "\n" + c.id;
            select.value = marks.has(key) ? String(marks.get(key)) : "";
            select.addEventListener("change", function () { setMark(key, select.value === "" ? null : Number(select.value)); });
            shownMarks.push({ select: select, key: key, refresh: function () { total.textContent = markTotal(l, id); } });
            td.appendChild(select);
            tr.appendChild(td);
          });
          total.textContent = markTotal(l, id);
          tr.appendChild(total);
          body.appendChild(tr);
        });
      table.appendChild(body);
      host.appendChild(scrollBox(table, "Réponses rédigées\u00a0: " + q.text));
      var model = el("details", "pt-written-model");
      model.appendChild(el("summary", "", "Réponse modèle"));
      model.appendChild(el("p", "", q.model || ""));
      host.appendChild(model);
    });
    NS.markScrolling();
    refreshMarks();
  }

  function render() {
    renderRejected();
    renderAssignmentChoice();
    renderTable();
    renderItems();
    /* The final's correction and statistics (correction.js) read the same reports. */
    if (NS.correction) NS.correction.render(learners.slice());
    renderWritten();
    document.getElementById("groupe-csv").disabled = !learners.length;
    document.getElementById("groupe-print").disabled = !learners.length;
    document.getElementById("groupe-message").textContent = learners.length + " relevé" + (learners.length > 1 ? "s" : "") +
      " retenu" + (learners.length > 1 ? "s" : "") + ", " + rejected.length + " fichier" + (rejected.length > 1 ? "s" : "") +
      " écarté" + (rejected.length > 1 ? "s" : "") + ".";
  }

  /* ---------- CSV ---------- */

  /* A text cell; one a spreadsheet would read as a formula (= + - @, tab, carriage return first) is kept as text by a
   * leading quote and quoted (OWASP « CSV injection »), as is any cell holding a separator, quote or line break. */
  function csvText(text) {
    var s = String(text);
    if (/^[=+\-@\t\r]/.test(s)) return "\"'" + s.replace(/"/g, "\"\"") + "\"";
    return /[";\n\r]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
  }

  /* A number as a French spreadsheet reads it (decimal comma); nothing when there is none. */
  function csvNumber(n) { return n === null || n === undefined || n < 0 ? "" : String(n).replace(".", ","); }

  var CSV_COLUMNS = [
    ["Apprenant", function (r) { return csvText(r.name); }],
    ["Unités terminées", function (r) { return csvNumber(r.done); }],
    ["Unités du devoir", function (r) { return csvNumber(r.units); }],
    ["Score des leçons (%)", function (r) { return csvNumber(r.score); }],
    ["Seuil atteint", function (r) { return r.score === null ? "" : r.passed ? "oui" : "non"; }],
    ["Évaluation finale (%)", function (r) { return csvNumber(r.finalScore); }],
    ["Évaluation finale", function (r) { return csvText(r.finalState); }],
    ["En retard", function (r) { return r.late ? "oui" : "non"; }]
  ];

  /* One column per written answer shown: the trainer's points, once every criterion is marked (a partial total would
   * read as a low mark in a spreadsheet). */
  function writtenColumns() {
    return shownWrittenIds().map(function (id) {
      var q = data.questions[id];
      return ["Rédaction, " + (data.titles[q.lesson] || q.lesson) + ", Q" + q.number + " (points sur " + 2 * q.rubric.length + ")",
        function (r) {
          var m = markCount(r.learner.key, id);
          return r.learner.written.has(id) && m.given === m.n ? csvNumber(m.sum) : "";
        }];
    });
  }

  /* How many written answers have some criteria marked, not all (left empty in the CSV). */
  function partlyMarked() {
    return shownWrittenIds().reduce(function (n, id) {
      return n + learners.filter(function (l) {
        var m = markCount(l.key, id);
        return l.written.has(id) && m.given > 0 && m.given < m.n;
      }).length;
    }, 0);
  }

  function csv() {
    var columns = CSV_COLUMNS.concat(writtenColumns());
    var lines = [columns.map(function (c) { return csvText(c[0]); }).join(";")];
    rows().forEach(function (r) { lines.push(columns.map(function (c) { return c[1](r); }).join(";")); });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }

  NS.groupe = { add: function (name, text) { add(name, text); render(); }, csv: csv, csvText: csvText, rows: rows, items: items,
                marks: marks,

                /* Many reports at once ([name, text] pairs, e.g. rebuilt from an LRS by lrs-groupe.js), one rendering. */
                addAll: function (list) { list.forEach(function (f) { add(f[0], f[1]); }); render(); } };

  /* ---------- files ---------- */

  function readFiles(files) {
    var list = Array.prototype.slice.call(files || []);
    var left = list.length;
    if (!left) return;
    list.forEach(function (f) {
      var finish = function () { left--; if (!left) render(); };
      if (f.size > MAX_BYTES) { rejected.push({ file: f.name, why: "fichier trop volumineux pour être un relevé" }); finish(); return; }
      var reader = new FileReader();
      reader.onload = function () { add(f.name, String(reader.result)); finish(); };
      reader.onerror = function () { rejected.push({ file: f.name, why: "fichier impossible à lire" }); finish(); };
      reader.readAsText(f);
    });
  }

  function init() {
    var root = document.getElementById("groupe");
    if (!root) return;
    var source = document.getElementById("groupe-questions");
    data = JSON.parse(source.textContent);
    course = window.PARTENARIAT_COURSE;
    var input = document.getElementById("groupe-files");
    input.addEventListener("change", function () { readFiles(input.files); input.value = ""; });
    var drop = document.getElementById("groupe-drop");
    drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("is-over"); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("is-over"); });
    drop.addEventListener("drop", function (e) { e.preventDefault(); drop.classList.remove("is-over"); readFiles(e.dataTransfer.files); });
    document.getElementById("groupe-assignment").addEventListener("change", function (e) { chosen = e.target.value; renderTable(); renderItems(); });
    document.getElementById("groupe-csv").addEventListener("click", function () {
      var a = current();
      var name = "partenariat-suivi-" + (a.group ? a.group.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-") + "-" : "") +
        new Date().toISOString().slice(0, 10) + ".csv";
      NS.download(name, csv(), "text/csv;charset=utf-8");
      var partly = partlyMarked();
      document.getElementById("groupe-message").textContent = "Tableau exporté dans le fichier «\u00a0" + name + "\u00a0»." +
        (partly > 1 ? " " + partly + " rédactions notées en partie y restent vides\u00a0: notez tous leurs critères."
          : partly ? " Une rédaction notée en partie y reste vide\u00a0: notez tous ses critères." : "");
    });
    document.getElementById("groupe-print").addEventListener("click", function () { NS.printSheet(document.getElementById("groupe-items-sheet")); });
    initMarks();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
