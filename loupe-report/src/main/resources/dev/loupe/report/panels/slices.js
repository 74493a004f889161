/* Loupe panel 'slices': draws the view model of SlicesPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, sig = L.sig, ci = L.ci, table = L.table, chart = L.chart;

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
          L.errorBars(data)
        ]
      });
      var headers = [col.column].concat(col.metrics), numeric = [false];
      col.metrics.forEach(function () { numeric.push(true); });
      add(body, table(headers, rows.map(function (r) {
        return [r.value].concat(col.metrics.map(function (m) { var x = r.metrics[m]; return x ? fmt(x.value) + ' ' + (isNum(x.ciLow) ? ci(x) : '') :
          '\u2014'; }));
      }), numeric));
    });
    if (vm.heatmap) { heatmap(body, vm.heatmap); }
    if (vm.weak) { weak(body, vm.weak); }
  };

  /* A metric over two slice dimensions: one cell per pair of slices, its value written in it; empty pairs blank. */
  function heatmap(body, h) {
    add(body, el('h2', null, h.rows + ' \u00d7 ' + h.columns));
    var controls = el('div', 'controls'), holder = el('div', 'heatmap');
    add(body, controls, holder);
    function draw(metric) {
      holder.textContent = '';
      var data = [], lo = Infinity, hi = -Infinity, byCell = {};
      h.cells.forEach(function (c) {
        var m = c.metrics[metric] || {}, x = h.columnValues.indexOf(c.column), y = h.rowValues.indexOf(c.row);
        byCell[x + ',' + y] = c;
        data.push([x, y, isNum(m.value) ? m.value : '-']);
        if (isNum(m.value)) { lo = Math.min(lo, m.value); hi = Math.max(hi, m.value); }
      });
      if (lo === Infinity) { lo = 0; hi = 1; }
      var slotX = Math.max(40, ((body.clientWidth || 600) - 160) / Math.max(1, h.columnValues.length) - 8);
      chart(holder, {
        grid: { left: 110, right: 24, top: 36, bottom: 90 },
        tooltip: { trigger: 'item', renderMode: 'richText', formatter: function (p) {
          var c = byCell[p.value[0] + ',' + p.value[1]], m = (c && c.metrics[metric]) || {};
          return h.rows + '=' + c.row + ', ' + h.columns + '=' + c.column + '\n' + metric + ' ' + sig(m.value) +
            (isNum(m.ciLow) ? ' [' + sig(m.ciLow) + ', ' + sig(m.ciHigh) + ']' : '') + '\nrows: ' + c.rows;
        } },
        xAxis: { type: 'category', data: h.columnValues, name: h.columns, nameLocation: 'middle', nameGap: 28,
          axisLabel: { interval: 0, width: slotX, overflow: 'truncate' }, splitArea: { show: true } },
        yAxis: { type: 'category', data: h.rowValues, inverse: true, axisLabel: { width: 96, overflow: 'truncate' }, splitArea: { show: true } },
        visualMap: { min: lo, max: hi === lo ? lo + 1e-9 : hi, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
          itemHeight: 120, text: [sig(hi), sig(lo)], inRange: { color: ['#D55E00', '#F0E442', '#009E73'] } },
        series: [{ type: 'heatmap', data: data,
          label: { show: true, formatter: function (p) { return isNum(p.value[2]) ? fmt(p.value[2], 3) : ''; } } }]
      });
    }
    var metric = h.metrics.indexOf('accuracy') >= 0 ? 'accuracy' : h.metrics[0];
    add(controls, L.labelled('metric', L.select(h.metrics.map(function (m) { return [m, m]; }), metric, draw)));
    draw(metric);
  }

  /* The weak slices the search found: error rate above the overall one, with intervals adjusted for the slices tested. */
  function weak(body, w) {
    add(body, el('h2', null, 'weak slices'));
    add(body, el('p', 'muted', w.tested + ' slices of at least ' + w.minSupport + ' rows tested (conjunctions of up to ' + w.maxLevel +
      '); the overall error rate is ' + fmt(w.errorRate) + ' over ' + w.rows + ' rows. Each interval is at the ' +
      (isNum(w.level) ? (100 * w.level).toFixed(4) : '\u2014') + '% level, so together they hold at 95% (Bonferroni); "worse" means the whole' +
      ' interval lies above the overall rate.'));
    if (!w.slices.length) { add(body, el('p', 'muted', 'No slice with enough rows has a higher error rate.')); return; }
    var t = table(['slice', 'rows', 'errors', 'error rate', 'adjusted interval', 'worse'], w.slices.map(function (s) {
      return [s.name, String(s.rows), String(s.errors), fmt(s.errorRate), ci(s), s.worse ? 'yes' : 'no'];
    }), [false, true, true, true, true, false]);
    t.className = 'weak-slices';
    add(body, t);
  }
})(window.Loupe);
