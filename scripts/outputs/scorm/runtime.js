/* Partenariat: the SCORM 1.2 runtime of the launcher page (scorm.html, at the package root).
 *
 * The launcher is the SCO. It finds the platform’s API object, calls LMSInitialize once and keeps
 * that session open while the course (cours/…) is shown in an iframe: moving between course pages
 * never initialises again. The launcher loads the course’s progress store (cours/…/store.js), the only
 * code that touches localStorage, after this script has opened the session: the store is scoped per
 * learner (window.PARTENARIAT_STORE_SCOPE, "lms:<cmi.core.student_id, URI-encoded>", which the course’s
 * frame reads from its parent), so that on a shared browser one learner’s progress never reaches another’s
 * record; a platform that names no learner gets a scope of its own for each launch, emptied once the
 * platform holds everything. At start, what the platform keeps in cmi.suspend_data is merged into this
 * learner’s store (newer wins, nothing local is dropped); afterwards every change of the store (the course
 * frame’s writes arrive as `storage` events) is written back: cmi.suspend_data, cmi.core.lesson_status,
 * the final assessment’s score, then LMSCommit. LMSFinish is called once, when the launcher is closed.
 * A cmi.suspend_data this runtime cannot read (a newer format, or damaged) is left exactly as it is, and
 * so are the status and score: the learner is told, and the session’s progress stays in this browser.
 *
 * Failures never destroy progress and are never silent: an error reading cmi.suspend_data is an error,
 * not empty data (local progress is kept and the platform’s copy is not overwritten until it has been
 * read); failed LMSSetValue/LMSCommit are retried and shown; whatever the platform does (errors,
 * exceptions), the course frame loads.
 *
 * cmi.suspend_data, format P2 (ASCII; SCORM 1.2 allows 4,096 characters):
 *   "P2|<stamp>|<reset>|<groups>|<extras>"
 * stamp: when it was written, reset: the store’s reset date (ms, base 36). Groups, joined by ";", are
 * "<fingerprint>:<chars>", the fingerprint identifying the group’s kind and list of ids (so that a
 * reordered or edited course never misreads old data); trailing empty entries are left out:
 * - answers of a lesson or of the final assessment: 2 characters per question, the state (0 not
 *   answered, 1 right first time and last time, 2 right then wrong, 3 wrong then right, 4 wrong both
 *   times) and the last score in tenths (0…a, base 36), so that partly right matching/ordering
 *   answers keep their score;
 * - checklist of a lesson: 1 character per item, 1 when ticked;
 * - reviews of a lesson’s or the final’s questions: per question "_" (none) or 8 characters: due day
 *   (days since 1970, 3), interval in days (2, at most 1295), ease in tenths minus 10 (1, 1.0…4.5),
 *   repetitions (1, at most 35), lapses (1, at most 35).
 * - self-ratings of a lesson's written answers (redaction): per question "_" (none) or one character per criterion
 *   of its rubric, in order: 0 pas atteint, 1 en partie, 2 atteint, "-" not rated. The text itself is not kept
 *   (it would not fit): the platform restores the self-rating, this browser keeps the text.
 * extras: ids outside the course index (task lists inside a lesson’s text), "a:id=<state><score>" and
 * "c:id", dropped first if the budget is exceeded. The chosen options of lesson answers are not kept
 * (the platform restores what was right or wrong, not which box was ticked).
 * The sealed final (final.js) travels in the extras too, so that an attempt follows the learner to another
 * device (packages that predate these entries skip them: an extra they do not know is ignored):
 * - "l:<learner uuid>~<made, ms base 36>": the pseudonymous learner id a correction code is bound to;
 * - "f:" + fields joined by "~", one entry per attempt, never dropped to fit the budget:
 *   attempt uuid, n (base 36), started and handed in (ms base 36, "" when not), form id, the pool's fingerprint
 *   (positions are read only against the same pool), the form's questions as positions in the pool (2 base-36
 *   characters each), the answers in the form's order joined by "*" ("" when not answered: "s" sûr or "p"
 *   pas sûr, seconds since started in base 36, ".", the values joined by "!": a place shown as its digits,
 *   a matching option as "o" + its place in the item's options, any other text as "t" + its start
 *   percent-encoded ("+" for a space) in at most FREE_TEXT characters), then the verified result's correction
 *   code ("" when none; "=" + score.passed.passMark.items' count.items in hex.k.issued.signature when its
 *   payload, written again from these and the entries as correction.js writes it, is the same). Free text (fill-in blanks) is the only unbounded answer: the platform keeps its first
 *   40 characters of plain ASCII, fewer with accents (6 each); this browser keeps it whole.
 *   If the record still exceeds the budget once the extras are gone, earlier attempts travel without their
 *   answers (id, n, form, dates and code kept); the current attempt always travels whole.
 * Format P1 (earlier packages) is still read.
 */
