/* Partenariat: item statistics of the final assessment (issue 27), pure functions with no page behind them, so that
 * Node runs them as the trainers' group page does (`NS.stats`). Classical test theory:
 * - difficulty: share of right answers among the learners who saw the item (their form held it);
 * - discrimination: corrected point-biserial, the correlation between the item's score and the learner's score on
 *   the other items of their own form (as a share, forms may differ in length); undefined (null) when the item or
 *   the rest score does not vary, or fewer than 3 learners saw the item;
 * - reliability of one form: KR-20 when every item score is 0 or 1, Cronbach's alpha otherwise (KR-20 is alpha for
 *   0/1 items); standard error of measurement = SD of the total × √(1 − reliability), in items and in points of %;
 *   undefined when fewer than 2 learners or items, or when totals do not vary.
 * Variances are population variances (divided by n), as in the KR-20 formula. */
(function (root) {
  "use strict";

  var NS = root.Partenariat = root.Partenariat || {};

  function mean(xs) {
    var s = 0;
    for (var i = 0; i < xs.length; i++) s += xs[i];
    return xs.length ? s / xs.length : NaN;
  }

  function variance(xs) {
    var m = mean(xs), s = 0;
    for (var i = 0; i < xs.length; i++) s += (xs[i] - m) * (xs[i] - m);
    return xs.length ? s / xs.length : NaN;
  }

  /* Pearson's r, or null when it is undefined (fewer than 2 pairs, or one side constant). */
  function pearson(xs, ys) {
    if (xs.length !== ys.length || xs.length < 2) return null;
    var mx = mean(xs), my = mean(ys), sxy = 0, sxx = 0, syy = 0;
    for (var i = 0; i < xs.length; i++) {
      var dx = xs[i] - mx, dy = ys[i] - my;
      sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
    }
    if (sxx < 1e-12 || syy < 1e-12) return null;
    return sxy / Math.sqrt(sxx * syy);
  }

  /* Reliability of a complete matrix (rows: learners, columns: the items of one form, scores in [0, 1]). */
  function reliability(matrix) {
    var n = matrix.length, k = n ? matrix[0].length : 0;
    var binary = matrix.every(function (row) { return row.every(function (x) { return x === 0 || x === 1; }); });
    var out = { n: n, k: k, method: binary ? "KR-20" : "alpha", value: null, mean: null, sd: null, sem: null, semPct: null };
    if (n < 2 || k < 2) return out;
    var totals = matrix.map(function (row) { return row.reduce(function (a, b) { return a + b; }, 0); });
    var vt = variance(totals);
    out.mean = mean(totals);
    out.sd = Math.sqrt(vt);
    if (vt < 1e-12) return out;
    var sumItem = 0;
    for (var j = 0; j < k; j++) sumItem += variance(matrix.map(function (row) { return row[j]; }));  /* = p(1-p) for 0/1 */
    out.value = (k / (k - 1)) * (1 - sumItem / vt);
    out.sem = out.sd * Math.sqrt(Math.max(0, 1 - out.value));
    out.semPct = 100 * out.sem / k;
    return out;
  }

  /* Item analysis of a set of attempts.
   * attempts: [{form, questions: [qid…], scores: {qid: 0..1}, chosen: {qid: [option…]}, confidence: {qid: "sur"|"pas-sur"}}]
   *   (a question of the form without a score counts 0: unanswered);
   * options: {distractors: {qid: [option…]} (the wrong options each item offers), minN: fewest learners for flags}.
   * Returns {items: {qid: {...}}, forms: [{form, n, reliability}]}. Flags: "discrimination" (< 0.2), "distractor"
   * (an offered wrong option nobody chose), raised only once minN learners saw the item. */
  function analyse(attempts, options) {
    options = options || {};
    var distractors = options.distractors || {};
    var minN = options.minN === undefined ? 10 : options.minN;
    var items = {}, order = [];
    var byForm = new Map();

    attempts.forEach(function (a) {
      var qs = a.questions || [];
      var scores = qs.map(function (id) { var s = a.scores && a.scores[id]; return typeof s === "number" && isFinite(s) ? s : 0; });
      var total = scores.reduce(function (x, y) { return x + y; }, 0);
      qs.forEach(function (id, i) {
        var it = items[id];
        if (!it) {
          it = items[id] = { id: id, n: 0, right: 0, scores: [], rest: [], chosen: new Map(), confidenceGiven: 0,
                             sureWrong: 0, unsureWrong: 0, unsureRight: 0, sureRight: 0 };
          order.push(id);
        }
        it.n++;
        it.right += scores[i];
        it.scores.push(scores[i]);
        it.rest.push(qs.length > 1 ? (total - scores[i]) / (qs.length - 1) : 0);
        ((a.chosen && a.chosen[id]) || []).forEach(function (o) { it.chosen.set(String(o), (it.chosen.get(String(o)) || 0) + 1); });
        var c = a.confidence && a.confidence[id];
        if (c === "sur" || c === "pas-sur") {
          it.confidenceGiven++;
          var right = scores[i] === 1;
          if (c === "sur") { if (right) it.sureRight++; else it.sureWrong++; }
          else if (right) it.unsureRight++; else it.unsureWrong++;
        }
      });
      var key = String(a.form || "");
      var f = byForm.get(key);
      if (!f) { f = { form: key, questions: qs.slice(), rows: [] }; byForm.set(key, f); }
      if (qs.length === f.questions.length && qs.every(function (id, i) { return id === f.questions[i]; })) f.rows.push(scores);
    });

    var out = {};
    order.forEach(function (id) {
      var it = items[id];
      var disc = it.n >= 3 ? pearson(it.scores, it.rest) : null;
      var offered = (distractors[id] || []).map(String);
      var counts = offered.map(function (o) { return { option: o, count: it.chosen.get(o) || 0 }; });
      var unused = counts.filter(function (c) { return !c.count; }).map(function (c) { return c.option; });
      var flags = [];
      if (it.n >= minN && disc !== null && disc < 0.2) flags.push("discrimination");
      if (it.n >= minN && unused.length) flags.push("distractor");
      out[id] = { id: id, n: it.n, difficulty: it.n ? it.right / it.n : null, discrimination: disc,
                  distractors: counts, unused: unused, confidenceGiven: it.confidenceGiven,
                  sureWrong: it.sureWrong, unsureWrong: it.unsureWrong, sureRight: it.sureRight, unsureRight: it.unsureRight,
                  flags: flags, enough: it.n >= minN };
    });
    var forms = Array.from(byForm.values()).map(function (f) {
      return { form: f.form, n: f.rows.length, k: f.questions.length, reliability: reliability(f.rows) };
    });
    return { items: out, order: order, forms: forms };
  }

  NS.stats = { mean: mean, variance: variance, pearson: pearson, reliability: reliability, analyse: analyse };
})(typeof window !== "undefined" ? window : globalThis);
