/* Loupe panel 'efficiency': draws the view model of EfficiencyPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt, table = L.table, kv = L.kv, chart = L.chart;

  L.panels.efficiency = function (body, vm) {
    // the summary beside the latency chart, the table of every cell under both
    var split = el('div', 'split'), summary = el('div'), side = el('div');
    add(body, add(split, summary, side));
    add(summary, kv(Object.keys(vm.summary).reduce(function (o, k) { var v = vm.summary[k]; o[k] = typeof v === 'number' ?
      (Math.abs(v) >= 100 || Math.round(v) === v ? Math.round(v).toLocaleString('en') : fmt(v, Math.abs(v) >= 1 ? 2 : 4)) : v; return o; }, {})));
    if (!vm.cells.length) { return; }
    add(body, el('h2', null, 'Latency (ms) and throughput'));
    add(body, table(['batch', 'tokens', 'p50', 'p95', 'p99', 'sequences/s', 'tokens/s', 'GFLOP/s'], vm.cells.map(function (c) {
      return [c.batchSize, c.seqLen, fmt(c.p50Ms, 1), fmt(c.p95Ms, 1), fmt(c.p99Ms, 1), fmt(c.sequencesPerSecond, 1), fmt(c.tokensPerSecond, 0),
        fmt(c.gflopsPerSecond, 1)];
    }), [true, true, true, true, true, true, true, true]));
    chart(side, { grid: { left: 64, right: 20, top: 36, bottom: 50 }, legend: L.topLegend(),
      xAxis: { type: 'category', data: vm.cells.map(function (c) { return c.batchSize + '×' + c.seqLen; }), name: 'batch × tokens',
        nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', name: 'latency (ms)', nameLocation: 'middle', nameGap: 48 },
      series: ['p50Ms', 'p95Ms', 'p99Ms'].map(function (k) { return { name: k.replace('Ms', ''), type: 'bar',
        data: vm.cells.map(function (c) { return c[k]; }) }; }) });
  };
})(window.Loupe);
