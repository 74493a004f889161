/* Loupe panel 'overview': draws the view model of OverviewPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt, fmtCount = L.fmtCount, ci = L.ci, table = L.table, kv = L.kv;

  L.panels.overview = function (body, vm) {
    var cards = el('div', 'cards');
    vm.cards.forEach(function (m) {
      add(cards, add(el('div', 'metric'), el('div', 'name', m.name), el('div', 'value', fmt(m.value)), el('div', 'ci', ci(m))));
    });
    if (vm.cards.length === 0) { add(body, el('p', 'muted', 'This run has no stored metrics.')); }
    add(body, cards);
    vm.warnings.forEach(function (w) { add(body, el('div', 'warn', w)); });
    var ds = vm.dataset;
    var cl = ds.cleaning;
    if (ds.rows !== null || cl) {
      add(body, el('h2', null, 'Data set'));
      var rows = [];
      if (ds.rows !== null) {
        rows.push(['rows', fmtCount(ds.rows)], ['classes', ds.classes.join(', ')]);
        if (ds.positive) { rows.push(['positive class', ds.positive]); }
        Object.keys(ds.support).forEach(function (k) { rows.push(['support: ' + k, fmtCount(ds.support[k])]); });
      }
      if (cl) {
        var what = ' (' + (cl.dataset ? cl.dataset + ', ' : '') + 'whole data set)';
        rows.push(['cleaning: rows read' + what, fmtCount(cl.input)]);
        rows.push(['cleaning: rows kept', fmtCount(cl.kept)]);
        rows.push(['cleaning: empty texts', fmtCount(cl.empty) +
          (cl.emptyRemoved === cl.empty ? ' (removed)' : ' (' + fmtCount(cl.emptyRemoved) + ' removed)')]);
        rows.push(['cleaning: exact duplicates', fmtCount(cl.duplicates) +
          (cl.duplicatesRemoved === cl.duplicates ? ' (removed, first kept)' : ' (' + fmtCount(cl.duplicatesRemoved) + ' removed)')
          + (cl.conflictingDuplicates ? ', ' + fmtCount(cl.conflictingDuplicates) + ' with a different label than the first' : '')]);
        rows.push(['cleaning: over ' + fmtCount(cl.maxChars) + ' characters', fmtCount(cl.overLong) + ' (kept; truncated by the tokenizer)']);
      }
      add(body, table(['', ''], rows));
    }
    if (vm.metrics.length) {
      add(body, el('h2', null, 'All metrics'));
      add(body, table(['metric', 'value', '95% CI'], vm.metrics.map(function (m) { return [m.name, fmt(m.value), ci(m)]; }), [false, true, true]));
    }
    add(body, el('h2', null, 'Provenance'), kv(vm.provenance));
    if (Object.keys(vm.params || {}).length) { add(body, el('h2', null, 'Parameters'), kv(vm.params)); }
  };
})(window.Loupe);
