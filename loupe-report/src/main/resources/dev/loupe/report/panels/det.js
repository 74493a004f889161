/* Loupe panel 'det': draws the view model of DetPanel.java (beside this file). Both axes are on the probit (normal
   deviate) scale: the view model gives the deviates and the ticks (DetPanel.TICKS, the one definition the plot command
   draws too). ECharts 5.3 cannot place value-axis ticks at chosen values, so its own labels, ticks and split lines
   are off and each tick is a grid line (markLine) labelled at its start: below the x axis, left of the y axis. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, chart = L.chart, xy = L.xy;

  L.panels.det = function (body, vm) {
    var labels = vm.ticks.map(function (t) { return t.label; });
    function axis(name, gap) {
      return { type: 'value', min: vm.min, max: vm.max, name: name, nameLocation: 'middle', nameGap: gap,
        loupeScale: 'probit', loupeTicks: labels,
        axisLine: { onZero: false }, axisTick: { show: false }, axisLabel: { show: false }, splitLine: { show: false } };
    }
    function mark(dim, t) {
      var m = { label: { formatter: t.label } };
      m[dim] = t.value;
      return m;
    }
    var marks = vm.ticks.map(function (t) { return mark('xAxis', t); }).concat(vm.ticks.map(function (t) { return mark('yAxis', t); }));
    var pct = function (z) { return L.sig(100 * L.normalCdf(z)) + '%'; };
    chart(body, {
      grid: { left: 82, right: 24, top: 36, bottom: 58 },
      tooltip: { trigger: 'axis', renderMode: 'richText', formatter: function (ps) { var p = ps.length ? ps[0] : ps; return 'false positive rate ' +
        pct(p.value[0]) + '\nfalse negative rate ' + pct(p.value[1]); } },
      xAxis: axis('false positive rate', 30), yAxis: axis('false negative rate', 58),
      series: [{ name: vm.positive, type: 'line', showSymbol: false, data: xy(vm.x, vm.y),
        markLine: { symbol: 'none', silent: true, label: { show: true, position: 'start', color: '#5f6b7a', fontSize: 12 },
          lineStyle: { color: '#e5e9ee', type: 'solid', width: 1 }, emphasis: { disabled: true }, data: marks } }]
    }, 'tall');
    add(body, el('p', 'muted', 'Both axes on the normal deviate (probit) scale, ticks at ' + labels.join(', ') + '. Positive class: ' + vm.positive +
      '.'));
  };
})(window.Loupe);
