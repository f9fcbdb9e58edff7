/* Partenariat: French search that forgives missing accents. Appended to Material's lunr.fr by the
 * build hook: the same folding runs on indexed words and on queries, before French stemming, so
 * "cooperation" finds "coopération" while results keep their accents. One-letter terms and French
 * elisions (the « l » of « l'État », « qu » of « qu'il ») are dropped from queries: as prefix queries
 * they would match, and highlight, every word starting with that letter.
 * Ranking (mkdocs.yml keeps stop words in the index): a French stop word in a query (« le », « ce », « un »)
 * matches that word only, not as a prefix of « Levesque », « certain », « union » in titles, which outweighed
 * the query's real words; and titles are weighed by their length a little (lunr's b, which Material sets to 0),
 * so among titles holding every word of the query the shortest, the one the query names, comes first. */
(function () {
  if (typeof lunr === "undefined" || !lunr.fr || lunr.fr.foldsAccents) return;
  var original = lunr.fr;
  var plain = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/œ/g, "oe").replace(/æ/g, "ae");
  };
  var fold = function (token) {
    return token.update(plain);
  };
  // Material turns each query term into a prefix query ("term*"), which lunr does not pass through
  // the search pipeline: fold those terms where every clause is built.
  var ELISIONS = ["qu", "lorsqu", "puisqu", "jusqu", "quoiqu", "presqu", "quelqu"];
  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.clause = function (spec) {
    if (spec && typeof spec.term === "string") {
      spec.term = plain(spec.term);
      var bare = spec.term.replace(/\*/g, "").toLowerCase();
      if (bare.length < 2 || ELISIONS.indexOf(bare) >= 0) return this;
      if (!original.stopWordFilter(bare)) spec.term = bare;  // a stop word: exact match, no trailing "*"
    }
    return clause.call(this, spec);
  };
  lunr.Pipeline.registerFunction(fold, "foldAccents-fr");
  var folded = function () {
    original.call(this);
    this.b(0.1);  // after Material's b(0): small, it settles near-ties between titles, the shorter first
    this.pipeline.before(lunr.fr.stemmer, fold);
    if (this.searchPipeline) this.searchPipeline.before(lunr.fr.stemmer, fold);
  };
  Object.keys(original).forEach(function (key) { folded[key] = original[key]; });
  folded.foldsAccents = true;
  lunr.fr = folded;
})();
