/* Partenariat: « Suivi du groupe » from a Learning Record Store (issue 31). Loaded by that page only, after groupe.js.
 * The trainer pastes the assignment's link and types a read credential (kept in this page only, never stored nor put
 * in a link); the page reads the assignment's statements (GET statements?registration=…, pages followed by `more`),
 * rebuilds one report per learner (the same format as the hand-in files: last answer, first-attempt result, dates)
 * and gives them to groupe.js, so the tables and statistics are the files' own; plus a day-by-day timeline. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var MAX_PAGES = 2000;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  /* Every statement of a registration, page after page; rejects with a French message. */
  function readAll(url, auth, registration, onPage) {
    var base = url.replace(/\/?$/, "/");
    var next = base + "statements?registration=" + encodeURIComponent(registration) + "&limit=100";
    var out = [];
    var pages = 0;
    var step = function () {
      return window.fetch(next, { cache: "no-store", credentials: "omit",
                                  headers: { "Authorization": "Basic " + auth, "X-Experience-API-Version": "1.0.3" } })
        .then(function (res) {
          if (res.status === 401 || res.status === 403) throw new Error("le LRS refuse cet identifiant de lecture (erreur " + res.status + ")");
          if (!res.ok) throw new Error("le LRS a répondu par une erreur " + res.status);
          return res.json();
        }, function () { throw new Error("le LRS est injoignable à cette adresse (ou il n’autorise pas cette page\u00a0: voir «\u00a0Origines autorisées\u00a0» dans la page LRS)"); })
        .then(function (body) {
          var list = isObject(body) && Array.isArray(body.statements) ? body.statements : null;
          if (!list) throw new Error("la réponse du LRS n’est pas une liste de déclarations xAPI");
          out = out.concat(list);
          pages++;
          if (onPage) onPage(out.length);
          if (typeof body.more === "string" && body.more && list.length && pages < MAX_PAGES) {
            next = new URL(body.more, base).href;
            return step();
          }
          return out;
        });
    };
    return step();
  }

  function qidOf(id, prefix) { return id.indexOf(prefix) === 0 ? id.slice(prefix.length) : null; }

  function byTime(a, b) { return a.t - b.t; }

  /* The sealed final's attempts of one learner as final.js keeps them (`final` bucket: attempt id → {n, form,
   * questions, started, answers: {qid: {response, confidence, t}}, handedIn, result}), from its `answered`
   * statements: the latest answer per question; handed in once a form's worth of questions is answered; the
   * questions in the form's order (`rang`), else in the order first answered (statements of older pages). */
  function finalAttempts(attempts, x) {
    var fin = window.PARTENARIAT_COURSE.final || {};
    var size = fin.formSize || (fin.questions || []).length;
    var out = {};
    attempts.forEach(function (at, id) {
      var answers = {}, firstSeen = {}, rank = {}, last = 0, started = Infinity;
      at.answers.forEach(function (list, qid) {
        list.sort(byTime);
        var s = list[list.length - 1].s, ext = s.result.extensions || {};
        var v = Array.isArray(ext[x.extension + "reponse"]) ? ext[x.extension + "reponse"]
          : typeof s.result.response === "string" ? s.result.response.split("[,]") : [];
        var c = ext[x.extension + "confiance"];
        answers[qid] = { response: v.map(String), t: list[list.length - 1].t };
        if (c === "sur" || c === "pas-sur") answers[qid].confidence = c;
        var r = (s.context.extensions || {})[x.extension + "rang"];
        if (Number.isInteger(r) && r >= 1) rank[qid] = r;
        firstSeen[qid] = list[0].t;
        last = Math.max(last, list[list.length - 1].t);
        started = Math.min(started, list[0].t);
      });
      var ids = Object.keys(answers);
      var ranked = ids.every(function (q) { return rank[q] !== undefined; });
      ids.sort(function (a, b) { return ranked ? rank[a] - rank[b] : firstSeen[a] - firstSeen[b]; });
      out[id] = { n: at.n, form: at.form, questions: ids, started: new Date(started).toISOString(), answers: answers,
                  handedIn: size && ids.length >= size ? new Date(last).toISOString() : null, result: null };
    });
    return out;
  }

  /* One hand-in report (as « Mon parcours » exports it) per learner, from the statements of one assignment.
   * A sealed final's answers (they name their attempt) go to the `final` bucket, never to the lessons' answers, and
   * the learner id they carry to the profile, as final.js keeps them: correction.js scores and codes them so. */
  function reports(statements, assignment) {
    var course = window.PARTENARIAT_COURSE;
    var x = NS.xapi || { courseIri: "https://partenariat.invalid/cours", extension: "https://partenariat.invalid/xapi/extensions/" };
    var qPrefix = x.courseIri + "/question/";
    var people = new Map();
    statements.forEach(function (s) {
      var who = s && s.actor && s.actor.account && s.actor.account.name;
      if (typeof who !== "string" || !s.verb || !s.object || typeof s.object.id !== "string") return;
      var p = people.get(who) || { name: "", last: 0, answers: new Map(), finals: new Map(), learner: null };
      var t = Date.parse(s.timestamp || "") || 0;
      if (typeof s.actor.name === "string" && s.actor.name.trim() && t >= p.last) p.name = s.actor.name.trim();
      p.last = Math.max(p.last, t);
      var qid = qidOf(s.object.id, qPrefix);
      var ctx = isObject(s.context) && isObject(s.context.extensions) ? s.context.extensions : {};
      var attempt = ctx[x.extension + "tentative"];
      if (qid && /\/answered$/.test(s.verb.id) && isObject(s.result) && typeof attempt === "string" && attempt) {
        var at = p.finals.get(attempt) || { n: 0, form: "", t: -1, answers: new Map() };
        var n = ctx[x.extension + "tentative-numero"], form = ctx[x.extension + "sujet"];
        if (Number.isInteger(n) && t >= at.t) { at.n = n; at.form = typeof form === "string" ? form : ""; at.t = t; }
        var got = at.answers.get(qid) || [];
        got.push({ s: s, t: t });
        at.answers.set(qid, got);
        p.finals.set(attempt, at);
        var learner = ctx[x.extension + "apprenant"];
        if (typeof learner === "string" && learner && learner.length <= 200 && (!p.learner || t >= p.learner.t)) p.learner = { value: learner, t: t };
      } else if (qid && /\/answered$/.test(s.verb.id) && s.result) {
        var list = p.answers.get(qid) || [];
        list.push({ s: s, t: t });
        p.answers.set(qid, list);
      }
      people.set(who, p);
    });
    var out = [];
    people.forEach(function (p, who) {
      var answers = {};
      p.answers.forEach(function (list, qid) {
        list.sort(function (a, b) { return a.t - b.t; });
        var first = list[0].s.result, last = list[list.length - 1].s.result;
        var ext = last.extensions || {};
        var firstExt = (first.extensions || {})[x.extension + "premier-essai"];
        var v = Array.isArray(ext[x.extension + "reponse"]) ? ext[x.extension + "reponse"]
          : typeof last.response === "string" ? last.response.split("[,]") : [];
        var score = last.score && typeof last.score.scaled === "number" ? last.score.scaled : last.success ? 1 : 0;
        answers[qid] = { v: v.map(String), ok: !!last.success, score: score,
                         first: typeof firstExt === "boolean" ? firstExt : !!first.success, t: list[list.length - 1].t };
        if (list.length > 1) answers[qid].n = list.length;
      });
      var when = p.last || Date.now();
      var a = JSON.parse(JSON.stringify(assignment));
      a.t = when;
      var buckets = { answers: answers, assignments: {} };
      buckets.assignments[a.id] = a;
      buckets.profile = { name: { value: p.name || "Pseudonyme " + who.slice(0, 8), t: when } };
      if (p.learner) buckets.profile.learner = { value: p.learner.value, t: when };
      if (p.finals.size) buckets.final = finalAttempts(p.finals, x);
      out.push(["LRS · " + who, JSON.stringify({ schema: "partenariat-progress", version: 2, course: course.course,
        exported: new Date(when).toISOString(), reset: 0, buckets: buckets })]);
    });
    return out;
  }

  /* Activity day by day (local days): answers, active learners, lessons completed. */
  function timeline(statements) {
    var days = new Map();
    statements.forEach(function (s) {
      var t = Date.parse(s.timestamp || "");
      if (!t || !s.verb || !s.actor || !s.actor.account) return;
      var d = new Date(t);
      var key = d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
      var row = days.get(key) || { answers: 0, people: new Set(), completed: 0 };
      if (/\/answered$/.test(s.verb.id)) row.answers++;
      if (/\/completed$/.test(s.verb.id)) row.completed++;
      row.people.add(s.actor.account.name);
      days.set(key, row);
    });
    return Array.from(days.keys()).sort().map(function (k) {
      var r = days.get(k);
      return { day: k, answers: r.answers, people: r.people.size, completed: r.completed };
    });
  }

  function renderTimeline(rows) {
    var host = document.getElementById("groupe-lrs-timeline");
    host.textContent = "";
    host.hidden = !rows.length;
    if (!rows.length) return;
    var h = el("h3", "", "Activité jour par jour");
    h.id = "groupe-lrs-timeline-title";
    host.appendChild(h);
    var table = el("table", "pt-group-timeline");
    table.id = "groupe-timeline";
    table.appendChild(el("caption", "", "Déclarations reçues par le LRS pour ce devoir, par jour"));
    var head = el("tr");
    ["Jour", "Réponses", "Apprenants actifs", "Leçons terminées"].forEach(function (t) { var th = el("th", "", t); th.scope = "col"; head.appendChild(th); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (r) {
      var tr = el("tr");
      var th = el("th", "", NS.assignments ? NS.assignments.formatDay(r.day) : r.day);
      th.scope = "row";
      tr.appendChild(th);
      [r.answers, r.people, r.completed].forEach(function (n) { tr.appendChild(el("td", "", String(n))); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    var box = el("div", "pt-table-scroll");
    box.setAttribute("data-label", "Activité jour par jour");
    box.appendChild(table);
    host.appendChild(box);
    if (NS.markScrolling) NS.markScrolling();
  }

  function basicAuth(user, key) {
    var bytes = new TextEncoder().encode(user + ":" + key);
    var bin = "";
    bytes.forEach(function (b) { bin += String.fromCharCode(b); });
    return btoa(bin);
  }

  function init() {
    var form = document.getElementById("groupe-lrs");
    if (!form || !NS.assignments || !NS.groupe) return;
    var link = document.getElementById("groupe-lrs-link");
    var url = document.getElementById("groupe-lrs-url");
    var user = document.getElementById("groupe-lrs-user");
    var key = document.getElementById("groupe-lrs-key");
    var msg = document.getElementById("groupe-lrs-message");
    var say = function (text, bad, field) {
      msg.textContent = text;
      msg.classList.toggle("is-error", !!bad);
      if (field) field.focus();
    };
    link.addEventListener("change", function () {
      var got = NS.assignments.decode(link.value);
      if (got.assignment && got.assignment.lrs && !url.value) url.value = got.assignment.lrs.url;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var got = NS.assignments.decode(link.value);
      if (got.error) return say("Lien du devoir illisible\u00a0: " + got.error + ".", true, link);
      var a = got.assignment;
      if (!/^[0-9a-f]{32}$/.test(a.id)) return say("Ce devoir n’envoie pas ses résultats à un LRS\u00a0: ouvrez les fichiers des apprenants.", true, link);
      var address = (url.value.trim() || (a.lrs ? a.lrs.url : "")).replace(/\/?$/, "/");
      if (!/^https?:\/\/\S+$/.test(address)) return say("Indiquez l’adresse xAPI du LRS (https://…).", true, url);
      if (!user.value || !key.value) return say("Indiquez l’identifiant de lecture et son mot de passe.", true, user.value ? key : user);
      var registration = NS.xapi ? NS.xapi.registrationOf(a.id) : a.id;
      var began = performance.now();
      say("Lecture du LRS…", false);
      readAll(address, basicAuth(user.value, key.value), registration, function (n) { say("Lecture du LRS… " + n + " déclarations reçues.", false); })
        .then(function (statements) {
          var list = reports(statements, a);
          NS.groupe.addAll(list);
          renderTimeline(timeline(statements));
          var ms = Math.round(performance.now() - began);
          form.setAttribute("data-loaded-ms", String(ms));
          form.setAttribute("data-statements", String(statements.length));
          say(statements.length + " déclarations lues pour le groupe «\u00a0" + a.group + "\u00a0»\u00a0: " + list.length + " apprenant" +
            (list.length > 1 ? "s" : "") + ".", false);
        }, function (e) { say("Lecture impossible\u00a0: " + e.message + ".", true); });
    });
  }

  NS.lrsGroupe = { reports: reports, timeline: timeline };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
