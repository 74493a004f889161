/* Loupe panel 'generalization': draws the view model of GeneralizationPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, sig = L.sig, table = L.table, chart = L.chart, unitAxis = L.unitAxis;

  var withCi = L.withCi, signed = L.signed;
  function points(d) {
    var out = [];
    (d ? d.bins : []).forEach(function (b) { if (isNum(b.confidence) && isNum(b.accuracy)) { out.push([b.confidence, b.accuracy]); } });
    return out;
  }

  L.panels.generalization = function (body, vm) {
    add(body, el('p', 'muted', 'out of distribution: ' + vm.file + ' (' + vm.rowsOut + ' rows; in distribution ' +
      (isNum(vm.rowsIn) ? vm.rowsIn : '\u2014') + ' rows). Gap = out \u2212 in, 95% intervals from independent resamples.'));
    add(body, el('h2', null, 'reliability in and out of distribution'));
    add(body, el('div', 'big', 'ECE in ' + fmt(vm['in'] && vm['in'].ece) + '   ECE out ' + fmt(vm.out && vm.out.ece)));
    chart(body, {
      grid: { left: 72, right: 20, top: 40, bottom: 50 },
      legend: L.topLegend(),
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: function (p) {
        var v = p.value || [];
        return p.seriesName + '\nmean confidence ' + sig(v[0]) + '\naccuracy ' + sig(v[1]);
      } },
      xAxis: unitAxis('confidence'), yAxis: unitAxis('accuracy', true),
      series: [
        { name: 'in distribution', type: 'line', data: points(vm['in']), symbolSize: 6 },
        { name: 'out of distribution', type: 'line', data: points(vm.out), symbolSize: 6, lineStyle: { type: 'dashed' } },
        { name: 'perfectly calibrated', type: 'line', showSymbol: false, data: [[0, 0], [1, 1]], lineStyle: { type: 'dotted', color: '#999' },
          itemStyle: { color: '#999' }, tooltip: { show: false } }
      ]
    });
    add(body, el('h2', null, 'metrics in and out of distribution'));
    var t = table(['metric', 'in distribution', 'out of distribution', 'gap (out \u2212 in)'], vm.metrics.map(function (m) {
      return [m.metric, withCi(m['in']), withCi(m.out), signed(m.gap)];
    }), [false, true, true, true]);
    t.className = 'ood-gaps';
    add(body, t);
  };
})(window.Loupe);
