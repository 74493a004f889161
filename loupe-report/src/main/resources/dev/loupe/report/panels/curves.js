/* Loupe panel 'curves': draws the view model of TrainingCurvesPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, labelled = L.labelled, chart = L.chart;

  L.panels.curves = function (body, vm, ctx) {
    var smooth = 0, log = false;
    var controls = el('div', 'controls');
    var s = el('input'); s.type = 'range'; s.min = 0; s.max = 0.99; s.step = 0.01; s.value = 0;
    var logBox = el('input'); logBox.type = 'checkbox';
    add(controls, labelled('smoothing', s), labelled('log scale', logBox));
    add(body, controls);
    var live = null;
    if (vm.status === 'running') { live = el('p', 'muted', ctx.api && window.EventSource ?
      'Live: this run is still running; new points appear as they are logged.' : 'This run is still running; reload for new points.'); add(body,
        live); }
    // one small chart per metric (its name is the chart's title), runs as colours with one legend by run above them
    var runs = [];
    vm.series.forEach(function (sr) { if (sr.run && runs.indexOf(sr.run) < 0) { runs.push(sr.run); } });
    if (runs.length) { add(body, L.htmlLegend(runs)); }
    var minis = el('div', 'minis');
    add(body, minis);
    var charts = {};
    function smoothed(sr) {
      var out = [], last = null;
      for (var i = 0; i < sr.x.length; i++) {
        var v = sr.y[i];
        if (!isNum(v)) { out.push([sr.x[i], null]); continue; }
        last = last === null ? v : smooth * last + (1 - smooth) * v;
        out.push([sr.x[i], log && last <= 0 ? null : last]);
      }
      return out;
    }
    function draw() {
      var byMetric = {}, order = [];
      vm.series.forEach(function (sr) {
        var m = sr.metric || sr.name;
        if (!byMetric[m]) { byMetric[m] = []; order.push(m); }
        byMetric[m].push(sr);
      });
      order.forEach(function (m) {
        if (!(m in charts)) {
          var cell = add(el('div', 'mini'), el('h3', null, m));
          cell.setAttribute('data-metric', m);
          add(minis, cell);
          charts[m] = chart(cell, { grid: { left: 56, right: 16, top: 36, bottom: 40 },
            tooltip: { trigger: 'axis', renderMode: 'richText', formatter: function (ps) {
              ps = ps.length ? ps : [ps];
              return m + ' at step ' + ps[0].value[0] + ps.map(function (p) { return '\n' + p.seriesName + ': ' + L.sig(p.value[1]); }).join('');
            } },
            xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 26 }, yAxis: { type: 'value', scale: true }, series: [] },
              'small');
        }
        if (!charts[m]) { return; }
        charts[m].setOption({ yAxis: { type: log ? 'log' : 'value', scale: true }, series: byMetric[m].map(function (sr) {
          var i = runs.indexOf(sr.run);
          return { name: sr.run || sr.name, type: 'line', showSymbol: false, data: smoothed(sr),
            color: i < 0 ? L.PALETTE[0] : L.PALETTE[i % L.PALETTE.length], lineStyle: { type: i >= L.PALETTE.length ? 'dashed' : 'solid' } };
        }) }, { replaceMerge: ['series'] });
      });
    }
    s.addEventListener('input', function () { smooth = +s.value; draw(); });
    logBox.addEventListener('change', function () { log = logBox.checked; draw(); });
    draw();
    if (vm.status === 'running' && ctx.api && window.EventSource) {
      var es = new EventSource(ctx.api + '/stream');
      es.addEventListener('points', function (ev) {
        var msg = JSON.parse(ev.data);
        msg.series.forEach(function (ns) {
          var cur = null;
          vm.series.forEach(function (sr) { if (sr.name === ns.name) { cur = sr; } });
          if (!cur) { cur = { name: ns.name, x: [], y: [] }; vm.series.push(cur); }
          var last = cur.x.length ? cur.x[cur.x.length - 1] : -Infinity;
          for (var i = 0; i < ns.x.length; i++) { if (ns.x[i] > last) { cur.x.push(ns.x[i]); cur.y.push(ns.y[i]); } }
        });
        draw();
        body.setAttribute('data-live-points', String(vm.series.reduce(function (n, sr) { return n + sr.x.length; }, 0)));
      });
      es.addEventListener('end', function () { es.close(); if (live) { live.textContent = 'The run has ended.'; } });
    }
  };
})(window.Loupe);
