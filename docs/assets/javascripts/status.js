/* Partenariat: the saving banner shown on every page when the progress store cannot save, or has set unreadable
 * data aside (a view of the store), and the download helper shared by the views. */
(function () {
  "use strict";

  var NS = window.Partenariat = window.Partenariat || {};
  var store = NS.store;

  /* Offers `text` as a file to download; returns the file name. The nameless link leaves the page at once (a
   * screen reader or an audit must never meet it); only the file's address outlives it, for slow downloads. */
  NS.download = function (name, text, type) {
    var blob = new Blob([text], { type: type || "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 40000);
    return name;
  };

  NS.exportProgress = function () {
    return NS.download("partenariat-progression-" + new Date().toISOString().slice(0, 10) + ".json", store.exportJSON());
  };

  var banner = null;

  function render() {
    var s = store.status();
    if (!s.message) {
      if (banner) banner.hidden = true;
      return;
    }
    if (!banner) {
      var host = document.querySelector("article.md-content__inner") || document.querySelector("main") || document.body;
      banner = document.createElement("div");
      banner.className = "pt-store-banner";
      banner.setAttribute("role", "alert");
      var text = document.createElement("p");
      text.className = "pt-store-banner__text";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.textContent = "Exporter ma progression (JSON)";
      button.addEventListener("click", function () { NS.exportProgress(); });
      banner.appendChild(text);
      banner.appendChild(button);
      host.insertBefore(banner, host.firstChild);
    }
    /* A problem (saving fails) is an alert with an export button; data set aside safely is information. */
    banner.setAttribute("role", s.ok ? "status" : "alert");
    banner.classList.toggle("pt-store-banner--info", s.ok);
    banner.querySelector("button").hidden = s.ok;
    banner.querySelector(".pt-store-banner__text").textContent = s.message;
    banner.hidden = false;
  }

  function init() {
    render();
    store.on(render);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
