/* Partenariat: the learner's side of the sealed final assessment (learners' editions; scripts/build/sealed.py).
 * - `profile` bucket, "learner" → {value: uuid v4}: a pseudonymous learner id, made once;
 * - `final` bucket, <attempt uuid> → {n, form, questions, started, answers: {qid: {response, confidence, t}},
 *   handedIn, result}: one attempt per form drawn (seeded by the attempt id, by blueprint, as sealed.draw_form);
 * - a correction code (b64url(JSON payload).b64url(ECDSA P-256 r||s)) is checked with the public key on the page,
 *   must name this learner and the current attempt, then gives the score and opens the encrypted explanations.
 * A stored result is trusted only once its code verifies again (an imported file cannot make one up). */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { lessons: [], final: { questions: [] }, passMark: 70 };
  var fin = course.final || { questions: [] };
  var SEALED = !!fin.sealed;
  var POOL = fin.questions || [];
  var ITEMS = fin.items || {};
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  var NB = "\u00a0";
  if (!store) return;

  var isObject = function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); };
  var isCount = function (v) { return typeof v === "number" && Number.isInteger(v) && v >= 0; };
  var poolSet = new Set(POOL);

  function validAnswer(a) {
    return isObject(a) && Array.isArray(a.response) && a.response.length <= 100 &&
      a.response.every(function (x) { return typeof x === "string" && x.length <= 2000; }) &&
      (a.confidence === "sur" || a.confidence === "pas-sur") && isCount(a.t);
  }

  function validResult(r) {
    return r === null || (isObject(r) && typeof r.score === "number" && r.score >= 0 && r.score <= 100 &&
      typeof r.passed === "boolean" && typeof r.passMark === "number" && typeof r.items === "string" &&
      /^[01]*$/.test(r.items) && (r.via === "code" || r.via === "platform") && typeof r.code === "string" &&
      r.code.length <= 4000);
  }

  store.defineBucket("final", {
    valid: function (a) {
      return isObject(a) && isCount(a.n) && a.n >= 1 && typeof a.form === "string" && a.form.length <= 40 &&
        Array.isArray(a.questions) && a.questions.length <= 200 &&
        a.questions.every(function (q) { return typeof q === "string" && q.length <= 200; }) &&
        typeof a.started === "string" && isObject(a.answers) &&
        Object.keys(a.answers).every(function (q) { return a.questions.indexOf(q) >= 0 && validAnswer(a.answers[q]); }) &&
        (a.handedIn === null || typeof a.handedIn === "string") && validResult(a.result === undefined ? null : a.result);
    },
    known: function (id) { return UUID.test(id); },
    /* An answer, once given, never changes: the older copy's answers win, the newer brings those it lacks. */
    merge: function (older, newer) {
      if (older.deleted || newer.deleted) return newer;
      var out = JSON.parse(JSON.stringify(newer));
      out.form = older.form;
      out.questions = older.questions;
      out.answers = JSON.parse(JSON.stringify(older.answers || {}));
      Object.keys(newer.answers || {}).forEach(function (q) { if (!out.answers[q]) out.answers[q] = newer.answers[q]; });
      out.handedIn = older.handedIn || newer.handedIn || null;
      out.result = newer.result || older.result || null;
      return out;
    }
  });

  /* ---------- ids, forms ---------- */

  function uuid() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function learnerId() {
    var p = store.get("profile", "learner");
    if (p && UUID.test(p.value)) return p.value;
    var id = uuid();
    store.put("profile", "learner", { value: id });
    return id;
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h >>> 0;
  }

  function mulberry32(a) {
    return function () {
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffle(list, rand) {
    var out = list.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(rand() * (i + 1));
      var x = out[i]; out[i] = out[j]; out[j] = x;
    }
    return out;
  }

  /* sealed.feasible: can `left` slots per objective be filled with exactly `targets` of each level, given
     `available[objective][level]` items? (for every set S of levels: targets of S ≤ Σ min(slots, items in S)) */
  function feasible(left, available, targets) {
    var levels = targets.map(function (t) { return t[0]; });
    var need = 0, have = 0;
    targets.forEach(function (t) { need += t[1]; });
    Object.keys(left).forEach(function (o) { have += left[o]; });
    if (need !== have || targets.some(function (t) { return t[1] < 0; })) return false;
    for (var mask = 1; mask < (1 << levels.length); mask++) {
      var want = 0, supply = 0;
      targets.forEach(function (t, i) { if (mask >> i & 1) want += t[1]; });
      Object.keys(left).forEach(function (o) {
        var inS = 0;
        levels.forEach(function (lv, i) { if (mask >> i & 1) inS += available[o][lv] || 0; });
        supply += Math.min(left[o], inS);
      });
      if (want > supply) return false;
    }
    return true;
  }

  /* The same draw as scripts/build/sealed.py draw_form: objectives in turn, each one's items shuffled, each slot
     taking the first item that keeps the blueprint's count of each level reachable. */
  function drawForm(seed) {
    var rand = mulberry32(fnv1a(seed));
    var groups = new Map();
    POOL.forEach(function (q) {
      var o = (ITEMS[q] && ITEMS[q].objective) || "";
      if (!groups.has(o)) groups.set(o, []);
      groups.get(o).push(q);
    });
    var level = function (q) { return (ITEMS[q] && ITEMS[q].level) || ""; };
    var objectives = shuffle(Array.from(groups.keys()), rand);
    var shuffled = new Map();
    objectives.forEach(function (o) { shuffled.set(o, shuffle(groups.get(o), rand)); });
    var slots = fin.slots || {}, targets = (fin.levels || []).map(function (t) { return [t[0], t[1]]; });
    var left = {}, available = {}, total = 0;
    objectives.forEach(function (o) {
      left[o] = slots[o] || 0;
      total += left[o];
      available[o] = {};
      shuffled.get(o).forEach(function (q) { available[o][level(q)] = (available[o][level(q)] || 0) + 1; });
    });
    var index = {};
    targets.forEach(function (t, i) { index[t[0]] = i; });
    var picked = [], turn = 0, taken = new Set();
    while (picked.length < total && turn <= POOL.length) {
      objectives.forEach(function (o) {
        if (turn >= (slots[o] || 0)) return;
        var items = shuffled.get(o);
        for (var i = 0; i < items.length; i++) {
          var q = items[i], lv = level(q), t = targets[index[lv]];
          if (taken.has(q) || !t) continue;
          left[o]--; available[o][lv]--; t[1]--;
          if (feasible(left, available, targets)) { picked.push(q); taken.add(q); break; }
          left[o]++; available[o][lv]++; t[1]++;
        }
      });
      turn++;
    }
    return shuffle(picked, rand);
  }

  /* The form's name: its items' places in the pool (as sealed.form_id). */
  function formId(qids) {
    var places = qids.map(function (q) { return String(POOL.indexOf(q)); });
    return "F" + (fnv1a(places.join(",")) + 0x100000000).toString(16).slice(1);
  }

  function passMark(qids) {
    if (!qids.length) return course.passMark;
    var sum = 0;
    qids.forEach(function (q) { sum += (ITEMS[q] && typeof ITEMS[q].angoff === "number") ? ITEMS[q].angoff : 0.6; });
    return Math.floor(sum / qids.length * 100 + 0.5);
  }

  /* ---------- attempts ---------- */

  function attempts() {
    return store.all("final").filter(function (p) { return p[1] && !p[1].deleted; })
      .map(function (p) { return { id: p[0], a: p[1] }; })
      .sort(function (x, y) { return x.a.n - y.a.n || (x.a.started < y.a.started ? -1 : 1); });
  }

  function current() { var all = attempts(); return all.length ? all[all.length - 1] : null; }

  function newAttempt() {
    var previous = current();
    var id = uuid(), questions = drawForm(id);
    /* a retake draws another form: another seed from the same attempt id when the first draw repeats the last */
    for (var k = 1; previous && formId(questions) === previous.a.form && k < 10; k++) questions = drawForm(id + ":" + k);
    var attempt = { n: previous ? previous.a.n + 1 : 1, form: formId(questions), questions: questions,
                    started: new Date().toISOString(), answers: {}, handedIn: null, result: null };
    learnerId();
    store.put("final", id, attempt);
    return { id: id, a: attempt };
  }

  /* ---------- codes ---------- */

  function bytesOf(b64url) {
    var s = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = window.atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function publicKey() {
    var box = document.querySelector("[data-public-jwk]");
    try { return box ? JSON.parse(box.getAttribute("data-public-jwk")) : null; } catch (e) { return null; }
  }

  var REFUSED = " Rien n’a été modifié.";
  var checked = new Map();  /* code → Promise of {ok, payload} or {ok: false, message} */

  /* Whether `code` was signed by the trainers' key: {ok, payload} or {ok: false, message} (French). */
  function verify(code) {
    code = String(code || "").replace(/\s+/g, "");
    if (checked.has(code)) return checked.get(code);
    var parts = code.split(".");
    var done = (function () {
      if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) {
        return Promise.resolve({ ok: false, message: "Code refusé\u00a0: ce texte n’a pas la forme d’un code de correction " +
          "(deux parties séparées par un point). Recopiez-le en entier." + REFUSED });
      }
      var payload;
      try { payload = JSON.parse(new TextDecoder().decode(bytesOf(parts[0]))); } catch (e) { payload = null; }
      if (!isObject(payload) || payload.v !== 1) {
        return Promise.resolve({ ok: false, message: "Code refusé\u00a0: ce code est illisible (mal recopié\u00a0?)." + REFUSED });
      }
      var jwk = publicKey();
      var subtle = window.crypto && window.crypto.subtle;
      if (!jwk || !subtle) {
        return Promise.resolve({ ok: false, message: "Ce navigateur ne peut pas vérifier le code ici (page ouverte " +
          "sans connexion sécurisée)\u00a0: ouvrez le cours en https, ou depuis ses fichiers hors ligne." + REFUSED });
      }
      return subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true },
                              { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"])
        .then(function (key) {
          return subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, bytesOf(parts[1]), new TextEncoder().encode(parts[0]));
        })
        .then(function (good) {
          return good ? { ok: true, payload: payload, code: code }
            : { ok: false, message: "Code refusé\u00a0: il n’a pas été établi par votre formateur pour ce module (code " +
                "modifié ou mal recopié)." + REFUSED };
        }, function () { return { ok: false, message: "Code refusé\u00a0: la signature est illisible." + REFUSED }; });
    })();
    checked.set(code, done);
    return done;
  }

  /* Whether a verified payload fits this learner and the attempt `at`; a French reason when it does not. */
  function mismatch(payload, at) {
    if (payload.learner !== learnerId()) return "Code refusé\u00a0: ce code a été établi pour un autre apprenant.";
    if (!at) return "Code refusé\u00a0: vous n’avez pas encore passé l’évaluation finale dans ce navigateur.";
    if (payload.attempt !== at.id) {
      var other = attempts().filter(function (x) { return x.id === payload.attempt; })[0];
      return other ? "Code refusé\u00a0: ce code corrige votre tentative n°" + NB + other.a.n + ", pas la tentative en cours (n°" +
        NB + at.a.n + ")." : "Code refusé\u00a0: ce code corrige une autre tentative que la vôtre.";
    }
    if (payload.form !== at.a.form || typeof payload.items !== "string" || payload.items.length !== at.a.questions.length ||
        !/^[01]*$/.test(payload.items) || typeof payload.score !== "number" || typeof payload.passed !== "boolean" ||
        typeof payload.passMark !== "number") {
      return "Code refusé\u00a0: il ne correspond pas au sujet de cette tentative.";
    }
    if (!at.a.handedIn) return "Code refusé\u00a0: répondez d’abord à toutes les questions de l’évaluation.";
    return "";
  }

  var verified = new Map();  /* attempt id → payload of its verified result */

  /* Checks the stored results again (at load, after an import or another tab's write). */
  function recheck() {
    attempts().forEach(function (at) {
      var r = at.a.result;
      if (!r || r.via !== "code" || verified.has(at.id)) return;
      verify(r.code).then(function (v) {
        if (v.ok && v.payload.attempt === at.id && v.payload.learner === learnerId() && v.payload.form === at.a.form &&
            v.payload.items.length === at.a.questions.length && !verified.has(at.id)) {
          verified.set(at.id, v.payload);
          changed();
        }
      });
    });
  }

  /* Enters a code: {ok, message}. Stores the result only if it verifies and fits the current attempt. */
  function enterCode(code) {
    return verify(code).then(function (v) {
      if (!v.ok) return v;
      var at = current();
      var why = mismatch(v.payload, at);
      if (why) return { ok: false, message: why + REFUSED };
      var p = v.payload;
      var attempt = JSON.parse(JSON.stringify(at.a));
      attempt.result = { score: p.score, passed: p.passed, passMark: p.passMark, items: p.items, via: "code", code: v.code };
      var saved = store.put("final", at.id, attempt);
      verified.set(at.id, p);
      changed();
      return { ok: true, saved: saved, message: "Code accepté\u00a0: votre évaluation est corrigée (" + p.score + NB + "%, " +
        (p.passed ? "réussie" : "non réussie") + ")." };
    });
  }

  /* ---------- explanations ---------- */

  function decrypt(keyB64, sealedText) {
    var parts = String(sealedText).split(".");
    return window.crypto.subtle.importKey("raw", bytesOf(keyB64), "AES-GCM", false, ["decrypt"])
      .then(function (key) { return window.crypto.subtle.decrypt({ name: "AES-GCM", iv: bytesOf(parts[0]) }, key, bytesOf(parts[1])); })
      .then(function (plain) { return new TextDecoder().decode(plain); });
  }

  /* ---------- summary for « Mon parcours », the report and the attestation ---------- */

  /* The final's state in a learners' edition (null in the trainers' edition, where the page corrects itself). */
  function summary() {
    if (!SEALED) return null;
    var at = current();
    var empty = { answered: 0, correct: 0, total: fin.formSize || POOL.length, score: 0 };
    if (!at) return { text: "pas encore commencée", s: empty };
    var answered = Object.keys(at.a.answers).length, total = at.a.questions.length;
    var s = { answered: answered, correct: 0, total: total, score: 0 };
    var base = { s: s, form: at.a.form, attempt: at.id, n: at.a.n, passMark: passMark(at.a.questions) };
    if (answered < total) {
      base.text = "en cours\u00a0: " + answered + " question(s) sur " + total + " (sujet " + at.a.form + ")";
      return base;
    }
    var p = verified.get(at.id);
    if (!p) {
      base.text = "réponses remises (sujet " + at.a.form + ")\u00a0: en attente du code de correction de votre formateur";
      return base;
    }
    s.correct = (p.items.match(/1/g) || []).length;
    s.score = p.score;
    base.passed = p.passed;
    base.passMark = p.passMark;
    base.via = "code";
    base.issued = p.issued;
    base.text = "corrigée par votre formateur\u00a0: " + s.correct + " / " + total + " soit " + p.score + "\u00a0% — " +
      (p.passed ? "réussie" : "non réussie") + " (seuil\u00a0: " + p.passMark + "\u00a0%, sujet " + at.a.form + ")";
    return base;
  }

  /* The report's part (contract): the learner id and the latest handed-in attempt. */
  function addToReport(report) {
    report.learnerId = learnerId();
    var handed = attempts().filter(function (x) { return x.a.handedIn; });
    var last = handed[handed.length - 1];
    if (!last) return report;
    report.final = report.final || {};
    report.final.attempt = last.id;
    report.final.n = last.a.n;
    report.final.form = last.a.form;
    report.final.questions = last.a.questions.slice();
    report.final.answers = JSON.parse(JSON.stringify(last.a.answers));
    report.final.handedIn = last.a.handedIn;
    if (SEALED) {
      var s = summary();
      report.final.passMark = passMark(last.a.questions);
      report.final.score = s && s.via ? s.s.score : null;
      report.final.passed = s && s.via ? !!s.passed : null;
      report.final.via = s && s.via ? s.via : null;
    }
    return report;
  }

  function changed() {
    try { document.dispatchEvent(new CustomEvent("partenariat:final")); } catch (e) { /* old browser */ }
  }

  NS.finalAttempt = { sealed: SEALED, learnerId: learnerId, drawForm: drawForm, formId: formId, passMark: passMark,
                      attempts: attempts, current: current, newAttempt: newAttempt, verify: verify, enterCode: enterCode,
                      summary: summary, addToReport: addToReport };

  /* ---------- the final page ---------- */

  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }

  function sealedQuizzes() { return all(document, ".quiz[data-sealed-final]"); }

  function valuesOf(quiz) {
    var type = quiz.getAttribute("data-type");
    if (type === "fill") {
      var blank = quiz.querySelector("input.quiz-blank-input");
      return blank && blank.value.trim() ? [blank.value] : [];
    }
    if (type === "associer") {
      var v = all(quiz, ".quiz-pair select").map(function (s) { return s.value; });
      return v.every(Boolean) ? v : [];
    }
    if (type === "ordonner") return all(quiz, ".quiz-step").map(function (li) { return li.getAttribute("data-step"); });
    return all(quiz, "fieldset input[name='answer']").filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
  }

  function restoreValues(quiz, values) {
    var type = quiz.getAttribute("data-type");
    if (type === "fill") { var b = quiz.querySelector("input.quiz-blank-input"); if (b) b.value = values[0] || ""; return; }
    if (type === "associer") { all(quiz, ".quiz-pair select").forEach(function (s, i) { s.value = values[i] || ""; }); return; }
    if (type === "ordonner") {
      var list = quiz.querySelector(".quiz-steps");
      var by = new Map(all(quiz, ".quiz-step").map(function (li) { return [li.getAttribute("data-step"), li]; }));
      values.forEach(function (v) { if (by.has(v)) list.appendChild(by.get(v)); });
      return;
    }
    var want = new Set(values);
    all(quiz, "fieldset input[name='answer']").forEach(function (i) { i.checked = want.has(i.value); });
  }

  function setLocked(quiz, locked) {
    all(quiz, "input, select, textarea, button").forEach(function (c) { c.disabled = locked; });
  }

  function confidenceOf(quiz) {
    var c = quiz.querySelector(".pt-confidence input:checked");
    return c ? c.value : "";
  }

  function submit(quiz) {
    var qid = quiz.getAttribute("data-qid");
    var feedback = quiz.querySelector(".quiz-feedback");
    var at = current();
    if (!at || at.a.questions.indexOf(qid) < 0 || at.a.answers[qid]) return;
    var values = valuesOf(quiz);
    if (!values.length) {
      feedback.textContent = quiz.getAttribute("data-type") === "fill" ? "Écrivez votre réponse avant de l’enregistrer." :
        "Choisissez votre réponse avant de l’enregistrer.";
      return;
    }
    var confidence = confidenceOf(quiz);
    if (!confidence) {
      feedback.textContent = "Dites si vous êtes sûr(e) de votre réponse avant de l’enregistrer.";
      return;
    }
    var attempt = JSON.parse(JSON.stringify(at.a));
    attempt.answers[qid] = { response: values, confidence: confidence, t: Date.now() };
    if (Object.keys(attempt.answers).length === attempt.questions.length) attempt.handedIn = new Date().toISOString();
    var result = store.put("final", at.id, attempt);
    if (NS.quiz && NS.quiz.showSaveStatus) NS.quiz.showSaveStatus(quiz, feedback, result);
    render();
  }

  function move(quiz, item, by) {
    var items = all(quiz, ".quiz-step"), from = items.indexOf(item), to = from + by;
    var status = quiz.querySelector(".quiz-steps-status");
    var name = item.querySelector(".step-text").textContent.trim();
    if (to < 0 || to >= items.length) {
      if (status) status.textContent = "«\u00a0" + name + "\u00a0» est déjà en " + (to < 0 ? "première" : "dernière") + " position.";
      return;
    }
    var focused = document.activeElement;
    if (by < 0) item.parentNode.insertBefore(item, items[to]); else item.parentNode.insertBefore(item, items[to].nextSibling);
    if (focused && item.contains(focused)) focused.focus();
    if (status) status.textContent = "«\u00a0" + name + "\u00a0» déplacée en position " + (to + 1) + " sur " + items.length + ".";
  }

  var revealed = new Map();  /* qid → explanation HTML, once decrypted */

  function revealExplanations(at) {
    var p = verified.get(at.id);
    if (!p || typeof p.k !== "string") return Promise.resolve();
    return Promise.all(sealedQuizzes().filter(function (q) { return at.a.questions.indexOf(q.getAttribute("data-qid")) >= 0; })
      .map(function (quiz) {
        var qid = quiz.getAttribute("data-qid");
        var section = quiz.querySelector("section[data-sealed]");
        if (!section || revealed.has(qid)) return null;
        return decrypt(p.k, section.getAttribute("data-sealed")).then(function (text) {
          revealed.set(qid, text);
          section.innerHTML = text;  /* our own build's HTML, authenticated by AES-GCM */
          section.hidden = false;
        }, function () { /* a key that does not open it: the explanation stays closed */ });
      }));
  }

  /* The four boxes of confidence × correctness, confident errors first, each linked to its question and lesson. */
  function renderResults(box, at) {
    var p = verified.get(at.id);
    box.textContent = "";
    box.hidden = !p;
    if (!p) return;
    var groups = [
      ["wrong-sur", "Erreurs commises avec assurance\u00a0: une idée fausse à reprendre en priorité"],
      ["right-pas-sur", "Justes mais pas sûr(e)\u00a0: chance ou connaissance fragile, à consolider"],
      ["right-sur", "Justes et sûr(e)\u00a0: acquis"],
      ["wrong-pas-sur", "Fausses et pas sûr(e)\u00a0: vous le saviez fragile, à revoir"]
    ];
    var h = document.createElement("h3");
    h.textContent = "Résultat\u00a0: " + p.score + NB + "% — " + (p.passed ? "réussie" : "non réussie") + " (seuil de ce sujet\u00a0: " +
      p.passMark + NB + "%)";
    box.appendChild(h);
    var note = document.createElement("p");
    note.textContent = "Corrigée par votre formateur (code de correction vérifié" + (p.issued ? ", établi le " + p.issued : "") +
      "). Votre degré de certitude ne change pas le score\u00a0: il vous montre où reprendre.";
    box.appendChild(note);
    groups.forEach(function (g) {
      var list = document.createElement("ul");
      at.a.questions.forEach(function (qid, i) {
        var a = at.a.answers[qid];
        var key = (p.items.charAt(i) === "1" ? "right-" : "wrong-") + (a ? a.confidence : "pas-sur");
        if (key !== g[0]) return;
        var li = document.createElement("li");
        li.setAttribute("data-result", g[0]);
        var link = document.createElement("a");
        link.href = "evaluation-finale.html#q-" + qid;
        link.textContent = "Question " + (i + 1);
        li.appendChild(link);
        var lesson = (revealed.get(qid) || "").match(/href="([^"#]+\.html#[^"]+)"/);
        if (lesson && /^[a-z0-9-]+\.html#[\w-]+$/.test(lesson[1])) {
          li.appendChild(document.createTextNode(" — "));
          var back = document.createElement("a");
          back.href = lesson[1];
          back.textContent = "revoir la section de la leçon";
          li.appendChild(back);
        }
        list.appendChild(li);
      });
      if (!list.children.length) return;
      var title = document.createElement("h4");
      title.textContent = g[1] + " (" + list.children.length + ")";
      box.appendChild(title);
      box.appendChild(list);
    });
  }

  function render() {
    var page = document.getElementById("pt-final");
    var at = current();
    var quizzes = sealedQuizzes();
    if (page) {
      var state = page.querySelector(".pt-final-state");
      var start = page.querySelector("[data-final='start']");
      start.hidden = !!at;
      var mark = document.querySelector("[data-final='pass-mark']");
      if (!at) {
        state.textContent = "Vous n’avez pas encore commencé. Un sujet de " + (fin.formSize || POOL.length) +
          " questions sera tiré pour vous.";
      } else {
        state.textContent = "Tentative n°" + NB + at.a.n + ", sujet " + at.a.form + "\u00a0: " + Object.keys(at.a.answers).length +
          " réponse(s) enregistrée(s) sur " + at.a.questions.length + ".";
        if (mark) mark.textContent = passMark(at.a.questions) + NB + "% pour votre sujet " + at.a.form;
      }
      var order = at ? at.a.questions : [];
      var parent = quizzes.length ? quizzes[0].parentNode : null;
      var anchor = document.querySelector(".pt-final-end");
      quizzes.forEach(function (q) { q.hidden = order.indexOf(q.getAttribute("data-qid")) < 0; });
      order.forEach(function (qid, i) {
        var quiz = document.getElementById("q-" + qid);
        if (!quiz || !parent) return;
        if (anchor && anchor.parentNode === parent) parent.insertBefore(quiz, anchor); else parent.appendChild(quiz);
        var number = quiz.querySelector(".quiz-number");
        if (number) number.textContent = "Question " + (i + 1) + " sur " + order.length;
        var a = at.a.answers[qid];
        var feedback = quiz.querySelector(".quiz-feedback");
        if (a) {
          restoreValues(quiz, a.response);
          all(quiz, ".pt-confidence input").forEach(function (c) { c.checked = c.value === a.confidence; });
          setLocked(quiz, true);
          feedback.textContent = "Réponse enregistrée (" + (a.confidence === "sur" ? "sûr" : "pas sûr") +
            ")\u00a0: la correction viendra de votre formateur.";
        } else {
          setLocked(quiz, false);
          if (/^Réponse enregistrée/.test(feedback.textContent)) feedback.textContent = "";
        }
      });
      var handin = document.querySelector(".pt-final-handin");
      if (handin) {
        handin.textContent = !at ? "" : at.a.handedIn
          ? "Toutes vos réponses sont enregistrées. Exportez votre relevé depuis «\u00a0Mon parcours\u00a0» et remettez-le à " +
            "votre formateur\u00a0; saisissez ensuite ici le code de correction qu’il vous rendra."
          : "Répondez à toutes les questions\u00a0: votre relevé pourra alors être remis à votre formateur.";
      }
      var retake = document.querySelector("[data-final='retake']");
      if (retake) retake.hidden = !(at && at.a.handedIn);
    }
    all(document, ".pt-final-results").forEach(function (box) {
      if (at) renderResults(box, at); else box.hidden = true;
    });
    if (at && verified.has(at.id)) revealExplanations(at).then(function () {
      all(document, ".pt-final-results").forEach(function (box) { renderResults(box, at); });
    });
  }

  function init() {
    if (!SEALED) return;
    learnerId();
    sealedQuizzes().forEach(function (quiz) {
      var form = quiz.querySelector("form");
      if (!form) return;
      form.addEventListener("submit", function (event) { event.preventDefault(); submit(quiz); });
      form.addEventListener("click", function (event) {
        var b = event.target.closest(".step-move");
        if (b && !b.disabled) move(quiz, b.closest(".quiz-step"), Number(b.getAttribute("data-move")));
      });
    });
    var start = document.querySelector("[data-final='start']");
    if (start) start.addEventListener("click", function () { newAttempt(); render(); });
    var retake = document.querySelector("[data-final='retake']");
    if (retake) retake.addEventListener("click", function () {
      if (!window.confirm("Commencer une nouvelle tentative\u00a0? Un autre sujet sera tiré\u00a0; la tentative actuelle reste " +
                          "enregistrée.")) return;
      newAttempt();
      render();
      var first = document.querySelector(".quiz[data-sealed-final]:not([hidden])");
      if (first) first.scrollIntoView();
    });
    all(document, "form.pt-code").forEach(function (form) {
      var message = form.querySelector(".pt-code-message");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        message.textContent = "Vérification du code…";
        enterCode(form.querySelector("textarea").value).then(function (r) {
          message.textContent = r.message;
          message.classList.toggle("is-error", !r.ok);
          message.classList.toggle("is-success", r.ok);
          render();
        });
      });
    });
    document.addEventListener("partenariat:final", render);
    store.on(function (event) {
      if (event.buckets.indexOf("final") < 0 && event.buckets.indexOf("profile") < 0) return;
      recheck();
      render();
    });
    recheck();
    render();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