(function () {
  "use strict";

  var START = "cours/index.html";
  var MAX_SUSPEND = 4096;
  var RETRY_MS = 5000;
  var RANK = { "": 0, "not attempted": 0, "browsed": 0, "incomplete": 1, "completed": 2, "failed": 3, "passed": 3 };
  var CODES = { "1": [true, true], "2": [true, false], "3": [false, true], "4": [false, false] };
  var DAY = 86400000;
  var FREE_TEXT = 40;  /* escaped characters of a free-text answer of the final kept on the platform (see above) */
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  var course = window.PARTENARIAT_COURSE || { lessons: [], final: { questions: [] }, passMark: 70 };
  var store = null;  /* loaded after this script, once the learner’s scope is known */
  var frame = document.getElementById("course");
  var statusBox = document.querySelector(".scorm-status");

  var api = null;
  var initialised = false;
  var finished = false;
  var startedAt = Date.now();
  var lmsStatus = "";
  var lastData = null;
  var lastScore = null;
  var lastForm = "";
  var platformRead = false;
  var foreign = false;    /* cmi.suspend_data in a format this runtime cannot read: left untouched */
  var anonymous = false;  /* the platform named no learner: this launch’s own scope */
  var dirty = false;
  var lastTry = 0;
  var messages = {};

  /* ---------- the course’s lists of ids, in groups ---------- */

  function fingerprint(text) {
    var hash = 5381;
    for (var i = 0; i < text.length; i++) hash = ((hash << 5) + hash + text.charCodeAt(i)) | 0;
    return ("00000" + (hash >>> 0).toString(36)).slice(-6);
  }

  function groups() {
    var list = [];
    var questionLists = (course.lessons || []).map(function (lesson) { return { name: lesson.slug, ids: lesson.questions || [] }; });
    questionLists.push({ name: "final", ids: (course.final && course.final.questions) || [] });
    questionLists.forEach(function (q) { list.push({ kind: "a", name: q.name, ids: q.ids }); });
    (course.lessons || []).forEach(function (lesson) {
      list.push({ kind: "c", name: lesson.slug, ids: lesson.checks || [] });
    });
    questionLists.forEach(function (q) { list.push({ kind: "r", name: q.name, ids: q.ids }); });
    (course.lessons || []).forEach(function (lesson) {
      /* the rubric's criteria are part of the ids: a changed rubric is never misread */
      var ids = (lesson.written || []).map(function (id) { return id + "=" + rubricOf(id).join("."); });
      if (ids.length) list.push({ kind: "w", name: lesson.slug, ids: lesson.written, sig: ids });
    });
    list.forEach(function (group) {
      group.key = fingerprint(group.kind + ":" + group.name + ":" + (group.sig || group.ids).join(","));
    });
    return list;
  }

  function firstOk(answer) { return answer.first !== undefined ? answer.first : answer.ok; }

  /* ---------- written answers: only the self-rating goes to the platform ---------- */

  function rubricOf(id) {
    var r = course.rubrics && Object.prototype.hasOwnProperty.call(course.rubrics, id) ? course.rubrics[id] : null;
    return Array.isArray(r) ? r : [];
  }
  function isWritten(answer) { return !!answer && typeof answer.text === "string" && !!answer.selfRating; }

  function writtenCode(id, answer) {
    return rubricOf(id).map(function (c) {
      var v = Object.prototype.hasOwnProperty.call(answer.selfRating, c) ? answer.selfRating[c] : null;
      return v === 0 || v === 1 || v === 2 ? String(v) : "-";
    }).join("");
  }

  /* `text`: this browser's copy of the text, if any (the platform does not keep it). */
  function writtenOf(id, code, t, text) {
    var rubric = rubricOf(id);
    if (code.length !== rubric.length || !/^[012-]*$/.test(code)) return null;
    var rating = {};
    rubric.forEach(function (c, i) { if (code.charAt(i) !== "-") rating[c] = Number(code.charAt(i)); });
    return { text: text || "", selfRating: rating, t: t };
  }

  function codeOf(answer) {
    var first = firstOk(answer);
    var last = answer.ok;
    var score = typeof answer.score === "number" ? answer.score : (last ? 1 : 0);
    var tenths = Math.max(0, Math.min(10, Math.round(score * 10)));
    return (first ? (last ? "1" : "2") : (last ? "3" : "4")) + tenths.toString(36);
  }

  function answerOf(code, t) {
    var state = CODES[code.charAt(0)];
    var tenths = parseInt(code.charAt(1), 36);
    if (!state || !(tenths >= 0 && tenths <= 10)) return null;
    return { v: [], ok: state[1], first: state[0], score: tenths / 10, n: 1, t: t };
  }

  function pad(text, width) { return ("000" + text).slice(-width); }
  function clamp(n, low, high) { return Math.max(low, Math.min(high, Math.round(n))); }

  function reviewCode(r) {
    var day = Math.floor(Date.parse(r.due + "T00:00:00Z") / DAY);
    return pad(clamp(day, 0, 46655).toString(36), 3) + pad(clamp(r.ivl, 0, 1295).toString(36), 2) +
      clamp(r.ease * 10 - 10, 0, 35).toString(36) + clamp(r.reps, 0, 35).toString(36) + clamp(r.lapses, 0, 35).toString(36);
  }

  function reviewOf(code, t) {
    if (!/^[0-9a-z]{8}$/.test(code)) return null;
    var day = parseInt(code.slice(0, 3), 36);
    return {
      due: new Date(day * DAY).toISOString().slice(0, 10), ivl: parseInt(code.slice(3, 5), 36),
      ease: (parseInt(code.charAt(5), 36) + 10) / 10, reps: parseInt(code.charAt(6), 36),
      lapses: parseInt(code.charAt(7), 36), t: t
    };
  }

  /* ---------- the sealed final's attempts (final.js: bucket `final`, profile `learner`) ---------- */

  function finalPool() { return (course.final && course.final.questions) || []; }
  function finalItem(q) {
    var items = (course.final && course.final.items) || {};
    return Object.prototype.hasOwnProperty.call(items, q) ? items[q] : {};
  }
  function poolKey() { return fingerprint("final-pool:" + finalPool().join(",")); }

  /* Percent-encoded, with the characters encodeURIComponent leaves that the codec uses as separators. */
  function escapeText(text) {
    return encodeURIComponent(text).replace(/[.!~*'()]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    }).replace(/%20/g, "+");
  }

  /* The longest start of `text` whose escaped form takes at most FREE_TEXT characters. */
  function boundedText(text) {
    var out = "";
    var chars = Array.from(text);
    for (var i = 0; i < chars.length; i++) {
      var next = escapeText(chars.slice(0, i + 1).join(""));
      if (next.length > FREE_TEXT) break;
      out = next;
    }
    return out;
  }

  function valueCode(q, value) {
    var options = finalItem(q).options;
    if (/^[0-9]{1,3}$/.test(value)) return value;
    var at = Array.isArray(options) ? options.indexOf(value) : -1;
    if (at >= 0) return "o" + at;
    return "t" + boundedText(value);
  }

  function valueOf(q, code) {
    if (/^[0-9]{1,3}$/.test(code)) return code;
    var options = finalItem(q).options;
    if (/^o[0-9]+$/.test(code)) {
      var i = Number(code.slice(1));
      return Array.isArray(options) && i < options.length ? options[i] : null;
    }
    if (code.charAt(0) === "t") {
      try { return decodeURIComponent(code.slice(1).replace(/\+/g, "%20")); } catch (e) { return null; }
    }
    return null;
  }

  function ms(text) {
    if (!text) return null;
    var t = Date.parse(text);
    return isNaN(t) ? null : t;
  }

  /* One attempt as an "f:" entry; `bare`: without its answers (an earlier attempt when the budget is short). */
  function attemptCode(id, a, bare, learner) {
    var pool = finalPool();
    var started = ms(a.started) || 0;
    var places = a.questions.map(function (q) { return pool.indexOf(q); });
    if (!UUID.test(id) || places.some(function (p) { return p < 0 || p > 1295; })) return null;
    var answers = bare ? "" : a.questions.map(function (q) {
      var x = a.answers && Object.prototype.hasOwnProperty.call(a.answers, q) ? a.answers[q] : null;
      if (!x) return "";
      var dt = Math.max(0, Math.round((x.t - started) / 1000));
      return (x.confidence === "sur" ? "s" : "p") + dt.toString(36) + "." +
        x.response.map(function (v) { return valueCode(q, String(v)); }).join("!");
    }).join("*").replace(/\*+$/, "");
    var code = a.result && a.result.via === "code" && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(a.result.code || "") ?
      codeField(a.result.code, learner, id, a.form) : "";
    return "f:" + [id, a.n.toString(36), started.toString(36), a.handedIn ? (ms(a.handedIn) || 0).toString(36) : "",
                   /^[A-Za-z0-9]{1,12}$/.test(a.form) ? a.form : "", poolKey(),
                   places.map(function (p) { return pad(p.toString(36), 2); }).join(""), answers, code].join("~");
  }

  function b64json(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = window.atob(s), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  function b64urlOf(text) {
    var bytes = new TextEncoder().encode(text), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return window.btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  /* A code's payload as correction.js writes it, from its fields: learner and attempt come from the entries. */
  function payloadText(learner, attempt, form, f) {
    return JSON.stringify({ v: 1, learner: learner, attempt: attempt, form: form, score: f.score, passed: f.passed,
                            passMark: f.passMark, items: f.items, k: f.k, issued: f.issued });
  }

  function packBits(bits) {
    var out = "";
    for (var i = 0; i < bits.length; i += 4) out += parseInt((bits.substr(i, 4) + "000").slice(0, 4), 2).toString(16);
    return out;
  }

  function unpackBits(hex, size) {
    var out = "";
    for (var i = 0; i < hex.length; i++) out += ("000" + parseInt(hex.charAt(i), 16).toString(2)).slice(-4);
    return out.slice(0, size);
  }

  /* A code in the record: "=" + its payload's own fields and its signature when the payload can be written again
     exactly from them (the learner and attempt of the entries), otherwise the code as it is. */
  function codeField(code, learner, attempt, form) {
    var parts = code.split(".");
    try {
      var p = b64json(parts[0]);
      if (/^[A-Za-z0-9_-]+$/.test(p.k) && /^\d{4}-\d{2}-\d{2}$/.test(p.issued) && /^[01]*$/.test(p.items) &&
          b64urlOf(payloadText(learner, attempt, form, p)) === parts[0]) {
        return "=" + [p.score, p.passed ? 1 : 0, p.passMark, p.items.length.toString(36), packBits(p.items), p.k,
                      p.issued, parts[1]].join(".");
      }
    } catch (e) { /* kept as it is */ }
    return code;
  }

  function codeFrom(field, learner, attempt, form) {
    if (field.charAt(0) !== "=") return field;
    var f = field.slice(1).split(".");
    if (f.length !== 8 || !learner) return "";
    var size = parseInt(f[3], 36);
    var fields = { score: Number(f[0]), passed: f[1] === "1", passMark: Number(f[2]), items: unpackBits(f[4], size),
                   k: f[5], issued: f[6] };
    return b64urlOf(payloadText(learner, attempt, form, fields)) + "." + f[7];
  }

  /* The result a code states (final.js trusts it only once its signature verifies again). */
  function resultOf(code) {
    try {
      var p = b64json(code.split(".")[0]);
      if (typeof p.score !== "number" || typeof p.passed !== "boolean" || typeof p.passMark !== "number" ||
          typeof p.items !== "string" || !/^[01]*$/.test(p.items)) return null;
      return { score: p.score, passed: p.passed, passMark: p.passMark, items: p.items, via: "code", code: code };
    } catch (e) {
      return null;
    }
  }

  /* [id, attempt] from an "f:" entry, or null (another pool: unknown); `t` the record's time. */
  function attemptOf(entry, t, learner) {
    var f = entry.split("~");
    if (f.length !== 9 || !UUID.test(f[0]) || f[5] !== poolKey() || f[6].length % 2) return null;
    var pool = finalPool();
    var started = parseInt(f[2], 36) || 0;
    var questions = [];
    for (var i = 0; i < f[6].length; i += 2) {
      var place = parseInt(f[6].substr(i, 2), 36);
      if (!(place >= 0 && place < pool.length)) return null;
      questions.push(pool[place]);
    }
    var answers = {};
    (f[7] ? f[7].split("*") : []).forEach(function (cell, k) {
      var m = /^([sp])([0-9a-z]+)\.(.*)$/.exec(cell);
      if (!m || k >= questions.length) return;
      var q = questions[k];
      var values = m[3] ? m[3].split("!").map(function (v) { return valueOf(q, v); }) : [];
      if (values.some(function (v) { return v === null; })) return;
      answers[q] = { response: values, confidence: m[1] === "s" ? "sur" : "pas-sur",
                     t: started + parseInt(m[2], 36) * 1000 };
    });
    var handed = f[3] ? parseInt(f[3], 36) : 0;
    return [f[0], { n: parseInt(f[1], 36) || 1, form: f[4], questions: questions,
                    started: new Date(started).toISOString(), answers: answers,
                    handedIn: handed ? new Date(handed).toISOString() : null,
                    result: f[8] ? resultOf(codeFrom(f[8], learner, f[0], f[4])) : null, t: t }];
  }

  /* The attempts' entries, the current (last) one whole; earlier ones without answers when `short`. */
  function finalEntries(state, short) {
    var list = Object.keys(state.final || {}).map(function (id) { return [id, state.final[id]]; })
      .filter(function (p) { return p[1] && !p[1].deleted && Array.isArray(p[1].questions); })
      .sort(function (x, y) { return x[1].n - y[1].n || (x[1].started < y[1].started ? -1 : 1); });
    var out = [];
    var learner = state.learner;
    if (learner && UUID.test(learner.value)) out.push("l:" + learner.value + "~" + (learner.t || 0).toString(36));
    list.forEach(function (p, i) {
      var entry = attemptCode(p[0], p[1], short && i < list.length - 1, learner ? learner.value : "");
      if (entry) out.push(entry);
    });
    return out;
  }

  /* The form the learner is answering, for cmi.core.lesson_location: the latest attempt's. */
  function currentForm(state) {
    var best = null;
    Object.keys(state.final || {}).forEach(function (id) {
      var a = state.final[id];
      if (a && !a.deleted && typeof a.form === "string" && (!best || a.n > best.n)) best = a;
    });
    return best ? best.form : "";
  }

  /* ---------- cmi.suspend_data ---------- */

  /* `state`: {answers, checks, reviews: {id: item}, reset: ms}. */
  function encode(state) {
    var answers = state.answers || {};
    var checks = state.checks || {};
    var reviews = state.reviews || {};
    var has = function (obj, id) { return Object.prototype.hasOwnProperty.call(obj, id); };
    var known = new Set();
    var parts = [];
    groups().forEach(function (group) {
      var cells = group.ids.map(function (id) {
        known.add(group.kind + id);
        if (group.kind === "a") return has(answers, id) ? codeOf(answers[id]) : "00";
        if (group.kind === "c") return has(checks, id) && checks[id].on ? "1" : "0";
        if (group.kind === "w") return has(answers, id) && isWritten(answers[id]) ? writtenCode(id, answers[id]) : "_";
        return has(reviews, id) ? reviewCode(reviews[id]) : "_";
      }).join("");
      cells = cells.replace(group.kind === "a" ? /(00)+$/ : group.kind === "c" ? /0+$/ : /_+$/, "");
      if (cells) parts.push(group.key + ":" + cells);
    });
    var extras = [];
    Object.keys(answers).forEach(function (id) {
      if (!known.has("a" + id) && !known.has("w" + id) && !isWritten(answers[id]) && /^[\w\/-]+$/.test(id)) extras.push("a:" + id + "=" + codeOf(answers[id]));
    });
    Object.keys(checks).forEach(function (id) {
      if (!known.has("c" + id) && checks[id].on && /^[\w\/-]+$/.test(id)) extras.push("c:" + id);
    });
    var head = ["P2", Date.now().toString(36), (state.reset || 0).toString(36), parts.join(";")].join("|") + "|";
    var kept = finalEntries(state, false);
    var size = function () { return (head + kept.concat(extras).join(",")).length; };
    while (size() > MAX_SUSPEND && extras.length) extras.pop();
    if (size() > MAX_SUSPEND) kept = finalEntries(state, true);
    return head + kept.concat(extras).join(",");
  }

  /* {answers, checks, reviews: {id: item}, reset, stamp, unknownGroups} or null when `data` is no progress. */
  function decode(data) {
    var text = String(data || "");
    var fields = text.split("|");
    var result = { answers: Object.create(null), checks: Object.create(null), reviews: Object.create(null),
                   final: Object.create(null), learner: null, reset: 0, stamp: 0, unknownGroups: 0 };
    var byKey = new Map();
    var body, extras, t;
    if (fields[0] === "P2" && fields.length === 5) {
      result.stamp = parseInt(fields[1], 36) || 0;
      result.reset = parseInt(fields[2], 36) || 0;
      body = fields[3];
      extras = fields[4];
    } else if (fields[0] === "P1" && fields.length === 3) {
      result.stamp = 1;
      body = fields[1];
      extras = fields[2];
    } else {
      return null;
    }
    t = Math.min(result.stamp, Date.now());
    groups().forEach(function (group) { byKey.set(group.key, group); });
    (body ? body.split(";") : []).forEach(function (part) {
      var bits = part.split(":");
      var group = byKey.get(bits[0]);
      if (fields[0] === "P1") {  /* P1: answers 1 digit, checks 1 digit, the fingerprints of its own groups */
        group = null;
        groups().forEach(function (g) {
          if (g.kind !== "r" && fingerprint(g.kind + ":" + g.name + ":" + g.ids.join(",")) === bits[0]) group = g;
        });
        if (group && group.kind === "a") {
          for (var k = 0; k < bits[1].length && k < group.ids.length; k++) {
            var d = bits[1].charAt(k);
            if (CODES[d]) result.answers[group.ids[k]] = answerOf(d + (CODES[d][1] ? "a" : "0"), t);
          }
          return;
        }
      }
      if (!group || bits.length !== 2) { result.unknownGroups++; return; }
      var cells = bits[1];
      group.ids.forEach(function (id, i) {
        if (group.kind === "a") {
          var a = cells.length >= 2 * i + 2 ? answerOf(cells.substr(2 * i, 2), t) : null;
          if (a) result.answers[id] = a;
        } else if (group.kind === "c") {
          if (cells.charAt(i) === "1") result.checks[id] = { on: true, t: t };
        }
      });
      if (group.kind === "w") {
        var at = 0;
        group.ids.forEach(function (id) {
          if (at >= cells.length) return;
          if (cells.charAt(at) === "_") { at++; return; }
          var size = rubricOf(id).length;
          var w = writtenOf(id, cells.substr(at, size), t, "");
          if (w) result.answers[id] = w;
          at += size;
        });
      }
      if (group.kind === "r") {
        var pos = 0;
        for (var j = 0; j < group.ids.length && pos < cells.length; j++) {
          if (cells.charAt(pos) === "_") { pos++; continue; }
          var r = reviewOf(cells.substr(pos, 8), t);
          if (r) result.reviews[group.ids[j]] = r;
          pos += 8;
        }
      }
    });
    var items = extras ? extras.split(",") : [];
    items.forEach(function (item) {  /* the learner first: the attempts' codes name them */
      if (fields[0] === "P2" && /^l:[0-9a-f-]{36}~[0-9a-z]+$/.test(item) && UUID.test(item.slice(2, 38))) {
        result.learner = { value: item.slice(2, 38), t: Math.min(parseInt(item.slice(39), 36), Date.now()) };
      }
    });
    items.forEach(function (item) {
      var answer = fields[0] === "P1" ? /^a:([\w\/-]+)=([1-4])$/.exec(item) : /^a:([\w\/-]+)=([1-4][0-9a])$/.exec(item);
      var check = /^c:([\w\/-]+)$/.exec(item);
      if (fields[0] === "P2" && item.indexOf("f:") === 0) {
        var attempt = attemptOf(item.slice(2), t, result.learner ? result.learner.value : "");
        if (attempt) result.final[attempt[0]] = attempt[1]; else result.unknownGroups++;
      } else if (answer) {
        var code = fields[0] === "P1" ? answer[2] + (CODES[answer[2]][1] ? "a" : "0") : answer[2];
        result.answers[answer[1]] = answerOf(code, t);
      } else if (check) {
        result.checks[check[1]] = { on: true, t: t };
      }
    });
    return result;
  }

  /* ---------- what the platform records ---------- */

  function summary(state) {
    var answers = state.answers || {};
    var got = function (id) { return Object.prototype.hasOwnProperty.call(answers, id) ? answers[id] : null; };
    var lessonIds = [];
    (course.lessons || []).forEach(function (lesson) { lessonIds = lessonIds.concat(lesson.questions || []); });
    var allLessons = lessonIds.length > 0 && lessonIds.every(function (id) { return !!got(id); });
    /* a sealed final (learners' editions) is never scored in the package: its key is not there (sealed.py) */
    var finalIds = (course.final && !course.final.sealed && course.final.questions) || [];
    var answered = 0;
    var correct = 0;
    finalIds.forEach(function (id) {
      var answer = got(id);
      if (answer) { answered++; if (firstOk(answer)) correct++; }
    });
    if (finalIds.length && answered === finalIds.length) {
      var score = Math.round(100 * correct / finalIds.length);
      return { status: score >= course.passMark ? "passed" : "failed", score: score };
    }
    return { status: allLessons ? "completed" : "incomplete", score: null };
  }

  /* The store’s content as plain objects (null prototype: no id can reach Object.prototype). */
  function current() {
    var state = { answers: Object.create(null), checks: Object.create(null), reviews: Object.create(null), reset: 0 };
    if (!store) return state;
    ["answers", "checks", "reviews"].forEach(function (name) {
      store.all(name).forEach(function (pair) { state[name][pair[0]] = pair[1]; });
    });
    state.final = Object.create(null);
    try {
      store.all("final").forEach(function (pair) { state.final[pair[0]] = pair[1]; });
    } catch (e) { /* no final bucket in this edition */ }
    var learner = store.get("profile", "learner");
    state.learner = learner ? { value: learner.value, t: learner.t } : null;
    state.reset = store.resetDate ? store.resetDate() : 0;
    return state;
  }

  function say(kind, text) {
    if (text) messages[kind] = text; else delete messages[kind];
    if (!statusBox) return;
    var all = Object.keys(messages).map(function (k) { return messages[k]; });
    statusBox.textContent = all.join(" ");
    statusBox.hidden = !all.length;
  }

  function lastError() {
    try { return String(api.LMSGetLastError()); } catch (e) { return "?"; }
  }

  /* {ok, value, error}: an error code other than 0 is an error, not empty data. */
  function read(name) {
    try {
      var value = api.LMSGetValue(name);
      var error = lastError();
      if (error !== "0" && error !== "") return { ok: false, error: error };
      return { ok: true, value: value === null || value === undefined ? "" : String(value) };
    } catch (e) {
      return { ok: false, error: "exception" };
    }
  }

  function set(name, value) {
    try {
      if (String(api.LMSSetValue(name, String(value))) === "true") return true;
    } catch (e) { /* reported below */ }
    return false;
  }

  function commitLMS() {
    try { return String(api.LMSCommit("")) === "true"; } catch (e) { return false; }
  }

  /* Merges the platform’s copy into the store; until it could be read, cmi.suspend_data is not written. */
  function restore() {
    var got = read("cmi.suspend_data");
    if (!got.ok) {
      say("read", "La plateforme n’a pas pu transmettre votre progression enregistrée (erreur " + got.error + ") : " +
        "la progression de ce navigateur est conservée, et rien n’est écrasé sur la plateforme. Nouvel essai automatique.");
      return false;
    }
    platformRead = true;
    say("read", "");
    var saved = got.value ? decode(got.value) : null;
    if (got.value && !saved) {
      foreign = true;
      var version = /^P(\d+)\|/.exec(got.value);
      var newer = !!version && Number(version[1]) > 2;
      say("changed", (newer ?
        "Cette version du module ne sait pas lire la progression enregistrée sur la plateforme par une version plus " +
        "récente" :
        "La progression enregistrée sur la plateforme est dans un format que ce module ne sait pas lire") +
        " : elle est laissée intacte, et rien de cette séance n’y sera enregistré (vos réponses restent dans ce " +
        "navigateur). " + (newer ? "Pour retrouver votre progression, ouvrez la version la plus récente du module." :
        "Signalez-le à votre formateur ou à votre formatrice."));
      return true;
    }
    if (!saved || !store) return true;
    var local = current();
    var data = { reset: saved.reset, buckets: { answers: {}, checks: {}, reviews: {} } };
    Object.keys(saved.answers).forEach(function (id) {
      var mine = Object.prototype.hasOwnProperty.call(local.answers, id) ? local.answers[id] : null;
      if (isWritten(saved.answers[id])) {  /* the platform's self-rating, with this browser's text when it has one */
        if (mine && isWritten(mine) && writtenCode(id, mine) === writtenCode(id, saved.answers[id])) return;
        data.buckets.answers[id] = writtenOf(id, writtenCode(id, saved.answers[id]), saved.answers[id].t,
                                             mine && isWritten(mine) ? mine.text : "");
        return;
      }
      if (mine && codeOf(mine) === codeOf(saved.answers[id])) return;  /* the same: keep this browser’s copy (choices) */
      data.buckets.answers[id] = saved.answers[id];
    });
    Object.keys(saved.checks).forEach(function (id) {
      var mine = Object.prototype.hasOwnProperty.call(local.checks, id) ? local.checks[id] : null;
      if (!mine || !mine.on) data.buckets.checks[id] = saved.checks[id];
    });
    Object.keys(saved.reviews).forEach(function (id) {
      var mine = Object.prototype.hasOwnProperty.call(local.reviews, id) ? local.reviews[id] : null;
      if (!mine || reviewCode(mine) !== reviewCode(saved.reviews[id])) data.buckets.reviews[id] = saved.reviews[id];
    });
    Object.keys(saved.final).forEach(function (id) {
      var mine = Object.prototype.hasOwnProperty.call(local.final, id) ? local.final[id] : null;
      var theirs = saved.final[id];
      var lacking = !mine || Object.keys(theirs.answers).some(function (q) { return !mine.answers[q]; }) ||
        (theirs.handedIn && !mine.handedIn) || (theirs.result && !mine.result);
      if (!lacking) return;
      data.buckets.final = data.buckets.final || {};
      data.buckets.final[id] = theirs;  /* merged answer by answer by final.js's rule, a given answer never changes */
    });
    if (saved.learner && (!local.learner || local.learner.value !== saved.learner.value)) {
      data.buckets.profile = { learner: { value: saved.learner.value, t: saved.learner.t } };
    }
    var result = store.mergeIn(data);
    if (!result.ok) say("local", "La progression reçue de la plateforme n’a pas pu être enregistrée dans ce navigateur : " + result.message);
    if (saved.unknownGroups) {
      say("changed", "Le module a changé depuis votre dernière visite : une partie de vos réponses précédentes n’a pas pu être reprise.");
    }
    return true;
  }

  function sync(force) {
    if (!initialised || finished) return;
    lastTry = Date.now();
    if (!platformRead) restore();
    var state = current();
    var failed = [];
    var changed = false;
    if (foreign) return;  /* nothing is claimed over a record this runtime cannot read */
    if (platformRead) {
      var data = encode(state);
      var body = data.split("|").slice(2).join("|");  /* without the stamp */
      if (force || body !== lastData) {
        if (set("cmi.suspend_data", data)) { lastData = body; changed = true; } else failed.push("cmi.suspend_data " + lastError());
      }
    }
    var form = currentForm(state);
    if (form !== lastForm) {
      if (set("cmi.core.lesson_location", form)) { lastForm = form; changed = true; } else failed.push("lesson_location " + lastError());
    }
    var now = summary(state);
    if (now.status !== lmsStatus && RANK[now.status] >= (RANK[lmsStatus] || 0)) {
      if (set("cmi.core.lesson_status", now.status)) { lmsStatus = now.status; changed = true; } else failed.push("lesson_status " + lastError());
    }
    if (now.score !== null && String(now.score) !== lastScore) {
      set("cmi.core.score.min", "0");
      set("cmi.core.score.max", "100");
      if (set("cmi.core.score.raw", String(now.score))) { lastScore = String(now.score); changed = true; } else failed.push("score " + lastError());
    }
    if ((changed || force || dirty) && !commitLMS()) failed.push("LMSCommit " + lastError());
    if (failed.length) {
      if (failed.some(function (f) { return f.indexOf("cmi.suspend_data") === 0; })) lastData = null;
      dirty = true;
      say("write", "La plateforme n’a pas enregistré votre progression (" + failed.join(", ") + ") : nouvel essai " +
        "automatique. Votre progression reste enregistrée dans ce navigateur ; ne fermez pas le module avant que ce " +
        "message ait disparu, ou exportez votre progression depuis « Mon parcours ».");
    } else if (dirty) {
      dirty = false;
      say("write", "");
    }
  }

  function sessionTime() {
    var seconds = Math.max(0, Math.round((Date.now() - startedAt) / 1000));
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return two(Math.min(9999, Math.floor(seconds / 3600))) + ":" + two(Math.floor(seconds / 60) % 60) + ":" + two(seconds % 60);
  }

  function finish() {
    if (!initialised || finished) return;
    try {
      sync(true);
      set("cmi.core.exit", "suspend");
      set("cmi.core.session_time", sessionTime());
      commitLMS();
      api.LMSFinish("");
    } catch (e) { /* the platform failed: nothing more can be done while the window closes */ }
    finished = true;
    /* A nameless learner’s copy is of no use to the next launch once the platform holds everything. */
    if (anonymous && store && platformRead && !foreign && !dirty) {
      try { window.localStorage.removeItem(store.key); } catch (e) { /* storage unavailable: nothing was kept */ }
    }
  }

  /* ---------- the platform’s API object: the parents' chain, then the opener’s ---------- */

  function apiIn(win) {
    for (var tries = 0; win && tries < 500; tries++) {
      try { if (win.API) return win.API; } catch (e) { /* a window of another origin: keep climbing */ }
      var parent = null;
      try { parent = win.parent; } catch (e) { parent = null; }
      if (!parent || parent === win) break;
      win = parent;
    }
    return null;
  }

  function findAPI() {
    var found = apiIn(window);
    try { if (!found && window.opener) found = apiIn(window.opener); } catch (e) { found = null; }
    try { if (!found && window.top && window.top.opener) found = apiIn(window.top.opener); } catch (e) { found = null; }
    return found;
  }

  /* The launcher may be given a page to open: scorm.html?page=definitions.html#quiz */
  function startPage() {
    var wanted = /[?&]page=([a-z0-9-]+\.html)/.exec(window.location.search);
    return wanted ? "cours/" + wanted[1] + window.location.hash : START;
  }

  /* The learner’s scope of the progress store: this learner’s own, or this launch’s when the platform names nobody. */
  function learnerScope() {
    var id = read("cmi.core.student_id");
    try { if (id.ok && id.value) return "lms:" + encodeURIComponent(id.value); } catch (e) { /* a lone surrogate: nobody named */ }
    anonymous = true;
    return "lms-anonyme:" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }

  /* Runs as the launcher is parsed, before the store loads: opens the session and names the store’s scope. */
  function connect() {
    api = findAPI();
    if (!api) {
      say("lms", "Aucune plateforme de formation (LMS) n’a été détectée : votre progression reste enregistrée dans ce navigateur seulement.");
      return;
    }
    var opened = false;
    try { opened = String(api.LMSInitialize("")) === "true"; } catch (e) { opened = false; }
    if (!opened) {
      say("lms", "La plateforme n’a pas ouvert la session (erreur " + lastError() + ") : votre progression reste " +
        "enregistrée dans ce navigateur, mais ne lui sera pas transmise.");
      api = null;
      return;
    }
    initialised = true;
    window.PARTENARIAT_STORE_SCOPE = learnerScope();
    var status = read("cmi.core.lesson_status");
    lmsStatus = status.ok ? status.value : "";
    var location = read("cmi.core.lesson_location");
    lastForm = location.ok ? location.value : "";
  }

  /* Runs once the store has loaded (DOMContentLoaded): merges the platform’s copy, then keeps it up to date. */
  function begin() {
    restore();
    if (!foreign && !RANK[lmsStatus] && set("cmi.core.lesson_status", "incomplete")) lmsStatus = "incomplete";
    sync(true);
    if (store) store.on(function () { sync(false); });
    window.setInterval(function () {
      if ((dirty || !platformRead) && Date.now() - lastTry >= RETRY_MS) sync(false);
    }, 1000);
    frame.addEventListener("load", function () { sync(false); });
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
  }

  function start() {
    var failed = function () {
      say("lms", "La plateforme a rencontré une erreur : votre progression reste enregistrée dans ce navigateur.");
    };
    try { connect(); } catch (e) { failed(); }
    var run = function () {
      try {
        store = (window.Partenariat && window.Partenariat.store) || null;
        if (!store) say("store", "Le module n’a pas pu charger son enregistrement de la progression.");
        if (initialised) begin();
      } catch (e) {
        failed();
      } finally {
        frame.src = startPage();  /* whatever the platform did */
      }
    };
    /* The launcher loads the store after this script: it starts once the page is parsed. */
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
  }

  window.partenariatScorm = {
    encode: encode,
    decode: decode,
    summary: summary,
    current: current,
    sync: function () { sync(false); },
    finish: finish
  };

  start();
})();
