/* Partenariat: the trainers' form « Assigner le module » (issue 12), which makes an assignment link and its printable
 * sheet (QR code by the vendored qrcode-generator, MIT). Loaded by that page only (scripts/build/minify.py,
 * PAGE_SCRIPTS); the rules of an assignment and its encoding are assign.js's (window.Partenariat.assignments). */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var A = NS.assignments;
  if (!A) return;  /* assign.js failed, and said so in the console */
  var el = A.el;
  var course = window.PARTENARIAT_COURSE || { course: "partenariat", lessons: [], final: { questions: [] } };
  var DAY = 86400000;

  function newId() {
    var bytes = new Uint8Array(8);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b % 36).toString(36); }).join("") + Date.now().toString(36).slice(-4);
  }

  /* A random UUID without dashes: the id of an assignment sent to an LRS (its registration). */
  function uuidHex() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  /* The form's optional LRS fields: {} when empty, {lrs} when complete, {error, field} (French) otherwise. */
  function lrsFromForm() {
    var url = document.getElementById("pt-assign-lrs-url");
    var user = document.getElementById("pt-assign-lrs-user");
    var key = document.getElementById("pt-assign-lrs-key");
    if (!url || (!url.value.trim() && !user.value && !key.value)) return {};
    var u = url.value.trim().replace(/\/?$/, "/");
    if (!/^https?:\/\/[^\s"<>]+\/$/.test(u) || u.length > 300) return { error: "L’adresse du LRS doit commencer par https:// (ou http://).", field: url };
    if (!user.value || user.value.indexOf(":") >= 0) return { error: "Indiquez l’identifiant d’écriture du LRS (sans «\u00a0:\u00a0»).", field: user };
    if (!key.value) return { error: "Indiquez le mot de passe de cet identifiant.", field: key };
    var bytes = new TextEncoder().encode(user.value + ":" + key.value);
    var bin = "";
    bytes.forEach(function (b) { bin += String.fromCharCode(b); });
    return { lrs: { url: u, auth: btoa(bin) } };
  }

  /* What the credential may do, asked to Ralph's `/whoami` (beside the xAPI address): the link hands it to every
   * learner, so it should write statements and read none. Says it in French in the fieldset's status line. */
  function checkCredential(lrs) {
    var out = document.getElementById("pt-assign-lrs-status");
    if (!out) return Promise.resolve();
    out.className = "pt-xapi-check";
    out.textContent = "Vérification de l’identifiant auprès du LRS…";
    var say = function (text, kind) { out.textContent = text; out.classList.add("is-" + kind); out.setAttribute("data-check", kind); };
    var whoami;
    try { whoami = new URL("../whoami", lrs.url).href; } catch (e) { say("Adresse du LRS illisible.", "error"); return Promise.resolve(); }
    return window.fetch(whoami, { cache: "no-store", credentials: "omit", headers: { "Authorization": "Basic " + lrs.auth } })
      .then(function (res) {
        if (res.status === 401 || res.status === 403) {
          return say("Le LRS refuse cet identifiant (erreur " + res.status + ")\u00a0: vérifiez l’identifiant et le mot de passe. " +
            "Avec ce lien, aucun résultat ne serait reçu.", "error");
        }
        if (!res.ok) return say("Le LRS ne permet pas de vérifier cet identifiant (erreur " + res.status + " sur " + whoami + ").", "unknown");
        return res.json().then(function (body) {
          var scopes = body && Array.isArray(body.scopes) ? body.scopes.map(String) : [];
          var reads = scopes.filter(function (x) { return x === "all" || /read/.test(x); });
          var writes = scopes.some(function (x) { return x === "all" || x === "all/write" || x === "statements/write"; });
          if (reads.length) {
            return say("Attention\u00a0: cet identifiant peut aussi lire (" + reads.join(", ") + "). Le lien le donne à chaque " +
              "apprenant\u00a0: toute personne qui a le lien pourrait lire les résultats du groupe. Créez un identifiant " +
              "d’écriture seule (portée «\u00a0statements/write\u00a0»).", "warning");
          }
          if (!writes) return say("Cet identifiant ne peut pas écrire de résultats (portées\u00a0: " + (scopes.join(", ") || "aucune") + ").", "error");
          return say("Identifiant vérifié\u00a0: écriture seule, il peut être mis dans le lien.", "ok");
        }, function () { say("Réponse du LRS illisible à l’adresse " + whoami + ".", "unknown"); });
      }, function () {
        say("LRS injoignable depuis cette page\u00a0: vérifiez l’adresse, le réseau, et que le LRS autorise l’adresse de ce site.", "error");
      });
  }

  function localDay(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  /* The site's root address, from Material's page configuration (its `base`, relative to this page). */
  function siteRoot() {
    var base = "..";
    try { base = JSON.parse(document.getElementById("__config").textContent).base || base; } catch (e) { /* keep ".." */ }
    var root = new URL(base.replace(/\/?$/, "/"), window.location.href);
    return root.origin + root.pathname;
  }

  function courseAddress(typed) {
    var url = typed.trim();
    if (!url) return "index.html";
    if (!/^https?:\/\/[^\s]+$/i.test(url)) return null;
    if (/\.html?$/i.test(url.split("#")[0])) return url.split("#")[0];
    return url.split("#")[0].replace(/\/?$/, "/") + "index.html";
  }

  function renderSheet(sheet, a, link) {
    sheet.textContent = "";
    var h = el("h2", "", "Devoir du groupe «\u00a0" + a.group + "\u00a0»");
    h.id = "pt-assign-sheet-title";
    sheet.appendChild(h);
    sheet.appendChild(el("p", "", "Module «\u00a0Partenariat\u00a0» — " + A.whenText(a.due, false).replace(/ — .*$/, "") +
      " — seuil de réussite\u00a0: " + a.pass + "\u00a0%."));
    var ul = el("ul");
    a.lessons.forEach(function (slug) { ul.appendChild(el("li", "", A.lessonOf(slug).title)); });
    if (a.final) ul.appendChild(el("li", "", "Évaluation finale"));
    sheet.appendChild(ul);
    var relative = !/^https?:/i.test(link);
    sheet.appendChild(el("p", "", relative
      ? "Ouvrez le module hors ligne (fichier index.html), puis collez ce lien dans «\u00a0Mon parcours\u00a0», rubrique «\u00a0Remettre votre travail\u00a0»\u00a0:"
      : "Ouvrez ce lien (ou scannez le code QR) dans le navigateur où vous suivrez le module\u00a0:"));
    var code = el("p", "pt-assign-link");
    var out = el("output", "", link);
    out.id = "pt-assign-link";
    code.appendChild(out);
    sheet.appendChild(code);
    if (typeof window.qrcode === "function") {
      var qr = window.qrcode(0, "M");
      qr.addData(link, "Byte");
      qr.make();
      var figure = el("div", "pt-qr");
      figure.setAttribute("role", "img");
      figure.setAttribute("aria-label", "Code QR du lien d’assignation");
      figure.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
      sheet.appendChild(figure);
    }
    sheet.appendChild(el("p", "", "Quand vous avez terminé\u00a0: «\u00a0Mon parcours\u00a0» → «\u00a0Télécharger le relevé\u00a0», et remettez le fichier à votre formateur."));
    var actions = el("p", "pt-no-print");
    var copy = el("button", "md-button", "Copier le lien");
    copy.type = "button";
    copy.addEventListener("click", function () {
      var msg = document.querySelector("#pt-assign-form .pt-form-message");
      var done = function (ok) { msg.textContent = ok ? "Lien copié." : "Copie impossible\u00a0: sélectionnez le lien et copiez-le."; };
      if (navigator.clipboard) navigator.clipboard.writeText(link).then(function () { done(true); }, function () { done(false); });
      else done(false);
    });
    var print = el("button", "md-button", "Imprimer la fiche");
    print.type = "button";
    print.addEventListener("click", function () { NS.printSheet(sheet); });
    actions.appendChild(copy);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(print);
    sheet.appendChild(actions);
    sheet.hidden = false;
  }

  function initForm() {
    var form = document.getElementById("pt-assign-form");
    if (!form) return;
    var due = document.getElementById("pt-assign-due");
    due.min = localDay(new Date());
    due.max = A.lastDay;
    if (!due.value) due.value = localDay(new Date(Date.now() + 14 * DAY));
    /* Served online, the module's own address is the one to give learners: prefilled from this page's. */
    var url = document.getElementById("pt-assign-url");
    if (!url.value && /^https?:$/.test(window.location.protocol)) url.value = siteRoot();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var msg = form.querySelector(".pt-form-message");
      var fail = function (text, field) {
        msg.textContent = text;
        msg.classList.add("is-error");
        if (field) field.focus();
      };
      msg.classList.remove("is-error");
      var lessons = Array.prototype.filter.call(form.querySelectorAll("input[name='lessons']"), function (i) { return i.checked; })
        .map(function (i) { return i.value; });
      var final = form.querySelector("input[name='final']").checked;
      var group = document.getElementById("pt-assign-group");
      var pass = document.getElementById("pt-assign-pass");
      if (!lessons.length && !final) return fail("Choisissez au moins une leçon ou l’évaluation finale.", form.querySelector("input[name='lessons']"));
      if (!group.value.trim()) return fail("Indiquez le nom du groupe.", group);
      if (!A.isDay(due.value)) return fail("Indiquez une date limite valide (jour, mois et année).", due);
      if (!A.dayInRange(due.value)) return fail("Date limite impossible\u00a0: choisissez un jour " + A.rangeText + ".", due);
      if (due.value < localDay(new Date())) return fail("La date limite est déjà passée\u00a0: choisissez aujourd’hui ou un jour à venir.", due);
      var mark = Number(pass.value);
      if (!Number.isInteger(mark) || mark < 0 || mark > 100) return fail("Le seuil de réussite est un nombre entier de 0 à 100.", pass);
      var base = courseAddress(url.value);
      if (base === null) return fail("L’adresse en ligne doit commencer par https:// (ou http://), ou rester vide.", url);
      var lrs = lrsFromForm();
      if (lrs.error) return fail(lrs.error, lrs.field);
      var a = { v: 1, course: course.course, id: newId(), group: group.value.trim(), lessons: lessons, final: final, due: due.value, pass: mark };
      if (lrs.lrs) { a.id = uuidHex(); a.lrs = lrs.lrs; }
      var why = A.problem(a, false);
      if (why) return fail("Devoir invalide\u00a0: " + why + ".");
      var link = base + "#" + A.param + A.encode(a);
      renderSheet(document.getElementById("pt-assign-sheet"), a, link);
      msg.textContent = "Lien créé\u00a0: transmettez-le au groupe, ou imprimez la fiche.";
      if (a.lrs) checkCredential(a.lrs);
    });
    var check = document.getElementById("pt-assign-lrs-check");
    if (check) {
      check.addEventListener("click", function () {
        var lrs = lrsFromForm();
        var out = document.getElementById("pt-assign-lrs-status");
        if (lrs.lrs) { checkCredential(lrs.lrs); return; }
        out.className = "pt-xapi-check is-error";
        out.textContent = lrs.error || "Indiquez l’adresse du LRS, l’identifiant et son mot de passe.";
        if (lrs.field) lrs.field.focus();
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initForm);
  else initForm();
})();
