/* Partenariat: the learner’s progress store, the only code that touches localStorage.
 *
 * Data lives under one key, "partenariat:progress:v1" (older records of that key are migrated), as
 *   {schema: "partenariat-progress", version: 2, course, reset: ms, buckets: {name: {id: item}}}
 * Every item carries `t` (ms, when it was set); a deletion is a tombstone {deleted: true, t}; a reset is
 * a date: every item set at or before it is gone (but those its bucket's `keep` names), so another tab cannot bring
 * erased data back. An item an import brought back after a reset keeps its own `t` and carries `r`, when it was
 * brought back.
 * A change is seen by the page at once (kept in memory, in `mine`), then written under a lock the tabs share
 * (Web Locks): the write re-reads the key, merges item by item (the newer `t` wins, unless the bucket locks
 * the older item), writes and reads back; the change's `done` promise says whether it landed. The page keeps
 * its own changes and writes them again whenever another tab's write lacks them (without Web Locks, writes
 * go at once, unlocked, and this repair is what keeps every tab's changes).
 * A stored item its bucket cannot read is set aside alone (copied under another key) and reported.
 * In memory, maps are `Map`s, so that no id (`__proto__`, `constructor`…) can reach an object’s prototype.
 *
 * Public API: window.Partenariat.store (see the project’s brief for the contract). */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  /* Inside a learning platform, progress is kept per learner: the SCORM launcher names the learner’s scope
   * (window.PARTENARIAT_STORE_SCOPE, in its own window, the parent of the course’s frame) before any store loads. */
  var KEY = "partenariat:progress:v1" + (function () {
    var scope = null;
    try {
      scope = window.PARTENARIAT_STORE_SCOPE || (window.parent !== window ? window.parent.PARTENARIAT_STORE_SCOPE : null);
    } catch (e) { scope = null; }  /* a parent of another origin */
    return typeof scope === "string" && scope !== "" ? ":" + scope : "";
  })();
  var ASIDE = KEY + ":illisible:";
  var SCHEMA = "partenariat-progress";
  var VERSION = 2;
  var DAY = 86400000;
  var MAX_IMPORT_CHARS = 1000000;
  var MAX_ITEMS = 20000;
  var AHEAD = 300000;  /* an imported date up to 5 min ahead is clock drift; beyond, the learner decides */
  var LOCK = KEY;
  var course = window.PARTENARIAT_COURSE || { course: "partenariat", lessons: [], final: { questions: [] }, passMark: 70 };
  var COURSE_ID = course.course || "partenariat";

  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };
  var isObject = function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); };
  var isCount = function (v) { return typeof v === "number" && Number.isInteger(v) && v >= 0; };
  /* A time is an integer number of ms, not in the future (one day of clock drift is tolerated). */
  var isTime = function (t) { return isCount(t) && t <= Date.now() + DAY; };
  /* When an item counts against a reset: when it was set, or brought back by an import. */
  var since = function (item) { return Math.max(item.t, item.r || 0); };
  var isDay = function (s) {
    if (typeof s !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
    var d = new Date(s + "T00:00:00Z");
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  };

  /* ---------- what the course knows ---------- */

  var questionIds = new Set();
  var finalIds = new Set();
  var checkIds = new Set();
  var lessonSlugs = new Set();
  (course.lessons || []).forEach(function (lesson) {
    lessonSlugs.add(lesson.slug);
    (lesson.questions || []).forEach(function (id) { questionIds.add(id); });
    (lesson.written || []).forEach(function (id) { questionIds.add(id); });  /* written answers (redaction.js) */
    (lesson.checks || []).forEach(function (id) { checkIds.add(id); });
  });
  ((course.final && course.final.questions) || []).forEach(function (id) { questionIds.add(id); finalIds.add(id); });

  /* ---------- buckets ---------- */

  var defs = new Map();

  function defineBucket(name, def) {
    if (typeof name !== "string" || !/^[a-z][a-z0-9-]*$/.test(name)) throw new Error("bad bucket name: " + name);
    if (!def || typeof def.valid !== "function") throw new Error("bucket " + name + " needs valid(item)");
    defs.set(name, def);
  }

  /* A written answer (redaction.js): {text, selfRating: {criterionId: 0 pas atteint | 1 en partie | 2 atteint}}.
   * Never right or wrong: it has no `ok` and counts in no score. */
  function validWritten(a) {
    if (!isObject(a) || typeof a.text !== "string" || a.text.length > 4000 || !isObject(a.selfRating)) return false;
    var keys = Object.keys(a.selfRating);
    return keys.length <= 10 && a.v === undefined && a.ok === undefined && keys.every(function (k) {
      return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(k) && k.length <= 64 && [0, 1, 2].indexOf(a.selfRating[k]) >= 0;
    });
  }

  /* Whether a reset dated `reset` erases this item: a bucket's `keep(id)` names the items a reset leaves (statements
   * not yet sent to an LRS, the learner's choice to send them). */
  function erased(name, id, item, reset) {
    var def = defs.get(name);
    return since(item) <= reset && !(def && def.keep && def.keep(id));
  }

  defineBucket("answers", {
    valid: function (a) {
      if (isObject(a) && a.text !== undefined) return validWritten(a);
      return isObject(a) && Array.isArray(a.v) && a.v.length <= 100 &&
        a.v.every(function (x) { return typeof x === "string" && x.length <= 2000; }) &&
        typeof a.ok === "boolean" && typeof a.score === "number" && a.score >= 0 && a.score <= 1 &&
        (a.first === undefined || typeof a.first === "boolean") && (a.n === undefined || isCount(a.n));
    },
    known: function (id) { return questionIds.has(id); },
    /* A final-assessment answer, once given, is never changed (one attempt). */
    locked: function (id, old) { return finalIds.has(id) && !!old && !old.deleted; },
    /* The correctness at first attempt is kept forever. */
    merge: function (older, newer) {
      if (older.deleted || newer.deleted || newer.text !== undefined || older.text !== undefined) return newer;
      var out = copy(newer);
      out.first = older.first !== undefined ? older.first : older.ok;
      if (isCount(older.n) || isCount(newer.n)) out.n = Math.max(older.n || 1, newer.n || 1);
      return out;
    }
  });

  defineBucket("checks", {
    valid: function (c) { return isObject(c) && typeof c.on === "boolean"; },
    /* A lesson’s « Je suis capable de… » items, or a task list inside a lesson (slug/tN). The print page’s boxes
     * are for paper only: never stored. */
    known: function (id) {
      if (checkIds.has(id)) return true;
      var m = /^([a-z0-9-]+)\/t\d{1,4}$/.exec(id);
      return !!m && lessonSlugs.has(m[1]);
    }
  });

  defineBucket("reviews", {
    valid: function (r) {
      return isObject(r) && isDay(r.due) && isCount(r.ivl) && typeof r.ease === "number" && isFinite(r.ease) &&
        r.ease > 0 && r.ease <= 10 && isCount(r.reps) && isCount(r.lapses);
    },
    known: function (id) { return questionIds.has(id); }
  });

  defineBucket("assignments", {
    valid: function (a) { return isObject(a) && JSON.stringify(a).length <= 4000; },
    known: function (id) { return /^[A-Za-z0-9_-]{1,64}$/.test(id); }
  });

  defineBucket("profile", {
    valid: function (p) { return isObject(p) && typeof p.value === "string" && p.value.length <= 200; },
    known: function (id) { return id === "name" || id === "learner"; },  /* learner: a pseudonymous uuid (final.js) */
    /* the learner id is made once: the first one made wins (a correction code is bound to it), e.g. over one a
       page made while the SCORM platform's copy was still on its way */
    locked: function (id, old) { return id === "learner" && !!old && !old.deleted; }
  });

  /* ---------- data: {reset, buckets: Map(name → Map(id → item))} ---------- */

  function copy(item) { return JSON.parse(JSON.stringify(item)); }

  function emptyData() { return { reset: 0, buckets: new Map() }; }

  function bucketOf(data, name, create) {
    var b = data.buckets.get(name);
    if (!b && create) { b = new Map(); data.buckets.set(name, b); }
    return b;
  }

  function isItem(item) {
    return isObject(item) && isCount(item.t) && (item.deleted === undefined || item.deleted === true) &&
      (item.r === undefined || isCount(item.r));
  }

  /* An item without the store's own fields (`t`, `r`), as its bucket's rule sees it. */
  function bare(item) {
    var out = Object.create(null);
    Object.keys(item).forEach(function (k) { if (k !== "t" && k !== "r") out[k] = item[k]; });
    return out;
  }

  /* A stored item the page can use: a tombstone, or what its bucket accepts (any item of a bucket unknown here). */
  function usable(name, item) {
    if (!isItem(item)) return false;
    var def = defs.get(name);
    return item.deleted === true || !def || def.valid(bare(item));
  }

  /* Reads our own stored JSON (any version); returns {data, bad: [[bucket, id, item]…]} or {reason} (French). */
  function parseStored(raw) {
    var obj;
    try { obj = JSON.parse(raw); } catch (e) { return { reason: "données illisibles" }; }
    if (!isObject(obj) || obj.schema !== SCHEMA) return { reason: "format inconnu" };
    if (obj.version === 1) {
      var old = migrateV1(obj);
      return old.reason ? old : { data: old.data, bad: [], migrated: true };
    }
    if (obj.version !== VERSION || !isCount(obj.reset) || !isObject(obj.buckets)) return { reason: "version ou structure inconnue" };
    var data = emptyData();
    var bad = [];
    data.reset = obj.reset;
    var names = Object.keys(obj.buckets);
    for (var i = 0; i < names.length; i++) {
      var items = obj.buckets[names[i]];
      if (!isObject(items)) return { reason: "rubrique « " + names[i] + " » illisible" };
      var b = bucketOf(data, names[i], true);
      var ids = Object.keys(items);
      for (var j = 0; j < ids.length; j++) {  /* a bad item is put apart, the others still work */
        if (usable(names[i], items[ids[j]])) b.set(ids[j], items[ids[j]]); else bad.push([names[i], ids[j], items[ids[j]]]);
      }
    }
    return { data: data, bad: bad };
  }

  /* Version 1: {answers: {id: {ok (first attempt), last, v, n}}, checks: {id: boolean}, updated}. */
  function migrateV1(obj) {
    if (!isObject(obj.answers) || !isObject(obj.checks)) return { reason: "les rubriques des réponses et des coches manquent" };
    var when = Date.parse(obj.updated || "");
    var t = isTime(when) ? when : 1;
    var data = emptyData();
    var answers = bucketOf(data, "answers", true);
    var ids = Object.keys(obj.answers);
    for (var i = 0; i < ids.length; i++) {
      var a = obj.answers[ids[i]];
      if (!isObject(a) || typeof a.ok !== "boolean" || !Array.isArray(a.v) ||
          !a.v.every(function (x) { return typeof x === "string"; }) ||
          (a.last !== undefined && typeof a.last !== "boolean") || (a.n !== undefined && !isCount(a.n))) {
        return { reason: "la réponse enregistrée pour « " + ids[i] + " » est illisible" };
      }
      var last = a.last === undefined ? a.ok : a.last;
      var item = { v: a.v.slice(), ok: last, score: last ? 1 : 0, first: a.ok, t: t };
      if (a.n !== undefined) item.n = a.n;
      answers.set(ids[i], item);
    }
    var checks = bucketOf(data, "checks", true);
    var cids = Object.keys(obj.checks);
    for (var j = 0; j < cids.length; j++) {
      if (typeof obj.checks[cids[j]] !== "boolean") return { reason: "la coche « " + cids[j] + " » est illisible" };
      checks.set(cids[j], { on: obj.checks[cids[j]], t: t });
    }
    return { data: data, bad: [] };
  }

  function serialize(data, liveOnly) {
    var buckets = Object.create(null);
    data.buckets.forEach(function (items, name) {
      var out = Object.create(null);
      var n = 0;
      items.forEach(function (item, id) {
        if (liveOnly && item.deleted) return;
        out[id] = item;
        n++;
      });
      if (n) buckets[name] = out;
    });
    return { schema: SCHEMA, version: VERSION, course: COURSE_ID, reset: data.reset, buckets: buckets };
  }

  /* The item kept when two copies of (bucket, id) meet: the same whichever comes first, so that tabs agree. */
  function mergeItem(name, id, a, b) {
    if (!a) return b;
    if (!b) return a;
    var x = JSON.stringify(a), y = JSON.stringify(b);
    if (x === y) return a;
    var aFirst = a.t !== b.t ? a.t < b.t : (a.r || 0) !== (b.r || 0) ? (a.r || 0) < (b.r || 0) : x < y;
    var older = aFirst ? a : b;
    var newer = aFirst ? b : a;
    var def = defs.get(name);
    if (def && def.locked && !newer.deleted && def.locked(id, older)) return older;
    if (def && def.merge) return def.merge(older, newer);
    return newer;
  }

  /* Everything of `a` and `b`, item by item; what a reset covers is dropped first (an erased copy never wins
   * over one an import brought back). */
  function mergeData(a, b) {
    var out = emptyData();
    out.reset = Math.max(a.reset, b.reset);
    var names = new Set();
    a.buckets.forEach(function (_, name) { names.add(name); });
    b.buckets.forEach(function (_, name) { names.add(name); });
    names.forEach(function (name) {
      var x = a.buckets.get(name) || new Map();
      var y = b.buckets.get(name) || new Map();
      var items = new Map();
      var ids = new Set();
      x.forEach(function (_, id) { ids.add(id); });
      y.forEach(function (_, id) { ids.add(id); });
      var alive = function (item, id) { return item && !erased(name, id, item, out.reset) ? item : undefined; };
      ids.forEach(function (id) {
        var item = mergeItem(name, id, alive(x.get(id), id), alive(y.get(id), id));
        if (item) items.set(id, item);
      });
      if (items.size) out.buckets.set(name, items);
    });
    return out;
  }

  function changedBuckets(before, after) {
    var names = [];
    var all = new Set();
    before.buckets.forEach(function (_, n) { all.add(n); });
    after.buckets.forEach(function (_, n) { all.add(n); });
    all.forEach(function (name) {
      var x = JSON.stringify(serializeBucket(before.buckets.get(name)));
      var y = JSON.stringify(serializeBucket(after.buckets.get(name)));
      if (x !== y) names.push(name);
    });
    return names;
  }

  function serializeBucket(items) {
    var out = [];
    if (items) items.forEach(function (item, id) { out.push([id, item]); });
    return out.sort(function (p, q) { return p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0; });
  }

  /* ---------- state of this page ---------- */

  var cache = emptyData();      /* what the page shows: storage as last read, merged with `mine` */
  var mine = emptyData();       /* every change made in this page, kept: written again if another tab's write lacks it */
  var unsaved = new Set();      /* "bucket\nid" of this page's changes not yet written and read back ("" for a reset) */
  var queued = false;           /* a write waits for the lock */
  var waiting = [];             /* callbacks of the changes the next write carries */
  var problem = null;           /* {kind, message} */
  var notice = "";              /* a one-off information (data set aside) */
  var blocked = false;          /* unreadable data that could not be copied: nothing is written over it */
  var unreadableRaw = null;
  var cleanUp = false;          /* unreadable items were set aside: the next write leaves them out */
  var dropBad = null;           /* the stored text whose unreadable items the learner chose to erase */
  var listeners = [];
  var locks = window.navigator.locks && typeof window.navigator.locks.request === "function" ? window.navigator.locks : null;

  var FULL = "Votre progression n’a pas pu être enregistrée dans ce navigateur (espace de stockage plein ou " +
    "enregistrement refusé) : elle sera perdue à la fermeture de cette page. Exportez-la maintenant (bouton " +
    "« Exporter ma progression »), puis libérez de l’espace (effacez les données d’autres sites dans les réglages " +
    "du navigateur) ou autorisez l’enregistrement local.";
  var FULL_AHEAD = "L’espace de stockage de ce navigateur est plein : vos prochaines réponses ne pourront pas être " +
    "enregistrées. Exportez votre progression maintenant (bouton « Exporter ma progression »), puis libérez de " +
    "l’espace (effacez les données d’autres sites dans les réglages du navigateur).";
  var UNAVAILABLE = "Ce navigateur n’autorise pas l’enregistrement local : votre progression ne sera pas conservée " +
    "après la fermeture de cette page. Exportez-la avant de partir (bouton « Exporter ma progression »).";
  var BLOCKED = "Des données de progression illisibles se trouvent dans ce navigateur et n’ont pas pu être copiées " +
    "à part (espace plein). Pour ne pas les perdre, rien n’est enregistré par-dessus : ouvrez « Mon parcours » pour " +
    "les exporter dans un fichier, ou pour les effacer. En attendant, vos nouvelles réponses ne sont pas enregistrées.";
  var LABELS = { answers: "la réponse à la question", checks: "la coche", reviews: "la révision de la question",
                 assignments: "le devoir", profile: "le profil" };

  function storage() { return window.localStorage; }

  function plural(n, one, many) { return n + "\u00a0" + (n > 1 ? many : one); }

  function block(raw) {
    blocked = true;
    unreadableRaw = raw;
    problem = { kind: "blocked", message: BLOCKED };
  }

  function unblock() {
    blocked = false;
    unreadableRaw = null;
    if (problem && problem.kind === "blocked") problem = null;
  }

  /* Copies `text` under another key, checked by reading it back (a key already holding it is reused); its key or null. */
  function copyAside(text) {
    var same = setAsideKeys().filter(function (k) { return readAside(k) === text; })[0];
    if (same) return same;
    var key = ASIDE + new Date().toISOString();
    try {
      while (storage().getItem(key) !== null) key += "+";
      storage().setItem(key, text);
      if (storage().getItem(key) === text) return key;
    } catch (e) { /* not copied */ }
    try { if (storage().getItem(key) !== null) storage().removeItem(key); } catch (e) { /* nothing more to do */ }
    return null;
  }

  /* Unreadable data as a whole: copied aside, then the main key is freed. */
  function setAside(raw, reason) {
    var key = copyAside(raw);
    var freed = false;
    if (key) {
      try {
        storage().removeItem(KEY);
        freed = storage().getItem(KEY) === null;
      } catch (e) { freed = false; }
    }
    if (!freed) {
      block(raw);
      return false;
    }
    notice = "Des données de progression illisibles (" + reason + ") ont été trouvées dans ce navigateur. " +
      "Elles n’ont pas été effacées : elles sont conservées sous la clé « " + key + " » (voir « Mon parcours »).";
    return true;
  }

  /* Unreadable items of a readable record: those alone are copied aside and named; the next write leaves them out. */
  function setAsideItems(raw, bad) {
    var buckets = Object.create(null);
    bad.forEach(function (b) { (buckets[b[0]] = buckets[b[0]] || Object.create(null))[b[1]] = b[2]; });
    var key = copyAside(JSON.stringify({ schema: SCHEMA, version: VERSION, course: COURSE_ID, reset: 0, buckets: buckets }));
    if (!key) {
      block(raw);
      return false;
    }
    var names = bad.slice(0, 5).map(function (b) {
      return (LABELS[b[0]] || "l’élément de la rubrique « " + String(b[0]).slice(0, 40) + " »") + " « " + String(b[1]).slice(0, 60) + " »";
    });
    if (bad.length > 5) names.push("et " + plural(bad.length - 5, "autre élément", "autres éléments"));
    var many = bad.length > 1;
    notice = (many ? "Des données de progression illisibles ont été mises de côté : " : "Une donnée de progression " +
      "illisible a été mise de côté : ") + names.join(", ") + " (champ manquant ou invalide). Le reste de votre " +
      "progression est intact. " + (many ? "Elles sont conservées" : "Elle est conservée") + " sous la clé « " + key +
      " » (voir « Mon parcours »).";
    cleanUp = true;
    return true;
  }

  /* Reads the key: {data} (possibly empty); `failed` when it cannot be read, or holds unreadable data not copied. */
  function readStorage() {
    var raw;
    try { raw = storage().getItem(KEY); } catch (e) {
      problem = { kind: "unavailable", message: UNAVAILABLE };
      return { failed: true };
    }
    if (raw === null) {
      if (blocked) unblock();
      return { data: emptyData() };
    }
    var parsed = parseStored(raw);
    if (blocked && raw === unreadableRaw) return { data: parsed.data, failed: true };
    if (!parsed.data) return setAside(raw, parsed.reason) ? { data: emptyData() } : { failed: true };
    if (parsed.bad.length) {
      if (raw === dropBad) cleanUp = true;
      else if (!setAsideItems(raw, parsed.bad)) return { data: parsed.data, failed: true };
    }
    if (blocked) unblock();
    return { data: parsed.data };
  }

  function emit(buckets, source) {
    var event = { buckets: buckets, source: source };
    listeners.slice().forEach(function (fn) {
      try { fn(event); } catch (e) { if (window.console) window.console.error(e); }
    });
  }

  function failure(message) {
    return { ok: false, message: message };
  }

  /* Whether `b` holds something `a` does not. */
  function differs(a, b) { return a.reset !== b.reset || changedBuckets(a, b).length > 0; }

  /* Whether `data` lacks a change of this page's, by its date: an item (or the locked answer it keeps) or a reset.
   * Fields merged within one date (first attempt, attempts) are not compared, so that tabs never rewrite in turn. */
  function lacks(data) {
    var missing = mine.reset > data.reset;
    mine.buckets.forEach(function (items, name) {
      var there = data.buckets.get(name) || new Map();
      items.forEach(function (item, id) {
        if (missing || erased(name, id, item, data.reset)) return;
        var old = there.get(id);
        var kept = mergeItem(name, id, old, item);
        missing = !old || kept.t !== old.t || (kept.r || 0) !== (old.r || 0) || !!kept.deleted !== !!old.deleted;
      });
    });
    return missing;
  }

  /* Writes `mine` merged into what storage holds now, and reads it back (under the lock, when there is one). */
  function write() {
    var before = cache;
    var read = readStorage();
    var result;
    cache = mergeData(read.data || cache, mine);
    if (read.failed) {
      result = failure(problem ? problem.message : FULL);
    } else if (!cleanUp && !differs(read.data, cache)) {
      result = { ok: true };
    } else {
      var text = JSON.stringify(serialize(cache, false));
      var back = null;
      try {
        storage().setItem(KEY, text);
        back = storage().getItem(KEY);
      } catch (e) { back = null; }
      result = back === text ? { ok: true } : failure(FULL);
      if (result.ok) { cleanUp = false; dropBad = null; } else problem = { kind: "write", message: FULL };
    }
    if (result.ok) {
      unsaved.clear();
      if (problem && problem.kind !== "blocked") problem = null;
    }
    emit(changedBuckets(before, cache), "save");
    return result;
  }

  function flush() {
    queued = false;
    var callbacks = waiting;
    waiting = [];
    var result = write();
    callbacks.forEach(function (fn) { fn(result); });
  }

  /* One write for every change made until it runs: under the tabs' lock; without Web Locks (or refused), at once. */
  function request() {
    if (queued) return;
    queued = true;
    var ran = false;
    var run = function () {
      if (ran) return;
      ran = true;
      if (queued) flush();
    };
    if (!locks) return run();
    try { locks.request(LOCK, run).then(null, run); } catch (e) { run(); }
  }

  /* Asks for the write of this page's changes; returns the change's result: known problems at once (and, without
   * the lock, the write's own result), `done` (not enumerable) resolves with the write's result once it landed. */
  function schedule() {
    var landed = null;
    var done = new Promise(function (resolve) {
      waiting.push(function (result) { landed = result; resolve(result); });
    });
    request();
    var result = landed ? { ok: landed.ok, message: landed.message }
      : blocked || (problem && problem.kind === "unavailable") ? failure(problem.message) : { ok: true };
    Object.defineProperty(result, "done", { value: done });
    return result;
  }

  /* Shows this page's changes at once (reads in this page see them), then asks for their write. */
  function show(source) {
    var before = cache;
    cache = mergeData(cache, mine);
    emit(changedBuckets(before, cache), source);
    return schedule();
  }

  /* Keeps a change of this page's (merged with what it changed before for that id). */
  function keep(name, id, value) {
    var b = bucketOf(mine, name, true);
    b.set(id, mergeItem(name, id, b.get(id), value));
    unsaved.add(name + "\n" + id);
  }

  /* A time later than anything this item had, so that a new local change always wins. */
  function stamp(name, id) {
    var now = Date.now();
    var b = bucketOf(cache, name, false);
    var old = b && b.get(id);
    return Math.max(now, old ? old.t + 1 : 0, cache.reset + 1);
  }

  function checkedName(name) {
    if (!defs.has(name)) throw new Error("unknown bucket: " + name);
  }

  function put(name, id, item) {
    checkedName(name);
    id = String(id);
    var def = defs.get(name);
    if (!def.valid(item)) throw new Error("invalid item for " + name + "/" + id);
    var value = copy(item);
    value.t = stamp(name, id);
    delete value.deleted;
    delete value.r;
    keep(name, id, value);
    return show("local");
  }

  function remove(name, id) {
    checkedName(name);
    id = String(id);
    keep(name, id, { deleted: true, t: stamp(name, id) });
    return show("local");
  }

  function reset() {
    var when = Math.max(Date.now(), cache.reset + 1, mine.reset + 1);
    cache.buckets.forEach(function (items) { items.forEach(function (item) { when = Math.max(when, since(item) + 1); }); });
    var kept = emptyData();
    mine.buckets.forEach(function (items, name) {
      items.forEach(function (item, id) { if (!erased(name, id, item, when)) bucketOf(kept, name, true).set(id, item); });
    });
    mine = kept;
    mine.reset = when;
    unsaved.add("");
    return show("reset");
  }

  function get(name, id) {
    var b = bucketOf(cache, name, false);
    var item = b && b.get(String(id));
    return item && !item.deleted ? copy(item) : undefined;
  }

  function all(name) {
    var out = [];
    var b = bucketOf(cache, name, false);
    if (b) b.forEach(function (item, id) { if (!item.deleted) out.push([id, copy(item)]); });
    return out;
  }

  /* Whether this item as shown is also what storage holds (false until its write landed, or while it fails). */
  function saved(name, id) {
    return !blocked && !unsaved.has("") && !unsaved.has(name + "\n" + String(id));
  }

  function setAsideKeys() {
    var keys = [];
    try {
      for (var i = 0; i < storage().length; i++) {
        var k = storage().key(i);
        if (k && k.indexOf(ASIDE) === 0) keys.push(k);
      }
    } catch (e) { /* storage unavailable */ }
    return keys.sort();
  }

  function status() {
    return { ok: !problem, message: problem ? problem.message : notice, setAside: setAsideKeys(), blocked: blocked };
  }

  function exportJSON() {
    var payload = serialize(cache, true);
    payload.courseVersion = course.version || "";
    payload.exported = new Date().toISOString();
    return JSON.stringify(payload, null, 2);
  }

  /* ---------- import ---------- */

  function refused(why) {
    return { ok: false, added: 0, updated: 0, ignored: 0,
             message: "Import refusé : " + why + ". Votre progression actuelle n’a pas été modifiée." };
  }

  /* Dates ahead of this device's clock: the learner is told, and may import with those dates brought back to now. */
  function ahead(n, latest) {
    var day = new Date(latest).toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric" });
    return { ok: false, ahead: n, added: 0, updated: 0, ignored: 0,
             message: "Import en attente : " + plural(n, "élément de ce fichier est daté", "éléments de ce fichier sont datés") +
               " dans le futur (jusqu’au " + day + "). L’horloge de l’appareil qui l’a enregistré était sans doute en " +
               "avance, ou celle de cet appareil est en retard. Votre progression actuelle n’a pas été modifiée. Vous " +
               "pouvez importer ce fichier quand même : ces dates seront ramenées à maintenant." };
  }

  /* Imports an exported file; `options.clampFuture` brings dates ahead of this device's clock back to now. */
  function importJSON(text, options) {
    var clamp = !!(options && options.clampFuture);
    if (typeof text !== "string" || text.length > MAX_IMPORT_CHARS) {
      return refused("ce fichier est trop volumineux pour être une progression");
    }
    var obj;
    try { obj = JSON.parse(text); } catch (e) { return refused("ce fichier n’est pas un fichier JSON valide"); }
    if (!isObject(obj)) return refused("le fichier ne contient pas un objet JSON");
    if (obj.schema !== SCHEMA) return refused("ce fichier ne vient pas du module « Partenariat »");
    if (has(obj, "course") && obj.course !== COURSE_ID) {
      return refused("ce fichier vient d’un autre module (« " + String(obj.course).slice(0, 60) + " »)");
    }
    var incoming;
    if (obj.version === 1) {
      var old = migrateV1(obj);
      if (old.reason) return refused(old.reason);
      incoming = old.data;
    } else if (obj.version === VERSION) {
      if (!has(obj, "course")) return refused("le fichier ne dit pas de quel module il vient");
      if (!isObject(obj.buckets)) return refused("les rubriques de la progression manquent");
      incoming = emptyData();
      var names = Object.keys(obj.buckets);
      for (var i = 0; i < names.length; i++) {
        var items = obj.buckets[names[i]];
        if (!isObject(items)) return refused("la rubrique « " + names[i].slice(0, 40) + " » est illisible");
        var b = bucketOf(incoming, names[i], true);
        var ids = Object.keys(items);
        for (var j = 0; j < ids.length; j++) b.set(ids[j], items[ids[j]]);
      }
    } else {
      return refused("version de fichier inconnue");
    }
    var count = 0;
    incoming.buckets.forEach(function (items) { count += items.size; });
    if (count > MAX_ITEMS) return refused("ce fichier contient trop d’éléments pour être une progression");

    /* Validate every item of every known bucket first: one bad field refuses the whole file. */
    var bad = null, future = 0, latest = 0;
    var now = Date.now();
    incoming.buckets.forEach(function (items, name) {
      var def = defs.get(name);
      if (!def || bad) return;
      items.forEach(function (item, id) {
        if (bad) return;
        if (!isItem(item) || item.deleted !== undefined || !def.valid(bare(item))) {
          bad = "l’élément « " + id.slice(0, 60) + " » de la rubrique « " + name + " » est illisible " +
            "(champ manquant, nombre négatif ou non entier, ou date invalide)";
        } else if (since(item) > now + AHEAD && (!def.known || def.known(id))) {
          future++;
          latest = Math.max(latest, since(item));
        }
      });
    });
    if (bad) return refused(bad);
    if (future && !clamp) return ahead(future, latest);

    var added = 0, updated = 0, unknown = 0, same = 0, locked = 0;
    var staged = emptyData();
    incoming.buckets.forEach(function (items, name) {
      var def = defs.get(name);
      if (!def) { unknown += items.size; return; }
      var here = bucketOf(cache, name, false) || new Map();
      items.forEach(function (item, id) {
        if (def.known && !def.known(id)) { unknown++; return; }
        var value = copy(item);  /* it keeps its own date: newer wins, item by item */
        if (clamp) {
          value.t = Math.min(value.t, now);
          if (value.r !== undefined) value.r = Math.min(value.r, now);
        }
        var current = here.get(id);
        if (current && !current.deleted) {
          if (def.locked && def.locked(id, current)) {
            if (JSON.stringify(current.v) === JSON.stringify(value.v) && current.ok === value.ok) same++; else locked++;
            return;
          }
          if (value.t <= current.t) { same++; return; }
          var merged = mergeItem(name, id, current, value);
          if (JSON.stringify(merged) === JSON.stringify(current)) { same++; return; }
          updated++;
        } else if (current) {
          if (value.t <= current.t) { same++; return; }  /* deleted here after it was set there */
          added++;
        } else {
          /* Importing is the learner’s decision: it brings back what a reset had erased (dated `r`, its `t` kept). */
          if (since(value) <= cache.reset) value.r = Math.max(now, cache.reset + 1);
          added++;
        }
        bucketOf(staged, name, true).set(id, value);
      });
    });
    var ignored = unknown + same + locked;
    var details = [];
    if (unknown) details.push(plural(unknown, "élément inconnu de ce module", "éléments inconnus de ce module"));
    if (same) details.push(plural(same, "déjà à jour ou plus récent ici", "déjà à jour ou plus récents ici"));
    if (locked) details.push(plural(locked, "réponse verrouillée de l’évaluation finale, non modifiée",
                                    "réponses verrouillées de l’évaluation finale, non modifiées"));
    if (future) details.push(plural(future, "date future ramenée à maintenant", "dates futures ramenées à maintenant"));
    var summary = plural(added, "élément ajouté", "éléments ajoutés") + ", " +
      plural(updated, "mis à jour", "mis à jour") + ", " + plural(ignored, "ignoré", "ignorés") +
      (details.length ? " (" + details.join(", ") + ")" : "");
    if (!added && !updated) {
      return { ok: true, added: 0, updated: 0, ignored: ignored, message: "Progression importée : rien de nouveau — " + summary + "." };
    }
    staged.buckets.forEach(function (items, name) {
      items.forEach(function (item, id) { keep(name, id, item); });
    });
    var done = "Progression importée : " + summary + ".";
    var says = function (r) { return r.ok ? { ok: true, message: done } : { ok: false, message: "Import non enregistré : " + r.message }; };
    var saving = show("import");
    var out = says(saving);
    out.added = added;
    out.updated = updated;
    out.ignored = ignored;
    Object.defineProperty(out, "done", { value: saving.done.then(says) });
    return out;
  }

  /* Merges progress coming from elsewhere (the SCORM platform) with the plain newer-wins rule. */
  function mergeIn(data) {
    var incoming = emptyData();
    incoming.reset = isCount(data.reset) ? data.reset : 0;
    Object.keys(data.buckets || {}).forEach(function (name) {
      var def = defs.get(name);
      var items = data.buckets[name];
      if (!def || !isObject(items)) return;
      Object.keys(items).forEach(function (id) {
        var item = items[id];
        if (isItem(item) && isTime(item.t) && def.valid(item) && (!def.known || def.known(id))) {
          bucketOf(incoming, name, true).set(id, copy(item));
          unsaved.add(name + "\n" + id);
        }
      });
    });
    if (incoming.reset > mine.reset) unsaved.add("");
    mine = mergeData(mine, incoming);
    return show("import");
  }

  /* ---------- unreadable data the learner decides about ---------- */

  function unreadable() { return blocked ? unreadableRaw : null; }

  function readAside(key) {
    if (key.indexOf(ASIDE) !== 0) return null;
    try { return storage().getItem(key); } catch (e) { return null; }
  }

  /* Erases the unreadable data under the main key (blocked case: the whole record, or only its unreadable items) or
   * a copy set aside; then writes what waited. */
  function discard(key) {
    try {
      if (key === undefined) {
        if (!blocked) return { ok: true };
        var raw = storage().getItem(KEY);
        if (raw === unreadableRaw) {
          if (parseStored(raw).data) dropBad = raw; else storage().removeItem(KEY);
        }
        unblock();
        return schedule();
      }
      if (key.indexOf(ASIDE) !== 0) return failure("Clé inconnue.");
      storage().removeItem(key);
      return { ok: true };
    } catch (e) {
      return failure("L’effacement a échoué : le navigateur refuse de modifier ses données.");
    }
  }

  /* ---------- other tabs ---------- */

  window.addEventListener("storage", function (event) {
    if (event.key === null) {  /* storage cleared by a script: nothing of this page's is to be written back */
      mine = emptyData();
      unsaved.clear();
    } else if (event.key !== KEY) {
      return;
    }
    var before = cache;
    var read = readStorage();
    if (!read.data) return;
    cache = mergeData(read.data, mine);
    emit(changedBuckets(before, cache), read.data.reset > before.reset ? "reset" : "other-tab");
    /* another tab wrote without something this page changed (a write raced with it): write it again */
    if (!read.failed && (cleanUp || lacks(read.data))) request();
  });

  /* A write still waiting for the lock when the page goes is done at once, without it, rather than lost. */
  window.addEventListener("pagehide", function () { if (queued) flush(); });

  /* ---------- start ---------- */

  /* At load, a small test write tells whether the next save can succeed, so that every page warns in time. */
  (function load() {
    var read = readStorage();
    if (!read.data) return;
    cache = read.data;
    if (read.failed) return;
    if (cleanUp) request();
    var probe = KEY + ":essai";
    try {
      storage().setItem(probe, new Array(1025).join("x"));
      storage().removeItem(probe);
    } catch (e) {
      try { storage().removeItem(probe); } catch (e2) { /* nothing was written */ }
      problem = { kind: "write", message: FULL_AHEAD };
    }
  })();

  NS.store = {
    key: KEY,
    courseId: COURSE_ID,
    get: get,
    all: all,
    put: put,
    remove: remove,
    reset: reset,
    defineBucket: defineBucket,
    on: function (fn) { listeners.push(fn); },
    status: status,
    saved: saved,
    /* Resolves once every change made so far in this page has been written (or has failed to be). */
    settled: function () {
      return new Promise(function (resolve) { if (queued) waiting.push(function () { resolve(); }); else resolve(); });
    },
    resetDate: function () { return cache.reset; },
    /* Whether the course knows this id in this bucket (what an import keeps). */
    known: function (name, id) {
      var def = defs.get(name);
      return !!def && (!def.known || def.known(String(id)));
    },
    exportJSON: exportJSON,
    importJSON: importJSON,
    mergeIn: mergeIn,
    unreadable: unreadable,
    readAside: readAside,
    discard: discard
  };
})();
