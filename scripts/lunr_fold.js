/* Partenariat: French search that forgives missing accents. Appended to Material's lunr.fr by the
 * build hook: the same folding runs on indexed words and on queries, before French stemming, so
 * "cooperation" finds "coopération" while results keep their accents. */
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
  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.clause = function (spec) {
    if (spec && typeof spec.term === "string") spec.term = plain(spec.term);
    return clause.call(this, spec);
  };
  lunr.Pipeline.registerFunction(fold, "foldAccents-fr");
  var folded = function () {
    original.call(this);
    this.pipeline.before(lunr.fr.stemmer, fold);
    if (this.searchPipeline) this.searchPipeline.before(lunr.fr.stemmer, fold);
  };
  Object.keys(original).forEach(function (key) { folded[key] = original[key]; });
  folded.foldsAccents = true;
  lunr.fr = folded;
})();
