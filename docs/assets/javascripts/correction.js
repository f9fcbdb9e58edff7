/* Partenariat: correction of the final assessment on the trainers' group page (issue 27). Loaded by that page only,
 * in the trainers' edition only: the page carries the final's key and the publisher's private signing key.
 * For each report opened by groupe.js that carries a handed-in final ({attempt, n, form, questions, answers}):
 * - scores each question of the learner's form with the key, as the lesson pages score them (right or wrong);
 * - the form's pass mark: the mean of its items' Angoff estimates × 100, rounded; the quiz's pass mark when an item
 *   has none;
 * - signs a correction code (ECDSA P-256, SHA-256, WebCrypto): b64url(JSON payload) "." b64url(signature), payload
 *   {v, learner, attempt, form, score, passed, passMark, items, k, issued}; the learner's edition checks it with
 *   the public key, for that learner's attempt only;
 * - item statistics (stats.js) over first attempts only (n = 1): a retake has seen the explanations.
 * Nothing is stored or sent: the codes are shown, to copy and hand back. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var MIN_FLAG = 10;  /* fewest learners who saw an item before it is flagged: below, the figures are noise */
  var key = null, data = null;
  var signer = null;  /* Promise of the CryptoKey, made once */
  var version = 0;    /* renders overlap (codes are signed asynchronously): only the latest writes */

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function plural(n, word) { return n + " " + word + (n > 1 ? "s" : ""); }
  function decimal(x, digits) { return x.toFixed(digits).replace(".", ","); }

  /* As quiz.js folds a fill-in answer: accents, apostrophes, ligatures, case, spaces, final punctuation. */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[’‘`´ʼ]/g, "'").replace(/œ/g, "oe").replace(/æ/g, "ae")
      .toLowerCase().replace(/\s+/g, " ").replace(/\s*'\s*/g, "'").replace(/[.!?;:,]+$/, "").trim();
  }

  /* ---------- the final in a report ---------- */

  function stringList(v) { return Array.isArray(v) && v.every(function (x) { return typeof x === "string"; }) ? v : null; }

  /* The answer's values as the lesson pages store them (`v`), whichever way the report wraps them. */
  function responseOf(a) {
    if (!isObject(a)) return null;
    if (stringList(a.response)) return a.response;
    if (isObject(a.response) && stringList(a.response.v)) return a.response.v;
    return stringList(a.v);
  }

  /* A final from a learners' edition (opaque ids, choices and steps by their place as shown) in this edition's terms:
     the item's own id, values as the lesson pages store them (YAML places). Ids this edition knows stay as they are. */
  function unsealed(f) {
    var names = key.sealed || {};
    if (!stringList(f.questions) || !f.questions.some(function (id) { return names[id]; })) return f;
    var answers = {};
    Object.keys(isObject(f.answers) ? f.answers : {}).forEach(function (id) {
      var name = names[id], a = f.answers[id], v = responseOf(a);
      if (!name) { answers[id] = a; return; }
      var values = v && name.shown ? v.map(function (x) {
        var place = name.shown[Number(x)];
        return place === undefined ? "?" : String(place);
      }) : v;
      answers[name.id] = { response: values, confidence: isObject(a) ? a.confidence : undefined };
    });
    return { attempt: f.attempt, n: f.n, form: f.form, answers: answers,
             questions: f.questions.map(function (id) { return names[id] ? names[id].id : id; }) };
  }

  /* The latest handed-in attempt and the learner's id: the report's summary, else the export's own buckets. */
  function finalOf(raw) {
    var report = isObject(raw.report) ? raw.report : {};
    var buckets = isObject(raw.buckets) ? raw.buckets : {};
    var learner = typeof report.learnerId === "string" ? report.learnerId : "";
    var profile = isObject(buckets.profile) && buckets.profile.learner;
    if (!learner && isObject(profile) && typeof profile.value === "string") learner = profile.value;
    var f = isObject(report.final) && typeof report.final.attempt === "string" ? report.final : null;
    if (!f && isObject(buckets.final)) {
      Object.keys(buckets.final).forEach(function (id) {
        var a = buckets.final[id];
        if (isObject(a) && a.handedIn && (!f || a.n > f.n)) f = { attempt: id, n: a.n, form: a.form, questions: a.questions, answers: a.answers };
      });
    }
    if (!f) return null;
    f = unsealed(f);
    if (!learner) return { why: "relevé sans identifiant d’apprenant (envoyé par une version antérieure du module)\u00a0: aucun code de " +
      "correction ne peut être établi pour cet apprenant\u00a0; demandez-lui le relevé de «\u00a0Mon parcours\u00a0»" };
    if (!stringList(f.questions) || !f.questions.length || !isObject(f.answers) || typeof f.form !== "string" ||
        !Number.isInteger(f.n) || f.n < 1) return { why: "évaluation finale illisible dans le relevé" };
    return { learner: learner, attempt: f.attempt, n: f.n, form: f.form, questions: f.questions, answers: f.answers };
  }

  /* ---------- scoring ---------- */

  /* 1 if the values are right for the item's key, else 0 (no answer: 0). */
  function scoreItem(k, v) {
    if (!v) return 0;
    if (k.type === "fill") {
      var given = fold(v[0] || "");
      return k.accept.some(function (a) { return fold(a) === given; }) ? 1 : 0;
    }
    if (k.type === "associer") {
      return v.length === k.pairs.length && k.pairs.every(function (right, i) { return v[i] === right; }) ? 1 : 0;
    }
    if (k.type === "ordonner") {
      return v.length === k.steps && v.every(function (x, i) { return Number(x) === i; }) ? 1 : 0;
    }
    var chosen = new Set(v), right = k.correct.map(String);
    return chosen.size === right.length && right.every(function (x) { return chosen.has(x); }) ? 1 : 0;
  }

  /* The pass mark of a form: its items' mean Angoff estimate, or the quiz's pass mark if one lacks it. */
  function passMarkOf(ids) {
    var scored = ids.filter(function (id) { return key.items[id]; });
    var all = scored.length && scored.every(function (id) { return typeof key.items[id].angoff === "number"; });
    if (!all) return { value: key.passMark, how: "seuil de l’évaluation" };
    var sum = scored.reduce(function (s, id) { return s + key.items[id].angoff; }, 0);
    return { value: Math.round(100 * sum / scored.length), how: "moyenne des estimations d’Angoff" };
  }

  function score(f) {
    var unknown = f.questions.filter(function (id) { return !data.questions[id]; });
    if (unknown.length) return { why: "question «\u00a0" + unknown[0].slice(0, 40) + "\u00a0» inconnue de cette édition du module (relevé d’une autre version\u00a0?)" };
    var scored = f.questions.filter(function (id) { return key.items[id]; });
    if (!scored.length) return { why: "aucune question de cette forme n’est corrigée automatiquement" };
    var marks = scored.map(function (id) { return scoreItem(key.items[id], responseOf(f.answers[id])); });
    var right = marks.reduce(function (a, b) { return a + b; }, 0);
    var pass = passMarkOf(scored);
    var pct = Math.round(100 * right / scored.length);
    return { ids: scored, marks: marks, right: right, total: scored.length, score: pct, passMark: pass.value,
             how: pass.how, passed: pct >= pass.value, items: marks.join("") };
  }

  /* ---------- codes ---------- */

  function b64url(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function payloadOf(f, s) {
    return { v: 1, learner: f.learner, attempt: f.attempt, form: f.form, score: s.score, passed: s.passed,
             passMark: s.passMark, items: s.items, k: key.signing.k, issued: today() };
  }

  function signingKey() {
    if (!signer) {
      if (!window.crypto || !window.crypto.subtle) return Promise.reject(new Error("no-subtle"));
      var jwk = { kty: "EC", crv: "P-256", x: key.signing.jwk.x, y: key.signing.jwk.y, d: key.signing.jwk.d };
      signer = window.crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
    }
    return signer;
  }

  /* The code for a payload: b64url(JSON).b64url(P1363 signature over the first part's ASCII). */
  function sign(payload) {
    var head = b64url(new TextEncoder().encode(JSON.stringify(payload)));
    return signingKey().then(function (k) {
      return window.crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, k, new TextEncoder().encode(head));
    }).then(function (sig) { return head + "." + b64url(new Uint8Array(sig)); });
  }

  function copy(text, input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return legacyCopy(input); });
    }
    return Promise.resolve(legacyCopy(input));
  }

  function legacyCopy(input) {
    input.focus();
    input.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  /* ---------- rendering: scores and codes ---------- */

  function scrollBox(table, label) {
    var box = el("div", "pt-table-scroll");
    box.setAttribute("data-label", label);
    box.appendChild(table);
    return box;
  }

  function questionLabel(id) {
    var q = data.questions[id];
    return q ? "Q" + q.number + " — " + q.text : id;
  }

  function confidenceText(a) {
    var c = isObject(a) ? a.confidence : null;
    return c === "sur" ? "sûr" : c === "pas-sur" ? "pas sûr" : "";
  }

  function detail(f, s) {
    var box = el("details", "pt-final-detail");
    box.appendChild(el("summary", "", "Détail par question"));
    var list = el("ol");
    s.ids.forEach(function (id, i) {
      var c = confidenceText(f.answers[id]);
      var li = el("li", s.marks[i] ? "is-right" : "is-wrong",
        questionLabel(id) + "\u00a0: " + (s.marks[i] ? "juste" : responseOf(f.answers[id]) ? "fausse" : "sans réponse") + (c ? " (" + c + ")" : ""));
      li.setAttribute("data-qid", id);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function codeCell(row, learnerName, code) {
    var cell = el("td");
    cell.setAttribute("data-col", "code");
    var input = el("input", "pt-final-code");
    input.type = "text";
    input.readOnly = true;
    input.value = code;
    input.setAttribute("aria-label", "Code de correction de " + learnerName);
    var button = el("button", "md-button pt-final-copy", "Copier le code");
    button.type = "button";
    button.setAttribute("aria-label", "Copier le code de " + learnerName);
    button.addEventListener("click", function () {
      copy(code, input).then(function (ok) {
        document.getElementById("groupe-final-message").textContent = ok
          ? "Code de " + learnerName + " copié\u00a0: collez-le dans le message à lui envoyer."
          : "Copie impossible dans ce navigateur\u00a0: sélectionnez le code et copiez-le avec Ctrl+C.";
      });
    });
    cell.appendChild(input);
    cell.appendChild(button);
    row.appendChild(cell);
  }

  function renderScores(entries, mine) {
    var host = document.getElementById("groupe-final-host");
    host.textContent = "";
    var scored = entries.filter(function (e) { return e.s && !e.s.why; });
    var problems = entries.filter(function (e) { return e.why || (e.s && e.s.why); });
    var none = entries.filter(function (e) { return !e.f && !e.why; }).length;
    host.appendChild(el("p", "", plural(scored.length, "évaluation") + " finale" + (scored.length > 1 ? "s" : "") + " corrigée" +
      (scored.length > 1 ? "s" : "") + (none ? ", " + plural(none, "relevé") + " sans évaluation finale remise" : "") + "."));
    if (problems.length) {
      var ul = el("ul", "pt-group-rejected");
      ul.setAttribute("aria-label", "Évaluations non corrigées");
      problems.forEach(function (e) { ul.appendChild(el("li", "", e.name + "\u00a0: " + (e.why || e.s.why) + ".")); });
      host.appendChild(ul);
    }
    if (!scored.length) return;
    var table = el("table", "pt-group-table pt-final-table");
    table.id = "groupe-final";
    table.appendChild(el("caption", "", "Résultats de l’évaluation finale et codes de correction à remettre"));
    var head = el("tr");
    ["Apprenant", "Forme (essai)", "Score", "Seuil", "Résultat", "Code de correction"].forEach(function (h) {
      var th = el("th", "", h); th.scope = "col"; head.appendChild(th);
    });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    var pending = [];
    scored.forEach(function (e) {
      var tr = el("tr");
      tr.setAttribute("data-learner", e.f.learner);
      var th = el("th", "", e.name); th.scope = "row";
      th.appendChild(detail(e.f, e.s));
      tr.appendChild(th);
      tr.appendChild(el("td", "", e.f.form + " (" + e.f.n + (e.f.n === 1 ? "er" : "e") + " essai)")).setAttribute("data-col", "form");
      tr.appendChild(el("td", "", e.s.right + " / " + e.s.total + " soit " + e.s.score + "\u00a0%")).setAttribute("data-col", "score");
      var mark = el("td", "", e.s.passMark + "\u00a0%");
      mark.setAttribute("data-col", "pass");
      mark.title = e.s.how;
      tr.appendChild(mark);
      tr.appendChild(el("td", "", e.s.passed ? "réussie" : "non réussie")).setAttribute("data-col", "result");
      var wait = el("td", "", "signature en cours…");
      wait.setAttribute("data-col", "code");
      tr.appendChild(wait);
      body.appendChild(tr);
      pending.push(sign(payloadOf(e.f, e.s)).then(function (code) {
        if (mine !== version) return;
        tr.removeChild(wait);
        codeCell(tr, e.name, code);
      }, function (err) {
        if (mine !== version) return;
        wait.textContent = err && err.message === "no-subtle"
          ? "Signature impossible ici\u00a0: ouvrez cette page en https ou depuis l’édition hors ligne des formateurs."
          : "Signature impossible\u00a0: la clé de signature de cette édition est illisible.";
      }));
    });
    table.appendChild(body);
    host.appendChild(scrollBox(table, "Résultats de l’évaluation finale"));
    if (NS.markScrolling) NS.markScrolling();
    Promise.all(pending).then(function () { if (mine === version) host.setAttribute("data-signed", "true"); });
  }

  /* ---------- rendering: item statistics ---------- */

  function optionText(id, option) {
    var q = data.questions[id];
    var k = key.items[id];
    if (k.type === "associer") return option;
    var text = q && q.choices[Number(option)];
    return text === undefined ? option : text;
  }

  function distractorsOf(id) {
    var k = key.items[id];
    if (k.type === "associer") return k.distractors;
    if (!k.correct) return [];
    var q = data.questions[id];
    return q.choices.map(function (c, i) { return String(i); }).filter(function (i) { return k.correct.indexOf(Number(i)) < 0; });
  }

  function chosenOf(id, v) {
    var k = key.items[id];
    if (!v) return [];
    if (k.type === "associer") return v.filter(function (x) { return k.distractors.indexOf(x) >= 0; });
    return k.correct ? v : [];
  }

  var ADVICE = {
    discrimination: "Discrimination faible (sous 0,2)\u00a0: la question ne sépare pas ceux qui réussissent le reste de " +
      "l’évaluation de ceux qui échouent. Relisez-la\u00a0: clé discutable, énoncé ambigu, indice qui donne la réponse ou " +
      "notion trop peu travaillée. Corrigez-la, ou retirez-la du tirage en attendant.",
    distractor: "Une option fausse que personne n’a choisie ne trompe personne et rend la question plus facile. " +
      "Remplacez-la par une confusion que le cours rend possible (un autre auteur, une notion voisine, une condition d’une autre liste)."
  };

  function reliabilityText(f) {
    var r = f.reliability;
    var name = "Forme «\u00a0" + f.form + "\u00a0» (" + plural(f.n, "apprenant") + ", " + plural(f.k, "question") + ")";
    if (r.value === null) {
      return name + "\u00a0: fiabilité non calculable (il faut au moins 2 apprenants dont les scores diffèrent).";
    }
    var method = r.method === "KR-20" ? "KR-20" : "alpha de Cronbach";
    var level = r.value >= 0.8 ? "bonne" : r.value >= 0.7 ? "acceptable pour une évaluation de formation"
      : "faible\u00a0: un score proche du seuil est incertain, ne décidez pas sur lui seul";
    return name + "\u00a0: fiabilité (" + method + ") " + decimal(r.value, 2) + ", " + level + ". Erreur type de mesure\u00a0: " +
      decimal(r.sem, 1) + " question" + (r.sem >= 2 ? "s" : "") + ", soit " + decimal(r.semPct, 1) + " points de pourcentage" +
      (f.n < 30 ? " (moins de 30 apprenants\u00a0: chiffre indicatif)" : "") + ".";
  }

  function renderStats(entries) {
    var host = document.getElementById("groupe-stats-host");
    host.textContent = "";
    var firsts = entries.filter(function (e) { return e.s && !e.s.why && e.f.n === 1; });
    var later = entries.filter(function (e) { return e.s && !e.s.why && e.f.n > 1; }).length;
    host.appendChild(el("p", "", "Calculées sur les premiers essais seulement (" + plural(firsts.length, "apprenant") + ")" +
      (later ? "\u00a0; " + plural(later, "relevé") + " d’un essai suivant, fait après avoir vu les explications, " + (later > 1 ? "ne sont" : "n’est") + " pas compté" + (later > 1 ? "s" : "") : "") +
      ". Une question n’est signalée que si au moins " + MIN_FLAG + " apprenants l’ont vue\u00a0: en dessous, les chiffres varient trop d’un groupe à l’autre."));
    if (!firsts.length) return;
    var distractors = {};
    var attempts = firsts.map(function (e) {
      var scores = {}, chosen = {}, confidence = {};
      e.s.ids.forEach(function (id, i) {
        var a = e.f.answers[id];
        scores[id] = e.s.marks[i];
        chosen[id] = chosenOf(id, responseOf(a));
        if (isObject(a) && (a.confidence === "sur" || a.confidence === "pas-sur")) confidence[id] = a.confidence;
        if (!distractors[id]) distractors[id] = distractorsOf(id);
      });
      return { form: e.f.form, questions: e.s.ids, scores: scores, chosen: chosen, confidence: confidence };
    });
    var result = NS.stats.analyse(attempts, { distractors: distractors, minN: MIN_FLAG });
    var rel = el("ul", "pt-final-reliability");
    rel.id = "groupe-reliability";
    result.forms.forEach(function (f) { rel.appendChild(el("li", "", reliabilityText(f))); });
    host.appendChild(rel);
    var ids = result.order.slice().sort(function (a, b) {
      var x = result.items[a], y = result.items[b];
      return (y.flags.length - x.flags.length) || ((data.questions[a] || {}).number - (data.questions[b] || {}).number);
    });
    var flagged = ids.filter(function (id) { return result.items[id].flags.length; }).length;
    host.appendChild(el("p", "", flagged ? plural(flagged, "question") + " à revoir, en tête du tableau." : "Aucune question à revoir."));
    var table = el("table", "pt-group-items pt-final-stats");
    table.id = "groupe-stats";
    table.appendChild(el("caption", "", "Statistiques par question (premiers essais)"));
    var head = el("tr");
    ["Question", "Vue par", "Réussite", "Discrimination", "Options fausses choisies", "Erreurs marquées «\u00a0sûr\u00a0»", "À revoir"].forEach(function (h) {
      var th = el("th", "", h); th.scope = "col"; head.appendChild(th);
    });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    ids.forEach(function (id) {
      var it = result.items[id];
      var tr = el("tr");
      tr.setAttribute("data-qid", id);
      if (it.flags.length) tr.className = "is-flagged";
      var th = el("th");
      th.scope = "row";
      var q = data.questions[id];
      var link = el("a", "", questionLabel(id));
      link.href = q.url;
      th.appendChild(link);
      tr.appendChild(th);
      tr.appendChild(el("td", "", String(it.n))).setAttribute("data-col", "n");
      tr.appendChild(el("td", "", Math.round(100 * it.difficulty) + "\u00a0%")).setAttribute("data-col", "difficulty");
      tr.appendChild(el("td", "", it.discrimination === null ? "non calculable (même résultat pour tous)"
        : decimal(it.discrimination, 2))).setAttribute("data-col", "discrimination");
      tr.appendChild(el("td", "", it.distractors.length ? it.distractors.map(function (d) {
        return "«\u00a0" + optionText(id, d.option) + "\u00a0»\u00a0: " + d.count;
      }).join("\u00a0; ") : "—")).setAttribute("data-col", "distractors");
      tr.appendChild(el("td", "", it.confidenceGiven ? it.sureWrong + " sur " + (it.sureWrong + it.unsureWrong) + " erreur" +
        (it.sureWrong + it.unsureWrong > 1 ? "s" : "") : "confiance non indiquée")).setAttribute("data-col", "sure");
      var advice = el("td");
      advice.setAttribute("data-col", "flags");
      if (!it.enough) advice.textContent = "trop peu de réponses pour juger";
      else if (!it.flags.length) advice.textContent = "non";
      else it.flags.forEach(function (flag) {
        var p = el("p", "", flag === "distractor" ? ADVICE.distractor + " Jamais choisie\u00a0: " +
          it.unused.map(function (o) { return "«\u00a0" + optionText(id, o) + "\u00a0»"; }).join(", ") + "." : ADVICE.discrimination);
        p.setAttribute("data-flag", flag);
        advice.appendChild(p);
      });
      tr.appendChild(advice);
      body.appendChild(tr);
    });
    table.appendChild(body);
    host.appendChild(scrollBox(table, "Statistiques des questions"));
    if (NS.markScrolling) NS.markScrolling();
  }

  function render(learners) {
    if (!key) return;
    version++;
    var entries = learners.map(function (l) {
      var f = l.report ? finalOf(l.report) : null;
      if (f && f.why) return { name: l.name, why: f.why };
      return { name: l.name, f: f, s: f ? score(f) : null };
    });
    entries.sort(function (x, y) { return x.name.localeCompare(y.name, "fr"); });
    document.getElementById("groupe-final-host").removeAttribute("data-signed");
    renderScores(entries, version);
    renderStats(entries);
  }

  function init() {
    var source = document.getElementById("groupe-final-key");
    var questions = document.getElementById("groupe-questions");
    if (!source || !questions) return;
    key = JSON.parse(source.textContent);
    data = JSON.parse(questions.textContent);
  }

  NS.correction = { render: render, score: function (f) { return score(f); }, finalOf: finalOf };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
