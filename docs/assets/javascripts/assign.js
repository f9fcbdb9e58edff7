/* Partenariat: assignments (issue 12), a view of the progress store.
 * - Reads an assignment link (#assigner=<base64url JSON>) on every page, validates it strictly, stores it in the
 *   `assignments` bucket (id → {v, course, id, group, lessons, final, due, pass, t}) and removes it from the address.
 *   A due day must lie in FIRST_DAY…LAST_DAY (the form also refuses a past one).
 * - Lists the learner's assignments on the home page and « Mon parcours »: what is done, what remains, days left.
 *   Stored assignments are checked one by one: a lesson a newer version of the course no longer has is shown as such
 *   and left out of the count, an unreadable assignment is shown as such, and every one can be removed.
 * The trainers' form that makes the link is assign-form.js, loaded by its page only.
 * Shared with other views: window.Partenariat.assignments, window.Partenariat.printSheet. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { course: "partenariat", lessons: [], final: { questions: [] } };
  var PARAM = "assigner=";
  var KEYS = ["v", "course", "id", "group", "lessons", "final", "due", "pass", "lrs"];
  var DAY = 86400000;
  var slugs = course.lessons.map(function (l) { return l.slug; });
  /* Due days a course can mean: a mistyped year (0000, 1900, 20255) is refused rather than shown centuries late. */
  var FIRST_DAY = "2000-01-01", LAST_DAY = "2099-12-31";
  var RANGE_TEXT = "entre le 1er\u00a0janvier 2000 et le 31\u00a0décembre 2099";

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function isDay(s) {
    if (typeof s !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
    var d = new Date(s + "T00:00:00Z");
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }
  function dayInRange(s) { return isDay(s) && s >= FIRST_DAY && s <= LAST_DAY; }
  function isSlug(s) { return typeof s === "string" && s.length <= 80 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s); }

  /* The reason a payload is not a valid assignment of this course (French), or "" if it is one. `withTime`: an item
   * already stored (or in a report file), which may come from another version of the course: a well-formed lesson
   * name this version lacks, or a day outside the range, does not make it unreadable (the list says what it is). */
  function problem(a, withTime) {
    if (!isObject(a)) return "ce n’est pas un devoir";
    var keys = Object.keys(a);
    for (var i = 0; i < keys.length; i++) {
      if (KEYS.indexOf(keys[i]) < 0 && !(withTime && keys[i] === "t")) return "champ inconnu «\u00a0" + keys[i].slice(0, 30) + "\u00a0»";
    }
    if (a.v !== 1) return "version de devoir inconnue";
    if (a.course !== course.course) return "ce devoir est celui d’un autre module";
    if (typeof a.id !== "string" || !/^[a-z0-9]{6,32}$/.test(a.id)) return "identifiant invalide";
    if (typeof a.group !== "string" || !a.group.trim() || a.group.length > 80) return "nom de groupe manquant ou trop long";
    if (!Array.isArray(a.lessons) || a.lessons.length > (withTime ? 100 : slugs.length)) return "liste de leçons invalide";
    for (var j = 0; j < a.lessons.length; j++) {
      if (!isSlug(a.lessons[j]) || a.lessons.indexOf(a.lessons[j]) !== j) return "leçon invalide ou en double";
      if (!withTime && slugs.indexOf(a.lessons[j]) < 0) {
        return "leçon «\u00a0" + a.lessons[j].slice(0, 40) + "\u00a0» inconnue de cette version du module";
      }
    }
    if (typeof a.final !== "boolean") return "évaluation finale\u00a0: oui ou non attendu";
    if (!a.lessons.length && !a.final) return "aucune leçon ni évaluation finale";
    if (!isDay(a.due)) return "date limite invalide";
    if (!withTime && !dayInRange(a.due)) return "date limite impossible (" + a.due + ")\u00a0: elle doit être " + RANGE_TEXT;
    if (typeof a.pass !== "number" || !Number.isInteger(a.pass) || a.pass < 0 || a.pass > 100) return "seuil de réussite invalide";
    return a.lrs === undefined ? "" : lrsProblem(a);
  }

  /* An assignment may ask for results in a Learning Record Store (xapi.js): its id is then a UUID (32 hex digits),
   * the statements' registration, and `lrs` holds the LRS's address and a write-only Basic credential. */
  function lrsProblem(a) {
    var l = a.lrs;
    if (!isObject(l) || Object.keys(l).sort().join() !== "auth,url") return "adresse du LRS invalide";
    if (typeof l.url !== "string" || l.url.length > 300 || !/^https?:\/\/[^\s"<>]+\/$/.test(l.url)) return "adresse du LRS invalide";
    if (typeof l.auth !== "string" || l.auth.length > 400 || !/^[A-Za-z0-9+/]+=*$/.test(l.auth)) return "identifiant du LRS invalide";
    if (!/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/.test(a.id)) return "identifiant de devoir invalide pour un LRS";
    return "";
  }

  function toBase64url(text) {
    var bytes = new TextEncoder().encode(text);
    var bin = "";
    bytes.forEach(function (b) { bin += String.fromCharCode(b); });
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64url(code) {
    if (!/^[A-Za-z0-9_-]{1,4000}$/.test(code)) throw new Error("bad base64url");
    var bin = atob(code.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  }

  function encode(a) {
    var clean = {};
    KEYS.forEach(function (k) { clean[k] = a[k]; });
    return toBase64url(JSON.stringify(clean));
  }

  /* {assignment} or {error} (French) from a link, a fragment or the bare code. */
  function decode(text) {
    var s = String(text || "").trim();
    var at = s.indexOf(PARAM);
    if (at >= 0) s = s.slice(at + PARAM.length);
    s = s.split(/[&#?\s]/)[0];
    var a;
    try { a = JSON.parse(fromBase64url(s)); } catch (e) { return { error: "ce lien d’assignation est incomplet ou abîmé" }; }
    var why = problem(a, false);
    return why ? { error: why } : { assignment: a };
  }

  store.defineBucket("assignments", {
    valid: function (item) { return !problem(item, true); },
    known: function (id) { return /^[a-z0-9]{6,32}$/.test(id); }
  });

  /* ---------- progress of an assignment ---------- */

  function answered(id) { return !!store.get("answers", id); }
  function firstOk(r) { return r.first !== undefined ? r.first : r.ok; }

  function unitProgress(ids) {
    var n = 0, ok = 0;
    ids.forEach(function (id) { var r = store.get("answers", id); if (r) { n++; if (firstOk(r)) ok++; } });
    return { answered: n, correct: ok, total: ids.length, done: ids.length > 0 && n === ids.length,
             score: ids.length ? Math.round(100 * ok / ids.length) : 0 };
  }

  function lessonOf(slug) { return course.lessons.filter(function (l) { return l.slug === slug; })[0]; }

  /* What is done of a stored assignment; null if it is unreadable. Lessons this version lacks are listed in
   * `unknown`, not counted. */
  function progress(a) {
    if (problem(a, true)) return null;
    var unknown = a.lessons.filter(function (slug) { return !lessonOf(slug); });
    var units = a.lessons.filter(function (slug) { return !!lessonOf(slug); }).map(function (slug) {
      var lesson = lessonOf(slug);
      var p = unitProgress(lesson.questions);
      p.slug = slug; p.title = lesson.title; p.url = lesson.url;
      return p;
    });
    if (a.final) {
      var f = unitProgress(course.final.questions);
      f.slug = "evaluation-finale"; f.title = "Évaluation finale"; f.url = course.final.url; f.isFinal = true;
      units.push(f);
    }
    var done = units.filter(function (u) { return u.done; }).length;
    return { units: units, done: done, total: units.length, unknown: unknown };
  }

  function today() {
    var d = new Date();
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  }

  function daysLeft(due) { return Math.round((Date.parse(due + "T00:00:00Z") - today()) / DAY); }

  function formatDay(due) {
    var p = due.split("-");
    var d = new Date(2000, Number(p[1]) - 1, Number(p[2]));
    d.setFullYear(Number(p[0]));  /* new Date(y, …) reads years 0–99 as 1900–1999 */
    return d.toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric" });
  }

  function whenText(due, complete) {
    if (!dayInRange(due)) return "date limite impossible («\u00a0" + String(due).slice(0, 20) + "\u00a0»)";
    var n = daysLeft(due);
    var date = "à rendre le " + formatDay(due);
    if (complete) return date + " — terminé";
    if (n > 1) return date + " — il reste " + n + "\u00a0jours";
    if (n === 1) return date + " — il reste 1\u00a0jour";
    if (n === 0) return date + " — c’est aujourd’hui";
    return date + " — en retard de " + (-n) + "\u00a0jour" + (n < -1 ? "s" : "");
  }

  NS.assignments = { encode: encode, decode: decode, problem: problem, progress: progress, whenText: whenText,
                     formatDay: formatDay, daysLeft: daysLeft, dayInRange: dayInRange, isDay: isDay, lessonOf: lessonOf,
                     param: PARAM, lastDay: LAST_DAY, rangeText: RANGE_TEXT, el: el };

  /* ---------- printing one sheet ---------- */

  NS.printSheet = function (sheet) {
    var root = document.documentElement;
    sheet.classList.add("pt-sheet--printing");
    root.classList.add("pt-printing");
    var done = function () {
      root.classList.remove("pt-printing");
      sheet.classList.remove("pt-sheet--printing");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
    setTimeout(done, 1000);
  };

  /* ---------- reading a link ---------- */

  function notice(text, ok) {
    var host = document.querySelector("article.md-content__inner") || document.body;
    var box = document.getElementById("pt-assign-notice");
    if (!box) {
      box = document.createElement("div");
      box.id = "pt-assign-notice";
      box.className = "pt-assign-notice";
      box.setAttribute("role", ok ? "status" : "alert");
      host.insertBefore(box, host.firstChild);
    }
    box.classList.toggle("is-error", !ok);
    box.textContent = text;
  }

  /* Stores an assignment from a link or code; returns {ok, message} (French). */
  function receive(text) {
    var got = decode(text);
    if (got.error) {
      return { ok: false, message: "Ce lien d’assignation n’a pas été enregistré\u00a0: " + got.error +
        ". Demandez à votre formateur de vous le renvoyer." };
    }
    var a = got.assignment;
    var old = store.get("assignments", a.id);
    var result = { ok: true };
    if (!old || encode(old) !== encode(a)) result = store.put("assignments", a.id, a);
    if (!result.ok) return { ok: false, message: "Le devoir n’a pas pu être enregistré\u00a0: " + result.message };
    return { ok: true, message: "Votre formateur vous a assigné un devoir (groupe «\u00a0" + a.group + "\u00a0», " +
      whenText(a.due, false) + ")\u00a0: il est enregistré dans ce navigateur et suivi dans «\u00a0Mon parcours\u00a0»." };
  }

  NS.assignments.receive = receive;

  function readLink() {
    var hash = window.location.hash || "";
    if (hash.indexOf("#" + PARAM) !== 0) return;
    var outcome = receive(hash);
    notice(outcome.message, outcome.ok);
    try {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    } catch (e) { /* the address keeps the fragment: reading it again changes nothing */ }
  }

  /* ---------- the learner's list ---------- */

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function removeButton(id, group, headId) {
    var remove = el("button", "md-button", "Retirer ce devoir");
    remove.type = "button";
    remove.setAttribute("aria-describedby", headId);
    remove.addEventListener("click", function () {
      var what = group ? "le devoir du groupe «\u00a0" + group + "\u00a0»" : "ce devoir";
      if (!window.confirm("Retirer " + what + "\u00a0? Vos réponses sont gardées.")) return;
      var r = store.remove("assignments", id);
      if (!r.ok) notice(r.message, false);
    });
    return remove;
  }

  function renderList() {
    var box = document.getElementById("pt-assignments");
    if (!box) return;
    var key = function (a) { return isObject(a) ? String(a.due) + "\u0000" + String(a.group) : "\uffff"; };
    var list = store.all("assignments").sort(function (x, y) { return key(x[1]) < key(y[1]) ? -1 : key(x[1]) > key(y[1]) ? 1 : 0; });
    box.textContent = "";
    box.hidden = !list.length;
    if (!list.length) return;
    var title = el("h2", "", "Votre formateur vous a assigné…");
    title.id = "pt-assignments-title";
    box.appendChild(title);
    list.forEach(function (pair, index) {
      var id = pair[0], a = pair[1];
      var p = progress(a);
      var card = el("div", "pt-assignment");
      card.setAttribute("data-assignment", id);
      var head = el("h3", "", p ? "Groupe «\u00a0" + a.group + "\u00a0»" : "Devoir illisible");
      head.id = "pt-assignment-" + index;
      card.appendChild(head);
      if (!p) {
        /* Checked item by item: one unreadable assignment says why and can be removed; the others are listed. */
        card.appendChild(el("p", "pt-assignment-when", "Ce devoir enregistré ne peut pas être lu (" + problem(a, true) +
          ")\u00a0: retirez-le et demandez le lien à votre formateur."));
        card.appendChild(removeButton(id, "", head.id));
        box.appendChild(card);
        return;
      }
      var complete = p.total > 0 && p.done === p.total;
      card.appendChild(el("p", "pt-assignment-when", whenText(a.due, complete)));
      card.appendChild(el("p", "pt-assignment-summary", p.done + " sur " + p.total + " terminé" + (p.done > 1 ? "s" : "") +
        " · seuil de réussite\u00a0: " + a.pass + "\u00a0%"));
      var ul = el("ul", "pt-assignment-units");
      p.units.forEach(function (u) {
        var li = el("li");
        li.setAttribute("data-unit", u.slug);
        li.setAttribute("data-done", u.done ? "true" : "false");
        var link = el("a", "", u.title);
        link.href = u.url;
        li.appendChild(link);
        var state = u.done ? "fait — score " + u.score + "\u00a0% (" + (u.score >= a.pass ? "seuil atteint" : "sous le seuil") + ")"
          : u.answered ? "à terminer — " + u.answered + " question(s) sur " + u.total : "à faire";
        li.appendChild(document.createTextNode("\u00a0: " + state));
        ul.appendChild(li);
      });
      p.unknown.forEach(function (slug) {
        var li = el("li", "", "Leçon «\u00a0" + slug + "\u00a0»\u00a0: absente de cette version du module (renommée ou retirée), " +
          "elle ne compte pas dans le devoir.");
        li.setAttribute("data-unit", slug);
        li.setAttribute("data-unknown", "true");
        ul.appendChild(li);
      });
      card.appendChild(ul);
      card.appendChild(removeButton(id, a.group, head.id));
      box.appendChild(card);
    });
  }

  function init() {
    readLink();
    renderList();
    store.on(function (event) { if (event.buckets.indexOf("assignments") >= 0 || event.buckets.indexOf("answers") >= 0) renderList(); });
    window.addEventListener("hashchange", function () { readLink(); renderList(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
