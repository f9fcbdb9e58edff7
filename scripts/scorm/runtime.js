/* Partenariat: the SCORM 1.2 runtime of the launcher page (scorm.html, at the package root).
 *
 * The launcher is the SCO. It finds the platform's API object, calls LMSInitialize once and keeps
 * that session open while the course (cours/…) is shown in an iframe: moving between course pages
 * never initialises again. Before the course loads, the learner's progress is restored from
 * cmi.suspend_data into localStorage, where progress.js keeps it. Afterwards every change of that
 * record (a `storage` event from the iframe, or a check every second) is written back: a compact
 * cmi.suspend_data, cmi.core.lesson_status, the final assessment's score, then LMSCommit.
 * LMSFinish is called once, when the launcher is closed.
 *
 * cmi.suspend_data ("P1|groups|extras", ASCII, far below 4,096 characters): one group per lesson's
 * questions, per lesson's checklist and for the final assessment, written "fingerprint:digits" where
 * the fingerprint identifies the group's list of ids (so that a reordered or edited course never
 * misreads old data) and each digit is a question's state in that list: 0 not answered, 1 right
 * first time and last time, 2 right then wrong, 3 wrong then right, 4 wrong both times (a checklist
 * digit is 1 when ticked). Groups with nothing in them are left out; ids outside the course index
 * (checklists inside a lesson's text) follow as "a:id=digit" and "c:id".
 */
