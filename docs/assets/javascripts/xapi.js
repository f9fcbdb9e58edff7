/* Partenariat: results to a Learning Record Store (xAPI 1.0.3), only for an assignment that asks for it (issue 31).
 * - An assignment may carry `lrs: {url, auth}` (the LRS's xAPI address, a write-only Basic credential). Nothing is
 *   sent for any other: before anything is sent, the learner reads what is sent and to whom, and accepts or refuses
 *   (`consent` bucket, id = assignment id → {value: "oui" | "non", name: send the typed name too}); the choice is
 *   shown and changed in « Mon parcours ». The actor is an account on the course's home page named by a random
 *   pseudonym kept in the `profile` bucket ("pseudo"), plus the name the learner typed if they chose to give it.
 * - Statements (catalogue in docs/formateurs/lrs.md): `answered` per question, `completed` per lesson, `passed` or
 *   `failed` for the final, `progressed` per lesson checklist; the assignment's id (a UUID) is the registration.
 *   The sealed final (final.js, `final` bucket) sends `answered` without success or score: the browser has no key.
 *   Only the tab where the learner acted makes them (store events of source "local"), each with a random UUID.
 * - The outbox is the store's `outbox` bucket (statement id → {s, a, url, auth, rejected?}): kept across reloads and
 *   tabs; one tab sends at a time (Web Locks), in batches; an item is removed only once the LRS accepted it (a
 *   re-sent id is not stored twice: the LRS keeps one record per id); network, 401/403, 5xx: retried with backoff;
 *   a statement the LRS rejects as invalid (400, 409, 422) stays, marked, and is no longer sent.
 * Shared: window.Partenariat.xapi. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  if (!store) return;
  var course = window.PARTENARIAT_COURSE || { course: "partenariat", lessons: [], final: { questions: [] } };
  /* The course's identity in every statement, whatever address the site is served from (a reserved name: it never
   * resolves, and no other course uses it). */
  var HOME = "https://partenariat.invalid/";
  var COURSE_IRI = HOME + "cours";
  var EXT = HOME + "xapi/extensions/";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var PROGRESS_EXT = "https://w3id.org/xapi/cmi5/result/extensions/progress";
  var VERBS = { answered: "a répondu", completed: "a terminé", passed: "a réussi", failed: "a échoué", progressed: "a progressé" };
  var BATCH = 50, FIRST_WAIT = 2000, MAX_WAIT = 60000;
  var LOCK = store.key + ":xapi-envoi";
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function plural(n, one, many) { return n + "\u00a0" + (n > 1 ? many : one); }

  /* ---------- buckets ---------- */

  store.defineBucket("outbox", {
    valid: function (o) {
      return isObject(o) && isObject(o.s) && typeof o.s.id === "string" && typeof o.a === "string" &&
        typeof o.url === "string" && /^https?:\/\//.test(o.url) && typeof o.auth === "string" &&
        (o.rejected === undefined || typeof o.rejected === "string") && JSON.stringify(o).length <= 20000;
    },
    known: function (id) { return UUID.test(id); },
    keep: function () { return true; }  /* a reset erases progress, never results the LRS has not received yet */
  });

  store.defineBucket("consent", {
    valid: function (c) { return isObject(c) && (c.value === "oui" || c.value === "non") && typeof c.name === "boolean"; },
    known: function (id) { return /^[a-z0-9]{6,32}$/.test(id); },
    keep: function () { return true; }
  });

  /* The profile keeps the typed name (attestation, report), the final's learner id (final.js) and the pseudonym sent
   * to an LRS, which a reset keeps so that the LRS still sees one learner. */
  store.defineBucket("profile", {
    valid: function (p) { return isObject(p) && typeof p.value === "string" && p.value.length <= 200; },
    known: function (id) { return id === "name" || id === "pseudo" || id === "learner"; },
    /* as store.js: the learner id final.js makes is made once, the first one made wins */
    locked: function (id, old) { return id === "learner" && !!old && !old.deleted; },
    keep: function (id) { return id === "pseudo"; }
  });

  /* ---------- identities ---------- */

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return registrationOf(h);
  }

  /* An assignment made for an LRS has a UUID (32 hex digits, no dashes) as its id: it is the registration. */
  function registrationOf(id) {
    return id.slice(0, 8) + "-" + id.slice(8, 12) + "-" + id.slice(12, 16) + "-" + id.slice(16, 20) + "-" + id.slice(20, 32);
  }

  function pseudonym(create) {
    var p = store.get("profile", "pseudo");
    if (p && UUID.test(p.value)) return p.value;
    if (!create) return "";
    var value = uuid();
    store.put("profile", "pseudo", { value: value });
    return value;
  }

  /* ---------- assignments that ask for statements ---------- */

  function lrsAssignments() {
    return store.all("assignments").map(function (p) { return p[1]; }).filter(function (a) {
      return isObject(a) && isObject(a.lrs) && typeof a.lrs.url === "string" && typeof a.lrs.auth === "string" &&
        /^[0-9a-f]{32}$/.test(a.id) && (!NS.assignments || !NS.assignments.problem(a, true));
    });
  }

  function consentOf(a) { return store.get("consent", a.id); }
  function accepted() { return lrsAssignments().filter(function (a) { var c = consentOf(a); return c && c.value === "oui"; }); }

  function lessonOfQuestion(qid) {
    for (var i = 0; i < course.lessons.length; i++) {
      var l = course.lessons[i];  /* its scored questions, or its written answers (`written`, never scored) */
      if (l.questions.indexOf(qid) >= 0 || (l.written || []).indexOf(qid) >= 0) return l;
    }
    return null;
  }
  function isFinal(qid) { return course.final.questions.indexOf(qid) >= 0; }
  function lessonBySlug(slug) { return course.lessons.filter(function (l) { return l.slug === slug; })[0]; }
  function covers(a, qid) {
    if (isFinal(qid)) return !!a.final;
    var l = lessonOfQuestion(qid);
    return !!l && a.lessons.indexOf(l.slug) >= 0;
  }

  /* ---------- statements ---------- */

  function iso(t) { return new Date(t).toISOString(); }
  function activity(path, type, name) {
    return { objectType: "Activity", id: COURSE_IRI + (path ? "/" + path : ""),
             definition: { type: type, name: { "fr-FR": name } } };
  }
  function courseActivity() { return activity("", "http://adlnet.gov/expapi/activities/course", "Partenariat"); }
  function lessonActivity(l) { return activity("lecon/" + l.slug, "http://adlnet.gov/expapi/activities/lesson", l.title); }
  function finalActivity() { return activity("evaluation-finale", "http://adlnet.gov/expapi/activities/assessment", "Évaluation finale"); }

  function statement(a, verb, object, t, parent) {
    var c = consentOf(a);
    var actor = { objectType: "Agent", account: { homePage: HOME, name: pseudonym(false) } };
    var typed = store.get("profile", "name");
    if (c && c.name && typed && typed.value.trim()) actor.name = typed.value.trim();
    var s = {
      id: uuid(),
      timestamp: iso(t),
      actor: actor,
      verb: { id: ADL + verb, display: { "fr-FR": VERBS[verb] } },
      object: object,
      context: { registration: registrationOf(a.id), platform: "Partenariat", language: "fr-FR",
                 contextActivities: { grouping: [courseActivity()] } }
    };
    if (parent) s.context.contextActivities.parent = [parent];
    return s;
  }

  var INTERACTIONS = { single: "choice", multiple: "choice", truefalse: "choice", vraifaux: "choice", fill: "fill-in",
                       associer: "matching", ordonner: "sequencing" };

  function questionActivity(qid) {
    var where = document.querySelector("[data-qid='" + qid.replace(/'/g, "") + "'][data-type]");
    var heading = where && where.querySelector("h3");
    var object = activity("question/" + qid, "http://adlnet.gov/expapi/activities/cmi.interaction",
      heading ? heading.textContent.trim().slice(0, 200) : "Question " + qid);
    var kind = where && INTERACTIONS[where.getAttribute("data-type")];
    if (kind) object.definition.interactionType = kind;
    return object;
  }

  function answeredStatement(a, qid, item, duration) {
    var object = questionActivity(qid);
    var lesson = lessonOfQuestion(qid);
    var s = statement(a, "answered", object, item.t, lesson ? lessonActivity(lesson) : finalActivity());
    var ext = {};
    if (typeof item.text === "string") {  /* a written answer (redaction.js): never right or wrong, no score */
      ext[EXT + "auto-evaluation"] = item.selfRating || {};
      s.result = { response: item.text, extensions: ext };
      if (duration > 0) s.result.duration = "PT" + (duration / 1000).toFixed(2) + "S";
      return s;
    }
    ext[EXT + "reponse"] = item.v;
    ext[EXT + "premier-essai"] = item.first !== undefined ? item.first : item.ok;
    if (typeof item.confidence === "number") ext[EXT + "confiance"] = item.confidence;
    s.result = { success: item.ok, score: { scaled: item.score, raw: item.score, min: 0, max: 1 },
                 response: item.v.join("[,]"), extensions: ext };
    if (duration > 0) s.result.duration = "PT" + (duration / 1000).toFixed(2) + "S";
    return s;
  }

  /* An answer to the sealed final (final.js, `final` bucket): the browser has no key, so no success and no score;
   * the response, the confidence, which attempt and form it belongs to, its place in that form (the correction code
   * lists the items in the form's order) and the learner id final.js made (the code is bound to it). */
  function sealedAnsweredStatement(a, f, duration) {
    var s = statement(a, "answered", questionActivity(f.qid), f.answer.t, finalActivity());
    var ext = {};
    ext[EXT + "reponse"] = f.answer.response;
    ext[EXT + "confiance"] = f.answer.confidence;
    s.result = { response: f.answer.response.join("[,]"), extensions: ext };
    if (duration > 0) s.result.duration = "PT" + (duration / 1000).toFixed(2) + "S";
    s.context.extensions = {};
    s.context.extensions[EXT + "tentative"] = f.attempt;
    s.context.extensions[EXT + "tentative-numero"] = f.n;
    s.context.extensions[EXT + "sujet"] = f.form;
    if (f.place >= 0) s.context.extensions[EXT + "rang"] = f.place + 1;
    var learner = store.get("profile", "learner");
    if (learner && typeof learner.value === "string" && learner.value) s.context.extensions[EXT + "apprenant"] = learner.value;
    return s;
  }

  function firstOk(r) { return r.first !== undefined ? r.first : r.ok; }

  /* A unit's state from the answers: all answered, when (latest), and the share right at first attempt. */
  function unitState(ids, answers) {
    var n = 0, ok = 0, last = 0;
    ids.forEach(function (id) { var r = answers.get(id); if (r) { n++; if (firstOk(r)) ok++; last = Math.max(last, r.t); } });
    return { done: ids.length > 0 && n === ids.length, scaled: ids.length ? ok / ids.length : 0, t: last };
  }

  function completedStatement(a, lesson, st) {
    var s = statement(a, "completed", lessonActivity(lesson), st.t, null);
    s.result = { completion: true, score: { scaled: Math.round(st.scaled * 1000) / 1000 } };
    return s;
  }

  function finalStatement(a, st) {
    var ok = Math.round(100 * st.scaled) >= a.pass;
    var s = statement(a, ok ? "passed" : "failed", finalActivity(), st.t, null);
    s.result = { success: ok, completion: true, score: { scaled: Math.round(st.scaled * 1000) / 1000 } };
    return s;
  }

  function progressedStatement(a, lesson, ticked, t) {
    var object = activity("lecon/" + lesson.slug + "/capacites", "http://adlnet.gov/expapi/activities/objective",
      "Je suis capable de… (" + lesson.title + ")");
    var s = statement(a, "progressed", object, t, lessonActivity(lesson));
    var total = lesson.checks.length;
    s.result = { score: { scaled: total ? Math.round(1000 * ticked / total) / 1000 : 0 }, extensions: {} };
    s.result.extensions[PROGRESS_EXT] = total ? Math.round(100 * ticked / total) : 0;
    return s;
  }

  /* ---------- queueing ---------- */

  function queue(a, s) {
    store.put("outbox", s.id, { s: s, a: a.id, url: a.lrs.url, auth: a.lrs.auth });
  }

  function answersMap() {
    var m = new Map();
    store.all("answers").forEach(function (p) { m.set(p[0], p[1]); });
    return m;
  }
  function checksMap() {
    var m = new Map();
    store.all("checks").forEach(function (p) { m.set(p[0], p[1]); });
    return m;
  }
  function ticked(lesson, checks) {
    return (lesson.checks || []).filter(function (id) { var c = checks.get(id); return c && c.on; }).length;
  }

  /* The sealed final's answers: "attempt id\nquestion id" → {attempt, n, form, qid, place, answer}. */
  function finalMap() {
    var m = new Map();
    store.all("final").forEach(function (p) {
      var at = p[1];
      if (!isObject(at) || !isObject(at.answers) || !UUID.test(p[0])) return;
      Object.keys(at.answers).forEach(function (qid) {
        var x = at.answers[qid];
        if (isObject(x) && Array.isArray(x.response) && typeof x.t === "number") {
          m.set(p[0] + "\n" + qid, { attempt: p[0], n: at.n, form: at.form, qid: qid,
                                     place: Array.isArray(at.questions) ? at.questions.indexOf(qid) : -1, answer: x });
        }
      });
    });
    return m;
  }

  function onFinalChange(before, after) {
    var list = accepted().filter(function (a) { return !!a.final; });
    after.forEach(function (f, key) {
      var old = before.get(key);
      if (old && old.answer.t === f.answer.t) return;
      var begun = started.get(f.qid);
      started.delete(f.qid);
      list.forEach(function (a) { queue(a, sealedAnsweredStatement(a, f, begun ? f.answer.t - begun : 0)); });
    });
  }

  var seenFinal = finalMap();
  var seenAnswers = answersMap();
  var seenChecks = checksMap();
  var started = new Map();  /* question id → when the learner first touched it since its last answer (duration) */

  /* Statements for what changed locally between two snapshots, for every accepted assignment it belongs to. */
  function onLocalChange(beforeA, afterA, beforeC, afterC) {
    var list = accepted();
    if (!list.length) return;
    var changed = [];
    afterA.forEach(function (item, id) { var old = beforeA.get(id); if (!old || old.t !== item.t) changed.push(id); });
    var lessons = new Set();
    changed.forEach(function (qid) {
      var item = afterA.get(qid);
      var begun = started.get(qid);
      started.delete(qid);
      var lesson = lessonOfQuestion(qid);
      if (lesson) lessons.add(lesson.slug);
      list.forEach(function (a) { if (covers(a, qid)) queue(a, answeredStatement(a, qid, item, begun ? item.t - begun : 0)); });
    });
    lessons.forEach(function (slug) {
      var l = lessonBySlug(slug);
      var was = unitState(l.questions, beforeA), now = unitState(l.questions, afterA);
      if (now.done && !was.done) list.forEach(function (a) { if (a.lessons.indexOf(slug) >= 0) queue(a, completedStatement(a, l, now)); });
    });
    if (changed.some(isFinal)) {
      var fWas = unitState(course.final.questions, beforeA), fNow = unitState(course.final.questions, afterA);
      if (fNow.done && !fWas.done) list.forEach(function (a) { if (a.final) queue(a, finalStatement(a, fNow)); });
    }
    course.lessons.forEach(function (l) {
      var n = ticked(l, afterC);
      if (n === ticked(l, beforeC)) return;
      var t = 0;
      (l.checks || []).forEach(function (id) { var c = afterC.get(id) || beforeC.get(id); if (c) t = Math.max(t, c.t || 0); });
      list.forEach(function (a) { if (a.lessons.indexOf(l.slug) >= 0) queue(a, progressedStatement(a, l, n, t || Date.now())); });
    });
  }

  /* On acceptance: what was already done for this assignment (answers as they stand, finished units, ticks). */
  function backfill(a) {
    var answers = answersMap(), checks = checksMap();
    answers.forEach(function (item, qid) { if (covers(a, qid)) queue(a, answeredStatement(a, qid, item, 0)); });
    a.lessons.forEach(function (slug) {
      var l = lessonBySlug(slug);
      if (!l) return;
      var st = unitState(l.questions, answers);
      if (st.done) queue(a, completedStatement(a, l, st));
      var n = ticked(l, checks);
      if (n) queue(a, progressedStatement(a, l, n, Date.now()));
    });
    if (a.final) {
      var f = unitState(course.final.questions, answers);
      if (f.done) queue(a, finalStatement(a, f));
      finalMap().forEach(function (x) { queue(a, sealedAnsweredStatement(a, x, 0)); });
    }
  }

  function decide(a, yes, withName) {
    if (yes) pseudonym(true);
    var r = store.put("consent", a.id, { value: yes ? "oui" : "non", name: !!(yes && withName) });
    if (yes) backfill(a);
    /* A refusal also drops what this assignment had not sent yet. */
    else store.all("outbox").forEach(function (p) { if (p[1].a === a.id) store.remove("outbox", p[0]); });
    pump(true);
    return r;
  }

  /* ---------- sending ---------- */

  var failures = 0, nextTry = 0, timer = null, sending = false, problem = "";

  function pending() { return store.all("outbox").filter(function (p) { return !p[1].rejected; }); }
  function rejectedItems() { return store.all("outbox").filter(function (p) { return !!p[1].rejected; }); }

  function endpoint(url) { return url.replace(/\/?$/, "/") + "statements"; }

  /* {ok} | {invalid, message} | {retry, message} (French) */
  function post(url, auth, statements) {
    var init = { method: "POST", cache: "no-store", credentials: "omit", body: JSON.stringify(statements),
                 headers: { "Authorization": "Basic " + auth, "Content-Type": "application/json",
                            "X-Experience-API-Version": "1.0.3" } };
    return window.fetch(endpoint(url), init).then(function (res) {
      if (res.ok) return { ok: true };
      var s = res.status;
      if (s === 401 || s === 403) return { retry: true, message: "le service refuse l’identifiant du devoir (erreur " + s + ")\u00a0: signalez-le à votre formateur" };
      if (s === 400 || s === 409 || s === 413 || s === 422) return { invalid: true, message: "refusé par le service (erreur " + s + ")" };
      return { retry: true, message: "le service ne répond pas correctement (erreur " + s + ")" };
    }, function () {
      return { retry: true, message: "le service est injoignable (hors ligne, réseau coupé ou service arrêté)" };
    });
  }

  function wait() {
    var ms = Math.min(MAX_WAIT, FIRST_WAIT * Math.pow(2, Math.max(0, failures - 1)));
    return Math.round(ms * (0.8 + 0.4 * Math.random()));
  }

  function arm(ms) {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; pump(false); }, Math.max(0, ms));
  }

  function removeAll(batch) {
    batch.forEach(function (p) { store.remove("outbox", p[0]); });
    return store.settled();
  }

  /* One statement at a time, so that one the LRS rejects does not hold back the others. */
  function sendSingly(batch) {
    var chain = Promise.resolve(true);
    batch.forEach(function (p) {
      chain = chain.then(function (go) {
        if (!go) return false;
        return post(p[1].url, p[1].auth, [p[1].s]).then(function (r) {
          if (r.ok) return removeAll([p]).then(function () { return true; });
          if (r.invalid) {
            var kept = JSON.parse(JSON.stringify(p[1]));
            kept.rejected = r.message;
            delete kept.t;
            store.put("outbox", p[0], kept);
            return store.settled().then(function () { return true; });
          }
          failed(r.message);
          return false;
        });
      });
    });
    return chain;
  }

  function failed(message) {
    failures++;
    problem = message;
    nextTry = Date.now() + wait();
    arm(nextTry - Date.now());
    render();
  }

  /* Sends batch after batch, oldest first, until the outbox is empty or the LRS fails. */
  function sendAll() {
    var list = pending();
    if (!list.length) { render(); return Promise.resolve(); }
    var head = list[0][1];
    var batch = list.filter(function (p) { return p[1].url === head.url && p[1].auth === head.auth; })
      .sort(function (x, y) { return x[1].s.timestamp < y[1].s.timestamp ? -1 : x[1].s.timestamp > y[1].s.timestamp ? 1 : x[0] < y[0] ? -1 : 1; })
      .slice(0, BATCH);
    return post(head.url, head.auth, batch.map(function (p) { return p[1].s; })).then(function (r) {
      if (r.ok) {
        failures = 0; nextTry = 0; problem = "";
        return removeAll(batch).then(sendAll);
      }
      if (r.invalid) return sendSingly(batch).then(function (go) { return go ? sendAll() : null; });
      failed(r.message);
      return null;
    });
  }

  /* Starts a sending round unless one runs (here or, through the lock, in another tab) or the backoff holds it. */
  function pump(force) {
    if (sending || !pending().length || typeof window.fetch !== "function") return;
    if (!force && Date.now() < nextTry) { if (!timer) arm(nextTry - Date.now()); return; }
    sending = true;
    var done = function () { sending = false; render(); };
    var locks = navigator.locks;
    if (locks && typeof locks.request === "function") {
      locks.request(LOCK, { ifAvailable: true }, function (lock) {
        if (!lock) { arm(FIRST_WAIT); return null; }  /* another tab is sending */
        return store.settled().then(sendAll);
      }).then(done, done);
    } else {
      store.settled().then(sendAll).then(done, done);
    }
  }

  /* ---------- what the learner sees ---------- */

  function host(url) {
    try { return new URL(url).host; } catch (e) { return url; }
  }

  function whatIsSent(a) {
    var box = el("div", "pt-xapi-what");
    box.appendChild(el("p", "", "Le devoir du groupe «\u00a0" + a.group + "\u00a0» propose d’envoyer vos résultats à un service de suivi " +
      "(un «\u00a0LRS\u00a0», Learning Record Store), à l’adresse " + host(a.lrs.url) + ", géré par l’organisme de formation de votre formateur."));
    var ul = el("ul");
    ["un pseudonyme (un identifiant tiré au hasard dans ce navigateur)" + (a.final && course.final.sealed ? ", l’identifiant " +
       "d’apprenant de l’évaluation finale (lui aussi tiré au hasard\u00a0: votre formateur y lie votre code de correction)" : "") +
       ", et votre nom seulement si vous cochez la case ci-dessous\u00a0;",
     "pour chaque question des leçons de ce devoir" + (a.final ? " et de l’évaluation finale" : "") +
       "\u00a0: votre réponse, juste ou fausse, le score, la date et le temps passé" +
       (a.final && course.final.sealed ? " (pour l’évaluation finale, votre réponse et votre degré de certitude, sans le résultat)" : "") + "\u00a0;",
     "les leçons terminées, le résultat de l’évaluation finale et vos coches «\u00a0Je suis capable de…\u00a0»\u00a0;",
     "ce que vous avez déjà fait pour ce devoir, puis chaque nouvelle réponse."
    ].forEach(function (t) { ul.appendChild(el("li", "", t)); });
    box.appendChild(el("p", "", "Ce qui serait envoyé\u00a0:"));
    box.appendChild(ul);
    box.appendChild(el("p", "", "Qui le reçoit\u00a0: votre formateur, pour suivre le groupe, et l’organisme qui gère ce service\u00a0; " +
      "c’est lui qui fixe la durée de conservation et à qui vous pouvez demander l’accès à vos données ou leur effacement (RGPD). " +
      "Si vous refusez, rien n’est envoyé et le module fonctionne de la même façon. Votre choix est gardé dans ce navigateur " +
      "et se change à tout moment dans «\u00a0Mon parcours\u00a0»."));
    return box;
  }

  function choiceForm(a, idPrefix, onDone) {
    var wrap = el("div", "pt-xapi-choice");
    var p = el("p");
    var box = el("input");
    box.type = "checkbox";
    box.id = idPrefix + "-nom";
    var c = consentOf(a);
    box.checked = !!(c && c.name);
    var label = el("label", "", " Joindre mon nom à mes résultats\u00a0: ");
    label.htmlFor = box.id;
    var name = el("input");
    name.type = "text";
    name.id = idPrefix + "-nom-texte";
    name.maxLength = 120;
    name.autocomplete = "name";
    name.setAttribute("aria-label", "Votre nom et prénom");
    var typed = store.get("profile", "name");
    if (typed) name.value = typed.value;
    p.appendChild(box); p.appendChild(label); p.appendChild(name);
    wrap.appendChild(p);
    var actions = el("p");
    var yes = el("button", "md-button md-button--primary", "Accepter l’envoi");
    yes.type = "button";
    yes.setAttribute("data-xapi", "oui");
    var no = el("button", "md-button", "Refuser l’envoi");
    no.type = "button";
    no.setAttribute("data-xapi", "non");
    yes.addEventListener("click", function () {
      if (box.checked && name.value.trim()) store.put("profile", "name", { value: name.value.trim().slice(0, 120) });
      decide(a, true, box.checked && !!name.value.trim());
      if (onDone) onDone(true);
    });
    no.addEventListener("click", function () { decide(a, false, false); if (onDone) onDone(false); });
    actions.appendChild(yes); actions.appendChild(document.createTextNode(" ")); actions.appendChild(no);
    wrap.appendChild(actions);
    return wrap;
  }

  /* Once the learner chose in the notice, the notice goes: a line says what was chosen, and takes the focus that was
   * on the button (a keyboard or screen-reader user is not sent back to the top of the page). */
  function confirmChoice(article, a, yes) {
    var done = document.getElementById("pt-xapi-done") || el("p", "pt-xapi-done admonition");
    done.id = "pt-xapi-done";
    done.setAttribute("role", "status");
    done.tabIndex = -1;
    done.textContent = "Choix enregistré\u00a0: " + (yes ? "vous avez accepté l’envoi de vos résultats à " + host(a.lrs.url) :
      "vous avez refusé l’envoi de vos résultats\u00a0; rien n’est envoyé") + ". Vous pouvez changer d’avis dans «\u00a0Mon parcours\u00a0».";
    var ask = document.getElementById("pt-xapi-ask");
    if (!done.parentNode) article.insertBefore(done, ask && ask.parentNode === article ? ask : article.firstChild);
    done.focus();
  }

  /* On every page: the question asked once per assignment, before anything is sent. */
  function renderAsk() {
    var article = document.querySelector("article.md-content__inner");
    var old = document.getElementById("pt-xapi-ask");
    var todo = lrsAssignments().filter(function (a) { return !consentOf(a); });
    if (!article || !todo.length || document.getElementById("pt-xapi")) { if (old) old.remove(); return; }
    if (old && old.getAttribute("data-assignment") === todo[0].id) return;
    if (old) old.remove();
    var a = todo[0];
    var section = el("section", "pt-xapi-ask admonition");
    section.id = "pt-xapi-ask";
    section.setAttribute("data-assignment", a.id);
    section.setAttribute("aria-labelledby", "pt-xapi-ask-title");
    var h = el("h2", "", "Envoyer vos résultats à votre formateur\u00a0?");
    h.id = "pt-xapi-ask-title";
    section.appendChild(h);
    section.appendChild(whatIsSent(a));
    section.appendChild(choiceForm(a, "pt-xapi-ask", function (yes) { confirmChoice(article, a, yes); }));
    article.insertBefore(section, article.firstChild);
  }

  /* « Mon parcours »: the choices, what waits to be sent, what the LRS refused, and « Réessayer maintenant ».
   * Built once; the cards are rebuilt only when an assignment or a choice changes (not while statements go, so that
   * a name being typed stays), and the waiting count is one live region whose text is updated in place. */
  var cardsShown = null;
  function renderParcours() {
    var report = document.getElementById("pt-report");
    if (!report) return;
    var section = document.getElementById("pt-xapi");
    var list = lrsAssignments();
    var waiting = pending().length, refused = rejectedItems().length;
    if (!section) {
      section = el("section", "pt-xapi");
      section.id = "pt-xapi";
      section.setAttribute("aria-labelledby", "pt-xapi-title");
      section.setAttribute("data-search-exclude", "");
      var h = el("h2", "", "Envoi de vos résultats");
      h.id = "pt-xapi-title";
      section.appendChild(h);
      section.appendChild(el("div", "pt-xapi-cards"));
      var live = el("p", "pt-xapi-pending");
      live.id = "pt-xapi-pending";
      live.setAttribute("role", "status");
      section.appendChild(live);
      var bad = el("p", "pt-xapi-refused");
      bad.hidden = true;
      section.appendChild(bad);
      var retry = el("button", "md-button", "Réessayer maintenant");
      retry.type = "button";
      retry.id = "pt-xapi-retry";
      retry.addEventListener("click", function () { pump(true); });
      var actions = el("p", "pt-xapi-actions");
      actions.appendChild(retry);
      section.appendChild(actions);
      report.parentNode.insertBefore(section, report);
    }
    section.hidden = !list.length && !waiting && !refused;
    var shown = JSON.stringify(list.map(function (a) { var c = consentOf(a); return [a.id, a.group, a.lrs.url, c ? [c.value, c.name] : null]; }));
    if (shown !== cardsShown) {
      cardsShown = shown;
      var cards = section.querySelector(".pt-xapi-cards");
      var focused = document.activeElement && cards.contains(document.activeElement) ? document.activeElement.id : "";
      cards.textContent = "";
      list.forEach(function (a, i) { cards.appendChild(card(a, i)); });
      if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
    }
    var status = document.getElementById("pt-xapi-pending");
    var text = waiting ? plural(waiting, "résultat", "résultats") + " en attente d’envoi" +
      (problem ? "\u00a0: " + problem + ". Nouvel essai automatique." : ".") : "Aucun résultat en attente d’envoi.";
    status.setAttribute("data-pending", String(waiting));
    if (status.textContent !== text) status.textContent = text;
    var refusedLine = section.querySelector(".pt-xapi-refused");
    refusedLine.hidden = !refused;
    refusedLine.setAttribute("data-refused", String(refused));
    refusedLine.textContent = refused ? plural(refused, "résultat refusé", "résultats refusés") +
      " par le service (ils restent dans ce navigateur et ne sont plus envoyés\u00a0; signalez-le à votre formateur)." : "";
    var retryLine = section.querySelector(".pt-xapi-actions");
    if (!waiting && retryLine.contains(document.activeElement)) status.focus();
    retryLine.hidden = !waiting;
  }

  function card(a, i) {
    var c = consentOf(a);
    var box = el("div", "pt-xapi-card");
    box.setAttribute("data-assignment", a.id);
    var state = !c ? "vous n’avez pas encore choisi\u00a0: rien n’est envoyé" :
      c.value === "non" ? "vous avez refusé\u00a0: rien n’est envoyé" :
      "vous avez accepté\u00a0: vos résultats sont envoyés à " + host(a.lrs.url) + (c.name ? ", avec votre nom" : ", sous pseudonyme");
    box.appendChild(el("h3", "", "Groupe «\u00a0" + a.group + "\u00a0»"));
    var st = el("p", "pt-xapi-state", "Envoi des résultats\u00a0: " + state + ".");
    st.setAttribute("data-consent", c ? c.value : "");
    box.appendChild(st);
    var details = el("details");
    details.appendChild(el("summary", "", "Ce qui est envoyé, et à qui"));
    details.appendChild(whatIsSent(a));
    box.appendChild(details);
    box.appendChild(choiceForm(a, "pt-xapi-" + i, null));
    return box;
  }

  function render() { renderAsk(); renderParcours(); }

  /* ---------- wiring ---------- */

  /* The time a question takes: from the learner's first touch of it to the answer. */
  function touch(event) {
    var q = event.target && event.target.closest ? event.target.closest("[data-qid]") : null;
    if (!q) return;
    var id = q.getAttribute("data-qid");
    if (!started.has(id)) started.set(id, Date.now());
  }

  function init() {
    ["focusin", "pointerdown", "input", "change"].forEach(function (type) { document.addEventListener(type, touch, true); });
    store.on(function (event) {
      var b = event.buckets;
      if (b.indexOf("answers") >= 0 || b.indexOf("checks") >= 0) {
        var a2 = answersMap(), c2 = checksMap();
        if (event.source === "local") onLocalChange(seenAnswers, a2, seenChecks, c2);
        seenAnswers = a2; seenChecks = c2;
      }
      if (b.indexOf("final") >= 0) {
        var f2 = finalMap();
        if (event.source === "local") onFinalChange(seenFinal, f2);
        seenFinal = f2;
      }
      if (b.indexOf("outbox") >= 0 || b.indexOf("assignments") >= 0 || b.indexOf("consent") >= 0 || b.indexOf("profile") >= 0) render();
      if (b.indexOf("outbox") >= 0 && event.source === "local") pump(false);
    });
    window.addEventListener("online", function () { pump(true); });
    render();
    pump(false);
  }

  NS.xapi = { pump: pump, pending: function () { return pending().length; }, registrationOf: registrationOf,
              home: HOME, courseIri: COURSE_IRI, extension: EXT };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
