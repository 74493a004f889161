/* Loupe panel 'fairness': draws the view model of FairnessPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, table = L.table, chart = L.chart;

  var withCi = L.withCi;

  L.panels.fairness = function (body, vm) {
    add(body, el('h2', null, 'by ' + vm.column));
    var groups = vm.groups;
    var rotate = groups.length > 6;
    var slot = rotate ? 110 : Math.max(40, ((body.clientWidth || 600) - 85) / Math.max(1, groups.length) - 10);
    var series = [['selection rate', 'selectionRate'], ['true positive rate', 'tpr'], ['false positive rate', 'fpr']];
    chart(body, {
      grid: { left: 60, right: 20, top: 40, bottom: rotate ? 80 : 40 },
      legend: { top: 2, left: 'center', data: series.map(function (s) { return s[0]; }) },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: groups.map(function (g) { return g.name; }),
        axisLabel: { interval: 0, rotate: rotate ? 30 : 0, width: slot, overflow: 'truncate' } },
      yAxis: { type: 'value', min: 0, max: 1 },
      series: series.map(function (s) {
        return { name: s[0], type: 'bar', data: groups.map(function (g) { return isNum(g[s[1]]) ? g[s[1]] : null; }) };
      })
    });
    add(body, el('h2', null, 'gaps between the groups (Fairlearn)'));
    add(body, table(['gap', 'value', '95% interval', 'better'], vm.gaps.map(function (g) {
      return [g.name, fmt(g.value), isNum(g.ciLow) ? L.ci(g) : 'no interval', g.higherIsBetter ? 'higher' : 'lower'];
    }), [false, true, true, false]));
    add(body, el('h2', null, 'per group'));
    add(body, table([vm.column, 'rows', 'selection rate', 'true positive rate', 'false positive rate', 'accuracy', 'recall'],
      groups.map(function (g) {
        return [g.name, String(g.rows), fmt(g.selectionRate), fmt(g.tpr), fmt(g.fpr), withCi(g.accuracy), withCi(g.recall)];
      }), [false, true, true, true, true, true, true]));
    if (vm.warnings.length) {
      var ul = el('ul', 'muted');
      vm.warnings.forEach(function (w) { add(ul, el('li', null, w)); });
      add(body, ul);
    }
  };
})(window.Loupe);