(function () {
  "use strict";

  var KEY = "partenariat:progress:v1";
  var START = "cours/index.html";
  var FORMAT = "P1";
  var MAX_SUSPEND = 4096;
  var RANK = { "": 0, "not attempted": 0, "browsed": 0, "incomplete": 1, "completed": 2, "failed": 3, "passed": 3 };
  var CODES = { "1": [true, true], "2": [true, false], "3": [false, true], "4": [false, false] };
  var course = window.PARTENARIAT_COURSE || { lessons: [], final: { questions: [] }, passMark: 70 };
  var frame = document.getElementById("course");
  var statusBox = document.querySelector(".scorm-status");

  var api = null;
  var initialised = false;
  var finished = false;
  var startedAt = Date.now();
  var lmsStatus = "";
  var lastRaw;
  var lastData = null;
  var lastScore = null;

  /* ---------- the course's lists of ids, in groups ---------- */

  function fingerprint(text) {
    var hash = 5381;
    for (var i = 0; i < text.length; i++) hash = ((hash << 5) + hash + text.charCodeAt(i)) | 0;
    return ("00000" + (hash >>> 0).toString(36)).slice(-6);
  }

  function groups() {
    var list = [];
    (course.lessons || []).forEach(function (lesson) {
      list.push({ kind: "a", name: lesson.slug, ids: lesson.questions || [] });
    });
    list.push({ kind: "a", name: "final", ids: (course.final && course.final.questions) || [] });
    (course.lessons || []).forEach(function (lesson) {
      list.push({ kind: "c", name: lesson.slug, ids: lesson.checks || [] });
    });
    list.forEach(function (group) { group.key = fingerprint(group.kind + ":" + group.name + ":" + group.ids.join(",")); });
    return list;
  }

  function codeOf(answer) {
    var last = answer.last === undefined ? answer.ok : answer.last;
    return answer.ok ? (last ? "1" : "2") : (last ? "3" : "4");
  }

  /* ---------- cmi.suspend_data ---------- */

  function encode(state) {
    var known = {};
    var parts = [];
    groups().forEach(function (group) {
      var digits = group.ids.map(function (id) {
        known[group.kind + id] = true;
        if (group.kind === "a") return state.answers[id] ? codeOf(state.answers[id]) : "0";
        return state.checks[id] ? "1" : "0";
      }).join("").replace(/0+$/, "");
      if (digits) parts.push(group.key + ":" + digits);
    });
    var extras = [];
    Object.keys(state.answers || {}).forEach(function (id) {
      if (!known["a" + id] && /^[\w\/-]+$/.test(id)) extras.push("a:" + id + "=" + codeOf(state.answers[id]));
    });
    Object.keys(state.checks || {}).forEach(function (id) {
      if (!known["c" + id] && state.checks[id] && /^[\w\/-]+$/.test(id)) extras.push("c:" + id);
    });
    var head = FORMAT + "|" + parts.join(";") + "|";
    while ((head + extras.join(",")).length > MAX_SUSPEND && extras.length) extras.pop();
    return head + extras.join(",");
  }

  function decode(data) {
    var fields = String(data || "").split("|");
    if (fields[0] !== FORMAT || fields.length !== 3) return null;
    var result = { answers: {}, checks: {}, unknownGroups: 0 };
    var byKey = {};
    groups().forEach(function (group) { byKey[group.key] = group; });
    (fields[1] ? fields[1].split(";") : []).forEach(function (part) {
      var bits = part.split(":");
      var group = byKey[bits[0]];
      if (!group || bits.length !== 2) { result.unknownGroups++; return; }
      for (var i = 0; i < bits[1].length && i < group.ids.length; i++) {
        var digit = bits[1].charAt(i);
        if (group.kind === "a" && CODES[digit]) {
          result.answers[group.ids[i]] = { ok: CODES[digit][0], last: CODES[digit][1], v: [], n: 1 };
        } else if (group.kind === "c" && digit === "1") {
          result.checks[group.ids[i]] = true;
        }
      }
    });
    (fields[2] ? fields[2].split(",") : []).forEach(function (item) {
      var answer = /^a:([\w\/-]+)=([1-4])$/.exec(item);
      var check = /^c:([\w\/-]+)$/.exec(item);
      if (answer) result.answers[answer[1]] = { ok: CODES[answer[2]][0], last: CODES[answer[2]][1], v: [], n: 1 };
      else if (check) result.checks[check[1]] = true;
    });
    return result;
  }

  /* ---------- what the platform records ---------- */

  function summary(state) {
    var lessonIds = [];
    (course.lessons || []).forEach(function (lesson) { lessonIds = lessonIds.concat(lesson.questions || []); });
    var allLessons = lessonIds.length > 0 && lessonIds.every(function (id) { return !!state.answers[id]; });
    var finalIds = (course.final && course.final.questions) || [];
    var answered = 0;
    var correct = 0;
    finalIds.forEach(function (id) {
      var answer = state.answers[id];
      if (answer) { answered++; if (answer.ok) correct++; }
    });
    if (finalIds.length && answered === finalIds.length) {
      var score = Math.round(100 * correct / finalIds.length);
      return { status: score >= course.passMark ? "passed" : "failed", score: score };
    }
    return { status: allLessons ? "completed" : "incomplete", score: null };
  }

  function say(text) {
    if (!statusBox) return;
    statusBox.textContent = text;
    statusBox.hidden = !text;
  }

  function get(name) {
    try { return String(api.LMSGetValue(name) || ""); } catch (e) { return ""; }
  }

  function set(name, value) {
    try { return String(api.LMSSetValue(name, String(value))) === "true"; } catch (e) { return false; }
  }

  function readState() {
    var raw = null;
    var state = null;
    try { raw = window.localStorage.getItem(KEY); } catch (e) { raw = null; }
    try { state = JSON.parse(raw); } catch (e) { state = null; }
    if (!state || typeof state !== "object" || typeof state.answers !== "object" || typeof state.checks !== "object" ||
        !state.answers || !state.checks) {
      state = { answers: {}, checks: {} };
    }
    return { raw: raw, state: state };
  }

  /* The platform is the reference: on a shared computer, this browser may hold someone else's answers.
   * What this browser knows more (the choices ticked) is kept only where it agrees with the platform. */
  function restore() {
    var saved = decode(get("cmi.suspend_data")) || { answers: {}, checks: {}, unknownGroups: 0 };
    var local = readState().state;
    var record = { schema: "partenariat-progress", version: 1, course: "partenariat", answers: {}, checks: saved.checks,
                   updated: new Date().toISOString() };
    Object.keys(saved.answers).forEach(function (id) {
      var mine = local.answers[id];
      var theirs = saved.answers[id];
      var agrees = mine && typeof mine === "object" && mine.ok === theirs.ok && Array.isArray(mine.v) &&
        (mine.last === undefined ? mine.ok : mine.last) === theirs.last;
      record.answers[id] = agrees ? mine : theirs;
    });
    try { window.localStorage.setItem(KEY, JSON.stringify(record)); } catch (e) { /* progress.js will say so */ }
    if (saved.unknownGroups) {
      say("Le module a changé depuis votre dernière visite : une partie de vos réponses précédentes n’a pas pu être reprise.");
    }
  }

  function sync(force) {
    if (!initialised || finished) return;
    var read = readState();
    if (!force && read.raw === lastRaw) return;
    lastRaw = read.raw;
    var changed = false;
    var data = encode(read.state);
    if (data !== lastData && set("cmi.suspend_data", data)) { lastData = data; changed = true; }
    var now = summary(read.state);
    if (now.status !== lmsStatus && RANK[now.status] >= (RANK[lmsStatus] || 0) && set("cmi.core.lesson_status", now.status)) {
      lmsStatus = now.status;
      changed = true;
    }
    if (now.score !== null && String(now.score) !== lastScore) {
      set("cmi.core.score.min", "0");
      set("cmi.core.score.max", "100");
      if (set("cmi.core.score.raw", String(now.score))) { lastScore = String(now.score); changed = true; }
    }
    if (changed || force) api.LMSCommit("");
  }

  function sessionTime() {
    var seconds = Math.max(0, Math.round((Date.now() - startedAt) / 1000));
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(Math.min(9999, Math.floor(seconds / 3600))) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
  }

  function finish() {
    if (!initialised || finished) return;
    sync(true);
    set("cmi.core.exit", "suspend");
    set("cmi.core.session_time", sessionTime());
    api.LMSCommit("");
    api.LMSFinish("");
    finished = true;
  }

  /* ---------- the platform's API object: the parents' chain, then the opener's ---------- */

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

  function start() {
    api = findAPI();
    if (!api) {
      say("Aucune plateforme de formation (LMS) n’a été détectée : votre progression reste enregistrée dans ce navigateur seulement.");
    } else if (String(api.LMSInitialize("")) !== "true") {
      say("La plateforme n’a pas ouvert la session (erreur " + api.LMSGetLastError() + ") : votre progression ne lui sera pas transmise.");
      api = null;
    } else {
      initialised = true;
      lmsStatus = get("cmi.core.lesson_status");
      restore();
      if (!RANK[lmsStatus] && set("cmi.core.lesson_status", "incomplete")) lmsStatus = "incomplete";
      sync(true);
      window.addEventListener("storage", function (event) {
        if (event.key === null || event.key === KEY) sync(false);
      });
      window.setInterval(function () { sync(false); }, 1000);
      frame.addEventListener("load", function () { sync(false); });
      window.addEventListener("pagehide", finish);
      window.addEventListener("beforeunload", finish);
    }
    frame.src = startPage();
  }

  window.partenariatScorm = {
    encode: encode,
    decode: decode,
    summary: summary,
    sync: function () { sync(false); },
    finish: finish
  };

  start();
})();
