/* Loupe panel 'robustness': draws the view model of RobustnessPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, sig = L.sig, table = L.table, chart = L.chart;

  var withCi = L.withCi, signed = L.signed;

  /* A metric against severity, one line per kind of perturbation, clean at severity 0, with error bars. */
  function severityChart(holder, vm, metric) {
    holder.textContent = '';
    if (!vm.kinds.length) { add(holder, el('p', 'muted', 'No perturbation with a severity.')); return; }
    var clean = vm.clean[metric] || {};
    var series = [];
    vm.kinds.forEach(function (k, i) {
      var rows = [[0, clean.value, clean.ciLow, clean.ciHigh]];
      k.points.forEach(function (p) { var m = p.metrics[metric] || {}; rows.push([p.severity, m.value, m.ciLow, m.ciHigh]); });
      rows.sort(function (a, b) { return a[0] - b[0]; });
      var color = L.PALETTE[i % L.PALETTE.length];
      series.push({ name: k.kind, type: 'line', symbolSize: 7, color: color,
        data: rows.map(function (r) { return [r[0], isNum(r[1]) ? r[1] : null, r[2], r[3]]; }) });
      var bars = L.errorBars(rows, color);
      bars.name = k.kind;
      series.push(bars);
    });
    chart(holder, {
      grid: { left: 64, right: 24, top: 44, bottom: 46 },
      legend: L.topLegend(),
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: function (p) {
        var v = p.value || [];
        return p.seriesName + ' at severity ' + sig(v[0]) + '\n' + metric + ' ' + sig(v[1]) +
          (isNum(v[2]) && isNum(v[3]) ? ' [' + sig(v[2]) + ', ' + sig(v[3]) + ']' : '');
      } },
      xAxis: { type: 'value', min: 0, name: 'severity', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', scale: true, name: metric, nameLocation: 'middle', nameGap: 46 },
      series: series
    });
  }

  /* Clean against perturbed text: removed words struck through, added ones underlined (text only, never markup). */
  function diff(parts) {
    var clean = el('div', 'diff clean'), perturbed = el('div', 'diff perturbed');
    add(clean, el('span', 'diff-label', 'clean: '));
    add(perturbed, el('span', 'diff-label', 'perturbed: '));
    parts.forEach(function (p) {
      if (p.op !== 'ins') { add(clean, el(p.op === 'del' ? 'del' : 'span', null, p.text)); }
      if (p.op !== 'del') { add(perturbed, el(p.op === 'ins' ? 'ins' : 'span', null, p.text)); }
    });
    return add(el('div', 'diff-pair'), clean, perturbed);
  }

  L.panels.robustness = function (body, vm) {
    var metric = vm.metrics.indexOf('accuracy') >= 0 ? 'accuracy' : vm.metrics[0];
    add(body, el('p', 'muted', vm.model + ' on ' + vm.rows + ' rows; 95% intervals; \u0394 = perturbed \u2212 clean with a paired'
      + ' bootstrap interval (both scorings share each row\'s resampling weights).'));
    var controls = el('div', 'controls'), holder = el('div');
    add(body, el('h2', null, 'metric against severity'), controls, holder);
    if (metric) {
      add(controls, L.labelled('metric', L.select(vm.metrics.map(function (m) { return [m, m]; }), metric,
        function (v) { metric = v; severityChart(holder, vm, metric); })));
      severityChart(holder, vm, metric);
    }
    add(body, el('h2', null, 'per perturbation'));
    var headers = ['perturbation'], numeric = [false];
    vm.metrics.slice(0, 2).forEach(function (m) { headers.push(m, '\u0394 ' + m); numeric.push(true, true); });
    headers.push('flip rate');
    numeric.push(true);
    var t = table(headers, [['clean'].concat(vm.metrics.slice(0, 2).reduce(function (a, m) { return a.concat([withCi(vm.clean[m]), '']); }, []),
      [''])].concat(vm.perturbations.map(function (p) {
      var row = [p.name];
      vm.metrics.slice(0, 2).forEach(function (m) { row.push(withCi(p.metrics[m]), signed(p.deltas[m])); });
      row.push(withCi(p.flipRate));
      return row;
    })), numeric);
    t.className = 'robustness-table';
    add(body, t);
    var flipped = vm.perturbations.filter(function (p) { return p.examples.length; });
    add(body, el('h2', null, 'flipped examples'));
    if (!flipped.length) { add(body, el('p', 'muted', 'No perturbation flipped a prediction.')); return; }
    var list = el('div', 'flipped');
    function show(name) {
      list.textContent = '';
      var p = flipped.filter(function (x) { return x.name === name; })[0];
      add(list, el('p', 'muted', p.flips + ' of ' + vm.rows + ' rows flipped by ' + p.name + '; the largest changes of probability first.'));
      p.examples.forEach(function (e) {
        var head = el('div', 'flip-head', e.id + ': ' + e.cleanPred + ' \u2192 ' + e.perturbedPred + '   P(' + e.cleanPred + ') ' +
          fmt(e.cleanProb) + ' \u2192 ' + fmt(e.perturbedProb));
        add(list, add(el('div', 'flip'), head, diff(e.diff)));
      });
    }
    var pick = el('div', 'controls');
    add(pick, L.labelled('perturbation', L.select(flipped.map(function (p) { return [p.name, p.name + ' (' + p.flips + ')']; }),
      flipped[0].name, show)));
    add(body, pick, list);
    show(flipped[0].name);
  };
})(window.Loupe);
