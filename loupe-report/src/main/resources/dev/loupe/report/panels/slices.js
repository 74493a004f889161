/* Loupe panel 'slices': draws the view model of SlicesPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, ci = L.ci, table = L.table, chart = L.chart;

  L.panels.slices = function (body, vm) {
    vm.columns.forEach(function (col) {
      add(body, el('h2', null, 'by ' + col.column));
      var rows = col.rows;
      var data = rows.map(function (r, i) { var m = r.metrics[col.chartMetric] || {}; return [i, m.value, m.ciLow, m.ciHigh]; });
      // each slice's name gets its share of the width, cut with an ellipsis (the table below has it whole)
      var rotate = rows.length > 6;
      var slot = rotate ? 110 : Math.max(40, ((body.clientWidth || 600) - 85) / Math.max(1, rows.length) - 10);
      chart(body, {
        grid: { left: 60, right: 20, top: 36, bottom: rotate ? 80 : 40 },
        tooltip: { renderMode: 'richText', formatter: function (p) { var d = data[p.dataIndex]; return rows[d[0]].value + ': ' + L.sig(d[1]) + ' [' +
          L.sig(d[2]) + ', ' + L.sig(d[3]) + ']'; } },
        xAxis: { type: 'category', data: rows.map(function (r) { return r.value; }),
          axisLabel: { interval: 0, rotate: rotate ? 30 : 0, width: slot, overflow: 'truncate' } },
        yAxis: { type: 'value', name: col.chartMetric, scale: true },
        series: [
          { type: 'scatter', data: data.map(function (d) { return [d[0], isNum(d[1]) ? d[1] : null]; }), symbolSize: 9,
            markLine: col.overall && isNum(col.overall.value) ?
              { symbol: 'none', data: [{ yAxis: col.overall.value, name: 'overall' }], lineStyle: { type: 'dashed', color: '#999' },
                label: { formatter: 'overall', position: 'insideEndTop' } } : undefined },
          { type: 'custom', data: data.filter(function (d) { return isNum(d[2]) && isNum(d[3]); }), renderItem: function (params, api) {
            var lo = api.coord([api.value(0), api.value(2)]), hi = api.coord([api.value(0), api.value(3)]);
            var st = { stroke: '#1d2430', lineWidth: 1.5 };
            return { type: 'group', children: [
              { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: st },
              { type: 'line', shape: { x1: lo[0] - 5, y1: lo[1], x2: lo[0] + 5, y2: lo[1] }, style: st },
              { type: 'line', shape: { x1: hi[0] - 5, y1: hi[1], x2: hi[0] + 5, y2: hi[1] }, style: st }] };
          }, encode: { x: 0, y: [2, 3] }, z: 1 }
        ]
      });
      var headers = [col.column].concat(col.metrics), numeric = [false];
      col.metrics.forEach(function () { numeric.push(true); });
      add(body, table(headers, rows.map(function (r) {
        return [r.value].concat(col.metrics.map(function (m) { var x = r.metrics[m]; return x ? fmt(x.value) + ' ' + (isNum(x.ciLow) ? ci(x) : '') :
          '\u2014'; }));
      }), numeric));
    });
  };
})(window.Loupe);
