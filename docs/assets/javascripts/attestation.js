/* Partenariat: « Attestation de suivi » on « Mon parcours », a view of the progress store.
 * Offered only when every lesson question is answered and the final assessment is passed. The learner's name
 * is kept in the store's `profile` bucket ("name" → {value}). Printing shows the sheet alone, on one A4 page. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;
  var course = window.PARTENARIAT_COURSE || { lessons: [], final: { questions: [] }, passMark: 70 };

  /* {ok, final} where ok says whether the attestation may be offered. */
  function eligible() {
    var lessonsDone = course.lessons.every(function (l) {
      return l.questions.every(function (id) { return !!store.get("answers", id); });
    });
    var fin = NS.progress ? NS.progress.finalSummary() : { passed: false };
    return { ok: lessonsDone && fin.passed === true, final: fin };
  }

  /* How the result was obtained: only a trainer's code or a platform says « réussie » (issue 27). */
  function how(fin) {
    if (fin.via === "code") return "réussie, corrigée par le formateur (code de correction vérifié" +
      (fin.issued ? ", établi le " + fin.issued : "") + ")";
    if (fin.via === "platform") return "réussie, notée par la plateforme de formation";
    return "score déclaré par l’apprenant, corrigé dans son navigateur et non vérifié\u00a0: il ne vaut pas réussite";
  }

  NS.attestation = { eligible: eligible, how: how };

  function init() {
    var offer = document.getElementById("attestation");
    if (!offer || !store) return;
    var sheet = offer.querySelector(".pt-attestation");
    var input = offer.querySelector("#pt-name");
    var message = offer.querySelector(".pt-attestation-message");
    var set = function (name, text) { sheet.querySelector("[data-att='" + name + "']").textContent = text; };

    function render() {
      var state = eligible();
      offer.hidden = !state.ok;
      if (!state.ok) return;
      var profile = store.get("profile", "name");
      var name = profile ? profile.value : "";
      if (document.activeElement !== input) input.value = name;
      set("name", name || "(nom à saisir)");
      var s = state.final.s;
      set("score", s.correct + "\u00a0/\u00a0" + s.total + " soit " + s.score + "\u00a0%");
      set("pass", (state.final.passMark || course.passMark) + "\u00a0%" +
        (state.final.form ? " (sujet " + state.final.form + ")" : ""));
      set("how", how(state.final));
      set("date", new Date().toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric" }));
    }

    input.addEventListener("change", function () {
      var value = input.value.replace(/\s+/g, " ").trim().slice(0, 120);
      var result = store.put("profile", "name", { value: value });
      message.textContent = result.ok ? "" : "Nom non enregistré\u00a0: " + result.message;
      render();
    });

    offer.querySelector("[data-action='print-attestation']").addEventListener("click", function () {
      if (!input.value.trim()) {
        message.textContent = "Écrivez votre nom avant d’imprimer l’attestation.";
        input.focus();
        return;
      }
      input.dispatchEvent(new Event("change"));
      message.textContent = "";
      /* The sheet alone on paper: a copy at the top of <body>, the rest hidden by the print stylesheet. */
      var old = document.getElementById("pt-print-root");
      if (old) old.remove();
      var copy = sheet.cloneNode(true);
      copy.id = "pt-print-root";
      copy.removeAttribute("role");
      copy.removeAttribute("aria-label");
      copy.setAttribute("aria-hidden", "true");
      document.body.appendChild(copy);
      document.documentElement.classList.add("pt-print-attestation");
      window.print();
    });
    window.addEventListener("afterprint", function () {
      document.documentElement.classList.remove("pt-print-attestation");
      var old = document.getElementById("pt-print-root");
      if (old) old.remove();
    });

    render();
    store.on(render);
    document.addEventListener("partenariat:final", render);  /* a correction code verified (final.js) */
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
