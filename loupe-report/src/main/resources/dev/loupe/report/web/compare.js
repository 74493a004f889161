/* Loupe page view: runs side by side (view model: CompareView.java). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, fmtCount = L.fmtCount, ci = L.ci, table = L.table;

  function renderCompare(parent, vm) {
    add(parent, el('h1', null, 'Compare ' + vm.runs.length + ' runs'));
    var grid = el('div', 'grid');
    add(parent, grid);
    var card = add(el('section', 'card wide'), el('h2', null, 'Metrics (Δ = difference from the first run)'));
    card.id = 'panel-compare';
    var headers = ['metric'], numeric = [false];
    vm.runs.forEach(function (r, i) { headers.push((r.name || r.id) + ' (' + r.id.slice(0, 6) + ')'); numeric.push(true); if (i > 0) { headers.push('Δ'); numeric.push(true); } });
    add(card, table(headers, vm.metrics.map(function (m) {
      var row = [m.name];
      m.values.forEach(function (v, i) {
        row.push(fmt(v.value) + (isNum(v.ciLow) ? ' ' + ci(v) : ''));
        if (i > 0) { row.push(isNum(v.delta) ? (v.delta > 0 ? '+' : '') + fmt(v.delta) : '—'); }
      });
      return row;
    }), numeric));
    add(grid, card);
    var paired = add(el('section', 'card wide'), el('h2', null, 'Paired comparison with the first run (the examples both runs scored)'));
    paired.id = 'panel-paired';
    add(grid, paired);
    if (!(vm.paired || []).length) {
      paired.className += ' empty';
      add(paired, el('p', null, 'No run shares stored examples with the first run, so only the intervals above can be compared.'));
    } else {
      add(paired, table(['run', 'shared examples', 'accuracy: first', 'accuracy: this', '\u0394 accuracy', '95% CI (paired bootstrap)',
        'only first right', 'only this right', 'McNemar p'], vm.paired.map(function (p) {
        return [p.run, fmtCount(p.n), fmt(p.accuracyA), fmt(p.accuracyB), (p.delta > 0 ? '+' : '') + fmt(p.delta),
          isNum(p.ciLow) ? '[' + fmt(p.ciLow) + ', ' + fmt(p.ciHigh) + ']' : 'no interval', fmtCount(p.onlyA), fmtCount(p.onlyB),
          isNum(p.pValue) ? (p.pValue < 1e-4 ? p.pValue.toExponential(1) : p.pValue.toFixed(4)) : '\u2014'];
      }), [false, true, true, true, true, true, true, true, true]));
      add(paired, el('p', 'muted', 'Both runs judged on the same examples: the interval resamples examples once for both, and McNemar\u2019s exact test '
        + 'asks whether the examples only one run gets right split evenly. A small p and an interval that excludes 0 mean a real difference.'));
    }
    [['roc', 'ROC curves', 'false positive rate', 'true positive rate', true], ['pr', 'Precision–recall curves', 'recall', 'precision', false],
      ['calibration', 'Reliability (equal-width bins)', 'confidence', 'accuracy', true]].forEach(function (c) {
      var sec = add(el('section', 'card'), el('h2', null, c[1]));
      add(grid, sec);
      if (!vm[c[0]].length) { sec.className += ' empty'; add(sec, el('p', null, 'None of these runs has this curve.')); return; }
      L.lineCurves(sec, { xLabel: c[2], yLabel: c[3], diagonal: c[4], series: vm[c[0]] });
    });
    var tc = add(el('section', 'card wide'), el('h2', null, 'Training curves'));
    add(grid, tc);
    if (!vm.curves.length) { tc.className += ' empty'; add(tc, el('p', null, 'None of these runs has training curves.')); }
    else { L.panels.curves(tc, { status: 'finished', series: vm.curves }, {}); }
  }
  L.renderCompare = renderCompare;
})(window.Loupe);
