/* Loupe page view: runs side by side (view model: CompareView.java). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, link = L.link, isNum = L.isNum, fmt = L.fmt, fmtCount = L.fmtCount, ci = L.ci, table = L.table;

  /* The metrics table against a baseline: headline metrics, then the rest under "more metrics"; each Δ coloured
     better or worse by the metric's direction (lower is better for losses, Brier, ECE, MCE). */
  function metricsTable(vm, base) {
    var headers = ['metric'], numeric = [false];
    vm.runs.forEach(function (r, i) {
      headers.push(r.label + (i === base ? ' (baseline)' : '')); numeric.push(true);
      if (i !== base) { headers.push('\u0394'); numeric.push(true); }
    });
    function build(list) {
      var t = table(headers, [], numeric), tb = t.querySelector ? t.querySelector('tbody') : t.children[1];
      list.forEach(function (m) {
        var tr = el('tr');
        var name = el('td', 'nowrap', m.name);
        if (m.sameAs) { name.setAttribute('title', 'equals ' + m.sameAs + ' in every run'); name.textContent = m.name + ' (= ' + m.sameAs + ')'; }
        add(tr, name);
        var b = m.values[base].value;
        m.values.forEach(function (v, i) {
          add(tr, el('td', 'num', fmt(v.value) + (isNum(v.ciLow) ? ' ' + ci(v) : '')));
          if (i === base) { return; }
          var d = isNum(v.value) && isNum(b) ? v.value - b : null;
          var cell = el('td', 'num delta', isNum(d) ? (d > 0 ? '+' : '') + fmt(d) : '\u2014');
          if (isNum(d) && Math.abs(d) > 5e-5) {
            var better = m.higherIsBetter ? d > 0 : d < 0;
            cell.className += better ? ' better' : ' worse';
            cell.setAttribute('title', (better ? 'better' : 'worse') + ' than the baseline (' + (m.higherIsBetter ? 'higher' : 'lower') +
              ' is better)');
          }
          add(tr, cell);
        });
        add(tb, tr);
      });
      return t;
    }
    var out = el('div', 'metrics-table');
    var head = vm.metrics.filter(function (m) { return m.headline; }), rest = vm.metrics.filter(function (m) { return !m.headline; });
    add(out, build(head.length ? head : rest));
    if (head.length && rest.length) {
      var more = add(el('details'), el('summary', null, rest.length + ' more metrics (micro averages equal to accuracy marked)'));
      add(more, build(rest));
      add(out, more);
    }
    return out;
  }

  function renderCompare(parent, vm) {
    add(parent, el('h1', null, 'Compare ' + vm.runs.length + ' runs'));
    var nav = add(el('nav', 'crumbs'), L.page.api ? link('\u2190 all runs', L.page.base) : null);
    vm.runs.forEach(function (r) { add(nav, el('span', 'muted', ' \u00b7 '), link(r.label, L.runHref(r.id))); });
    add(parent, nav);
    var hashes = [];
    vm.runs.forEach(function (r) { if (r.datasetHash && hashes.indexOf(r.datasetHash) < 0) { hashes.push(r.datasetHash); } });
    if (hashes.length > 1) {
      var w = add(el('div', 'warn'), el('strong', null, 'These runs were scored on different data: '),
        el('span', null, vm.runs.map(function (r) { return r.label + ': ' + (r.dataset || '?') + ' (' + (r.datasetHash || 'no hash') +
          ')'; }).join('; ')
          + '. Their metrics are not directly comparable.'));
      w.setAttribute('data-role', 'dataset-warning');
      add(parent, w);
    }
    var grid = el('div', 'grid');
    add(parent, grid);
    var card = add(el('section', 'card wide'), el('h2', null, 'Metrics'));
    card.id = 'panel-compare';
    var base = 0;
    var holder = el('div');
    var choose = L.select(vm.runs.map(function (r, i) { return [String(i), r.label]; }), '0', function (v) {
      base = +v;
      if (L.page.api) { // the dashboard recomputes the paired comparison against the new baseline
        var ids = [vm.runs[base].id].concat(vm.runs.filter(function (r, i) { return i !== base; }).map(function (r) { return r.id; }));
        window.location.href = L.page.base + 'compare?runs=' + ids.map(encodeURIComponent).join(',');
        return;
      }
      holder.textContent = ''; add(holder, metricsTable(vm, base));
    });
    choose.setAttribute('data-role', 'baseline');
    add(card, add(el('div', 'controls'), L.labelled('\u0394 against the baseline', choose)), holder);
    add(holder, metricsTable(vm, base));
    add(grid, card);
    var paired = add(el('section', 'card wide'), el('h2', null, 'Paired comparison with ' + vm.runs[0].label + ' (the examples both runs scored)'));
    paired.id = 'panel-paired';
    add(grid, paired);
    var pending = null;
    if (vm.pairedApi) { // the dashboard sends it after the charts: it reads every stored example of each run
      var loading = el('p', 'muted', 'Loading\u2026'); // (add returns the parent)
      add(paired, loading);
      pending = L.getJson(vm.pairedApi).then(function (rows) { paired.removeChild(loading); drawPaired(rows); },
        function (e) { paired.removeChild(loading); add(paired, el('div', 'warn', 'Could not load the paired comparison: ' + e.message)); });
    } else {
      drawPaired(vm.paired);
    }
    function drawPaired(rows) {
      if (!(rows || []).length) {
        paired.className += ' empty';
        add(paired, el('p', null, 'No run shares stored examples with the first run, so only the intervals above can be compared.'));
      } else {
        add(paired, table(['run', 'shared examples', 'accuracy: first', 'accuracy: this', '\u0394 accuracy', '95% CI (paired bootstrap)',
          'only first right', 'only this right', 'McNemar p'], rows.map(function (p) {
          return [p.run, fmtCount(p.n), fmt(p.accuracyA), fmt(p.accuracyB), (p.delta > 0 ? '+' : '') + fmt(p.delta),
            isNum(p.ciLow) ? '[' + fmt(p.ciLow) + ', ' + fmt(p.ciHigh) + ']' : 'no interval', fmtCount(p.onlyA), fmtCount(p.onlyB),
            isNum(p.pValue) ? (p.pValue < 1e-4 ? p.pValue.toExponential(1) : p.pValue.toFixed(4)) : '\u2014'];
        }), [false, true, true, true, true, true, true, true, true]));
        add(paired, el('p', 'muted', 'Both runs judged on the same examples: the interval resamples examples once for both, '
          + 'and McNemar\u2019s exact test '
          + 'asks whether the examples only one run gets right split evenly. A small p and an interval that excludes 0 mean a real difference.'));
      }
    }
    // the three overlaid curves side by side (three columns where they fit), so that none sits alone in a row
    var curves = el('div', 'grid three');
    add(parent, curves);
    [['roc', 'ROC curves', 'false positive rate', 'true positive rate', true], ['pr', 'Precision–recall curves', 'recall', 'precision', false],
      ['calibration', 'Reliability (equal-width bins)', 'confidence', 'accuracy', true]].forEach(function (c) {
      var sec = add(el('section', 'card'), el('h2', null, c[1]));
      add(curves, sec);
      if (!vm[c[0]].length) { sec.className += ' empty'; add(sec, el('p', null, 'None of these runs has this curve.')); return; }
      L.lineCurves(sec, { xLabel: c[2], yLabel: c[3], diagonal: c[4], series: vm[c[0]] });
    });
    var tc = add(el('section', 'card wide'), el('h2', null, 'Training curves'));
    add(parent, tc);
    if (!vm.curves.length) { tc.className += ' empty'; add(tc, el('p', null, 'None of these runs has training curves.')); }
    else { L.panels.curves(tc, { status: 'finished', series: vm.curves }, {}); }
    return pending;
  }
  L.renderCompare = renderCompare;
})(window.Loupe);
