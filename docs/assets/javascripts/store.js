/* Partenariat: the learner’s progress store, the only code that touches localStorage.
 *
 * Data lives under one key, "partenariat:progress:v1" (older records of that key are migrated), as
 *   {schema: "partenariat-progress", version: 2, course, reset: ms, buckets: {name: {id: item}}}
 * Every item carries `t` (ms, when it was set); a deletion is a tombstone {deleted: true, t}; a reset is
 * a date: every item set at or before it is gone, so another tab cannot bring erased data back.
 * Every write re-reads the key, merges item by item (the newer `t` wins, unless the bucket locks the
 * older item), writes, and reads back: a write is reported as done only if the read-back matches.
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
  var course = window.PARTENARIAT_COURSE || { course: "partenariat", lessons: [], final: { questions: [] }, passMark: 70 };
  var COURSE_ID = course.course || "partenariat";

  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };
  var isObject = function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); };
  var isCount = function (v) { return typeof v === "number" && Number.isInteger(v) && v >= 0; };
  /* A time is an integer number of ms, not in the future (one day of clock drift is tolerated). */
  var isTime = function (t) { return isCount(t) && t <= Date.now() + DAY; };
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

  defineBucket("answers", {
    valid: function (a) {
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
      if (older.deleted || newer.deleted) return newer;
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
    known: function (id) { return id === "name"; }
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
    return isObject(item) && isCount(item.t) && (item.deleted === undefined || item.deleted === true);
  }

  /* Reads our own stored JSON (any version); returns {data} or {reason} (French). */
  function parseStored(raw) {
    var obj;
    try { obj = JSON.parse(raw); } catch (e) { return { reason: "données illisibles" }; }
    if (!isObject(obj) || obj.schema !== SCHEMA) return { reason: "format inconnu" };
    if (obj.version === 1) {
      var old = migrateV1(obj);
      return old.reason ? old : { data: old.data, migrated: true };
    }
    if (obj.version !== VERSION || !isCount(obj.reset) || !isObject(obj.buckets)) return { reason: "version ou structure inconnue" };
    var data = emptyData();
    data.reset = obj.reset;
    var names = Object.keys(obj.buckets);
    for (var i = 0; i < names.length; i++) {
      var items = obj.buckets[names[i]];
      if (!isObject(items)) return { reason: "rubrique « " + names[i] + " » illisible" };
      var b = bucketOf(data, names[i], true);
      var ids = Object.keys(items);
      for (var j = 0; j < ids.length; j++) {
        if (!isItem(items[ids[j]])) return { reason: "élément « " + ids[j] + " » illisible" };
        b.set(ids[j], items[ids[j]]);
      }
    }
    return { data: data };
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
    return { data: data };
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

  /* The item kept when two copies of (bucket, id) meet. */
  function mergeItem(name, id, a, b) {
    if (!a) return b;
    if (!b) return a;
    if (a.t === b.t && JSON.stringify(a) === JSON.stringify(b)) return a;
    var older = a.t <= b.t ? a : b;
    var newer = older === a ? b : a;
    var def = defs.get(name);
    if (def && def.locked && !newer.deleted && def.locked(id, older)) return older;
    if (def && def.merge) return def.merge(older, newer);
    return newer;
  }

  /* Everything of `a` and `b`, item by item; what a reset covers is dropped. */
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
      ids.forEach(function (id) {
        var item = mergeItem(name, id, x.get(id), y.get(id));
        if (item && item.t > out.reset) items.set(id, item);
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

  var cache = emptyData();      /* what the page shows: storage merged with `pending` */
  var pending = emptyData();    /* this page’s changes not yet written and read back */
  var problem = null;           /* {kind, message} */
  var notice = "";              /* a one-off information (data set aside) */
  var blocked = false;          /* unreadable data that could not be copied: nothing is written over it */
  var unreadableRaw = null;
  var listeners = [];

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

  function storage() { return window.localStorage; }

  /* Copies unreadable data under another key, checked by reading it back; only then frees the main key. */
  function setAside(raw, reason) {
    var key = ASIDE + new Date().toISOString();
    var copied = false;
    try {
      storage().setItem(key, raw);
      copied = storage().getItem(key) === raw;
    } catch (e) { copied = false; }
    if (copied) {
      try {
        storage().removeItem(KEY);
        copied = storage().getItem(KEY) === null;
      } catch (e) { copied = false; }
    } else {
      try { if (storage().getItem(key) !== null) storage().removeItem(key); } catch (e) { /* nothing more to do */ }
    }
    if (copied) {
      notice = "Des données de progression illisibles (" + reason + ") ont été trouvées dans ce navigateur. " +
        "Elles n’ont pas été effacées : elles sont conservées sous la clé « " + key + " » (voir « Mon parcours »).";
      return true;
    }
    blocked = true;
    unreadableRaw = raw;
    problem = { kind: "blocked", message: BLOCKED };
    return false;
  }

  /* Reads the key: {data} (possibly empty) or {failed: true} when storage cannot be read or holds unreadable data. */
  function readStorage() {
    var raw;
    try { raw = storage().getItem(KEY); } catch (e) {
      problem = { kind: "unavailable", message: UNAVAILABLE };
      return { failed: true };
    }
    if (raw === null) {
      if (blocked) { blocked = false; unreadableRaw = null; if (problem && problem.kind === "blocked") problem = null; }
      return { data: emptyData() };
    }
    if (blocked && raw === unreadableRaw) return { failed: true };
    var parsed = parseStored(raw);
    if (parsed.data) return { data: parsed.data };
    if (setAside(raw, parsed.reason)) return { data: emptyData() };
    return { failed: true };
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

  /* Writes `pending` merged into what storage holds now; reads it back. */
  function commit(source) {
    var before = cache;
    var read = readStorage();
    var base = read.data || cache;
    var merged = mergeData(base, pending);
    cache = merged;
    var result;
    if (read.failed) {
      result = failure(problem ? problem.message : FULL);
    } else {
      var text = JSON.stringify(serialize(merged, false));
      var back = null;
      try {
        storage().setItem(KEY, text);
        back = storage().getItem(KEY);
      } catch (e) { back = null; }
      if (back === text) {
        pending = emptyData();
        if (problem && problem.kind !== "blocked") problem = null;
        result = { ok: true };
      } else {
        problem = { kind: "write", message: FULL };
        result = failure(FULL);
      }
    }
    emit(changedBuckets(before, cache), source);
    return result;
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
    bucketOf(pending, name, true).set(id, value);
    return commit("local");
  }

  function remove(name, id) {
    checkedName(name);
    id = String(id);
    bucketOf(pending, name, true).set(id, { deleted: true, t: stamp(name, id) });
    return commit("local");
  }

  function reset() {
    var when = Math.max(Date.now(), cache.reset + 1);
    cache.buckets.forEach(function (items) { items.forEach(function (item) { when = Math.max(when, item.t + 1); }); });
    pending = emptyData();
    pending.reset = when;
    return commit("reset");
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

  /* Whether this item as shown is also what storage holds (false while a failed write is pending). */
  function saved(name, id) {
    var b = bucketOf(pending, name, false);
    return !(b && b.has(String(id))) && !pending.reset && !blocked;
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

  function plural(n, one, many) { return n + "\u00a0" + (n > 1 ? many : one); }

  function refused(why) {
    return { ok: false, added: 0, updated: 0, ignored: 0,
             message: "Import refusé : " + why + ". Votre progression actuelle n’a pas été modifiée." };
  }

  function importJSON(text) {
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
    var bad = null;
    incoming.buckets.forEach(function (items, name) {
      var def = defs.get(name);
      if (!def || bad) return;
      items.forEach(function (item, id) {
        if (bad) return;
        if (!isObject(item) || !isTime(item.t) || item.deleted !== undefined || !def.valid(item)) {
          bad = "l’élément « " + id.slice(0, 60) + " » de la rubrique « " + name + " » est illisible " +
            "(champ manquant, nombre négatif ou non entier, date invalide ou dans le futur)";
        }
      });
    });
    if (bad) return refused(bad);

    var added = 0, updated = 0, unknown = 0, same = 0, locked = 0;
    var staged = emptyData();
    var now = Date.now();
    incoming.buckets.forEach(function (items, name) {
      var def = defs.get(name);
      if (!def) { unknown += items.size; return; }
      var mine = bucketOf(cache, name, false) || new Map();
      items.forEach(function (item, id) {
        if (def.known && !def.known(id)) { unknown++; return; }
        var value = copy(item);
        var current = mine.get(id);
        if (current && !current.deleted) {
          if (def.locked && def.locked(id, current)) {
            if (JSON.stringify(current.v) === JSON.stringify(value.v) && current.ok === value.ok) same++; else locked++;
            return;
          }
          if (value.t <= current.t) { same++; return; }
          var merged = mergeItem(name, id, current, value);
          if (JSON.stringify(merged) === JSON.stringify(current)) { same++; return; }
          bucketOf(staged, name, true).set(id, value);
          updated++;
        } else {
          /* Importing is the learner’s decision: it brings back what a reset or a deletion had erased. */
          if (value.t <= cache.reset || (current && value.t <= current.t)) value.t = Math.max(now, cache.reset + 1, current ? current.t + 1 : 0);
          bucketOf(staged, name, true).set(id, value);
          added++;
        }
      });
    });
    var ignored = unknown + same + locked;
    var details = [];
    if (unknown) details.push(plural(unknown, "élément inconnu de ce module", "éléments inconnus de ce module"));
    if (same) details.push(plural(same, "déjà à jour ou plus récent ici", "déjà à jour ou plus récents ici"));
    if (locked) details.push(plural(locked, "réponse verrouillée de l’évaluation finale, non modifiée",
                                    "réponses verrouillées de l’évaluation finale, non modifiées"));
    var summary = plural(added, "élément ajouté", "éléments ajoutés") + ", " +
      plural(updated, "mis à jour", "mis à jour") + ", " + plural(ignored, "ignoré", "ignorés") +
      (details.length ? " (" + details.join(", ") + ")" : "");
    if (!added && !updated) {
      return { ok: true, added: 0, updated: 0, ignored: ignored, message: "Progression importée : rien de nouveau — " + summary + "." };
    }
    staged.buckets.forEach(function (items, name) {
      var target = bucketOf(pending, name, true);
      items.forEach(function (item, id) { target.set(id, item); });
    });
    var result = commit("import");
    if (!result.ok) {
      return { ok: false, added: added, updated: updated, ignored: ignored,
               message: "Import non enregistré : " + result.message };
    }
    return { ok: true, added: added, updated: updated, ignored: ignored, message: "Progression importée : " + summary + "." };
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
        if (isObject(item) && isTime(item.t) && def.valid(item) && (!def.known || def.known(id))) {
          bucketOf(incoming, name, true).set(id, copy(item));
        }
      });
    });
    pending = mergeData(pending, incoming);
    return commit("import");
  }

  /* ---------- unreadable data the learner decides about ---------- */

  function unreadable() { return blocked ? unreadableRaw : null; }

  function readAside(key) {
    if (key.indexOf(ASIDE) !== 0) return null;
    try { return storage().getItem(key); } catch (e) { return null; }
  }

  /* Erases the unreadable data under the main key (blocked case) or a copy set aside; then retries pending writes. */
  function discard(key) {
    try {
      if (key === undefined) {
        if (!blocked) return { ok: true };
        if (storage().getItem(KEY) === unreadableRaw) storage().removeItem(KEY);
        blocked = false;
        unreadableRaw = null;
        problem = null;
        return commit("local");
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
    if (event.key !== null && event.key !== KEY) return;
    var before = cache;
    var read = readStorage();
    if (!read.data) return;
    var wasReset = read.data.reset > before.reset;
    cache = mergeData(read.data, pending);
    emit(changedBuckets(before, cache), wasReset ? "reset" : "other-tab");
  });

  /* ---------- start ---------- */

  /* At load, a small test write tells whether the next save can succeed, so that every page warns in time. */
  (function load() {
    var read = readStorage();
    if (!read.data) return;
    cache = read.data;
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
