/* Loupe front end: renders panel view models. Shared by the dashboard and the report.
   Safety: every string from data is inserted with textContent or as an attribute value set through the DOM;
   never innerHTML. ECharts tooltips use richText (no HTML). */
(function () {
  'use strict';
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
  var charts = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) { if (arguments[i]) { parent.appendChild(arguments[i]); } }
    return parent;
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function fmt(v, d) { return isNum(v) ? v.toFixed(d === undefined ? 4 : d) : '\u2014'; }
  function fmtCount(v) { return isNum(v) ? (Math.round(v) === v ? String(v) : v.toFixed(2)) : '\u2014'; }
  function ci(m) { return isNum(m.ciLow) && isNum(m.ciHigh) ? '[' + fmt(m.ciLow) + ', ' + fmt(m.ciHigh) + ']' : 'no interval'; }
  function table(headers, rows, numeric) {
    var t = el('table'), thead = el('thead'), tr = el('tr');
    headers.forEach(function (h, i) { add(tr, el('th', numeric && numeric[i] ? 'num' : '', h)); });
    add(t, add(thead, tr));
    var tb = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c, i) { add(row, el('td', numeric && numeric[i] ? 'num' : '', c)); });
      add(tb, row);
    });
    return add(t, tb);
  }
  function kv(obj) {
    var rows = [];
    Object.keys(obj || {}).forEach(function (k) {
      var v = obj[k];
      rows.push([k, v === null || v === undefined ? '\u2014' : (typeof v === 'object' ? JSON.stringify(v) : String(v))]);
    });
    var t = table(['', ''], rows);
    t.className = 'kv';
    return t;
  }
  function select(options, value, onChange) {
    var s = el('select');
    options.forEach(function (o) {
      var opt = el('option', null, o[1]);
      opt.value = o[0];
      if (o[0] === value) { opt.selected = true; }
      s.appendChild(opt);
    });
    s.addEventListener('change', function () { onChange(s.value); });
    return s;
  }
  function labelled(text, input) { var l = el('label', null, text + ' '); l.appendChild(input); return l; }

  function chart(parent, option, cls) {
    var div = el('div', 'chart' + (cls ? ' ' + cls : ''));
    parent.appendChild(div);
    if (!window.echarts) { div.textContent = 'Charts are unavailable (ECharts did not load).'; div.className = 'muted'; return null; }
    var c = window.echarts.init(div);
    option.color = option.color || PALETTE;
    option.animation = false;
    option.tooltip = option.tooltip || { trigger: 'axis', renderMode: 'richText' };
    option.toolbox = { feature: { saveAsImage: { title: 'save', pixelRatio: 2 } } };
    if (!charts.length) {
      // navigation-to-first-chart time (ms since the page's time origin), read by the browser tests
      c.on('finished', function first() { c.off('finished', first); document.body.setAttribute('data-first-chart-ms', String(Math.round(performance.now()))); });
    }
    c.setOption(option);
    charts.push(c);
    return c;
  }
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });

  function xy(x, y) { var out = []; for (var i = 0; i < Math.min(x.length, y.length); i++) { out.push([x[i], y[i]]); } return out; }
  function unitAxis(name) { return { type: 'value', min: 0, max: 1, name: name, nameLocation: 'middle', nameGap: 28 }; }

  var R = {};

  R.overview = function (body, vm) {
    var cards = el('div', 'cards');
    vm.cards.forEach(function (m) {
      add(cards, add(el('div', 'metric'), el('div', 'name', m.name), el('div', 'value', fmt(m.value)), el('div', 'ci', ci(m))));
    });
    if (vm.cards.length === 0) { add(body, el('p', 'muted', 'This run has no stored metrics.')); }
    add(body, cards);
    vm.warnings.forEach(function (w) { add(body, el('div', 'warn', w)); });
    var ds = vm.dataset;
    var cl = ds.cleaning;
    if (ds.rows !== null || cl) {
      add(body, el('h2', null, 'Data set'));
      var rows = [];
      if (ds.rows !== null) {
        rows.push(['rows', fmtCount(ds.rows)], ['classes', ds.classes.join(', ')]);
        if (ds.positive) { rows.push(['positive class', ds.positive]); }
        Object.keys(ds.support).forEach(function (k) { rows.push(['support: ' + k, fmtCount(ds.support[k])]); });
      }
      if (cl) {
        var what = ' (' + (cl.dataset ? cl.dataset + ', ' : '') + 'whole data set)';
        rows.push(['cleaning: rows read' + what, fmtCount(cl.input)]);
        rows.push(['cleaning: rows kept', fmtCount(cl.kept)]);
        rows.push(['cleaning: empty texts', fmtCount(cl.empty) + (cl.emptyRemoved === cl.empty ? ' (removed)' : ' (' + fmtCount(cl.emptyRemoved) + ' removed)')]);
        rows.push(['cleaning: exact duplicates', fmtCount(cl.duplicates) + (cl.duplicatesRemoved === cl.duplicates ? ' (removed, first kept)' : ' (' + fmtCount(cl.duplicatesRemoved) + ' removed)')
          + (cl.conflictingDuplicates ? ', ' + fmtCount(cl.conflictingDuplicates) + ' with a different label than the first' : '')]);
        rows.push(['cleaning: over ' + fmtCount(cl.maxChars) + ' characters', fmtCount(cl.overLong) + ' (kept; truncated by the tokenizer)']);
      }
      add(body, table(['', ''], rows));
    }
    if (vm.metrics.length) {
      add(body, el('h2', null, 'All metrics'));
      add(body, table(['metric', 'value', '95% CI'], vm.metrics.map(function (m) { return [m.name, fmt(m.value), ci(m)]; }), [false, true, true]));
    }
    add(body, el('h2', null, 'Provenance'), kv(vm.provenance));
    if (Object.keys(vm.params || {}).length) { add(body, el('h2', null, 'Parameters'), kv(vm.params)); }
  };

  R.confusion = function (body, vm, ctx) {
    var mode = 'counts';
    var controls = el('div', 'controls');
    var holder = el('div');
    add(body, controls, holder, el('p', 'muted', 'Rows: true class; columns: predicted class.' + (ctx.hasSamples ? ' Click a cell to list its samples.' : '')));
    function draw() {
      holder.textContent = '';
      var m = mode === 'counts' ? vm.counts : vm.normalized[mode];
      var data = [], max = 0;
      for (var i = 0; i < vm.labels.length; i++) {
        for (var j = 0; j < vm.labels.length; j++) {
          var v = m[i][j];
          data.push([j, i, isNum(v) ? v : '-']);
          if (isNum(v) && v > max) { max = v; }
        }
      }
      var c = chart(holder, {
        tooltip: { renderMode: 'richText', formatter: function (p) { return 'true ' + vm.labels[p.value[1]] + ', predicted ' + vm.labels[p.value[0]] + ': ' + (mode === 'counts' ? fmtCount(p.value[2]) : fmt(p.value[2], 3)); } },
        grid: { left: 110, right: 30, top: 20, bottom: 70 },
        xAxis: { type: 'category', data: vm.labels, name: 'predicted', nameLocation: 'middle', nameGap: 40, splitArea: { show: true } },
        yAxis: { type: 'category', data: vm.labels, name: 'true', inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max: max || 1, calculable: false, show: false, inRange: { color: ['#f7fbff', '#0072B2'] } },
        series: [{ type: 'heatmap', data: data, label: { show: vm.labels.length <= 12, formatter: function (p) { return mode === 'counts' ? fmtCount(p.value[2]) : fmt(p.value[2], 3); } } }]
      }, vm.labels.length > 6 ? 'tall' : '');
      if (c && ctx.hasSamples) {
        c.on('click', function (p) { if (ctx.samples) { ctx.samples({ label: vm.labels[p.value[1]], pred: vm.labels[p.value[0]] }); } });
      }
    }
    add(controls, labelled('show', select([['counts', 'counts'], ['true', 'normalised by true class'], ['pred', 'normalised by predicted class'], ['all', 'normalised by all']], mode, function (v) { mode = v; draw(); })));
    draw();
  };

  function curves(body, vm) {
    // past the palette's 8 colours, lines repeat a colour dashed so that no two series look alike
    var series = vm.series.map(function (s, i) { return { name: s.name, type: 'line', showSymbol: false, data: xy(s.x, s.y), lineStyle: { type: s.dashed || i >= PALETTE.length ? 'dashed' : 'solid' } }; });
    if (vm.diagonal) { series.push({ name: 'chance', type: 'line', showSymbol: false, data: [[0, 0], [1, 1]], lineStyle: { type: 'dashed', color: '#999' }, itemStyle: { color: '#999' } }); }
    // one legend entry per line (long run names side by side overlap); past 6 entries a scrolling line instead
    var few = series.length <= 6;
    chart(body, { grid: { left: 50, right: 20, top: 20, bottom: few ? 50 + 20 * series.length : 90 },
      legend: few ? { bottom: 0, left: 50, orient: 'vertical', itemGap: 6 } : { bottom: 0, type: 'scroll' },
      xAxis: unitAxis(vm.xLabel), yAxis: unitAxis(vm.yLabel), series: series }, 'tall');
  }
  R.roc = curves;
  R.pr = curves;

  R.det = function (body, vm) {
    function phi(z) { // standard normal CDF (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7)
      var x = Math.abs(z) / Math.SQRT2, t = 1 / (1 + 0.3275911 * x);
      var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
      return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
    function label(v) { var p = phi(v) * 100; return (p < 1 || p > 99 ? p.toPrecision(2) : Math.round(p)) + '%'; }
    function axis(name) { return { type: 'value', min: vm.min, max: vm.max, name: name, nameLocation: 'middle', nameGap: 28, interval: undefined,
      axisLabel: { formatter: label }, splitLine: { show: false } }; }
    var marks = vm.ticks.map(function (t) { return { xAxis: t.value }; }).concat(vm.ticks.map(function (t) { return { yAxis: t.value }; }));
    chart(body, { grid: { left: 60, right: 20, top: 20, bottom: 50 }, tooltip: { show: false },
      xAxis: axis('false positive rate'), yAxis: axis('false negative rate'),
      series: [{ name: vm.positive, type: 'line', showSymbol: false, data: xy(vm.x, vm.y),
        markLine: { symbol: 'none', silent: true, label: { show: false }, lineStyle: { color: '#e5e9ee', type: 'solid' }, data: marks } }] }, 'tall');
    add(body, el('p', 'muted', 'Both axes on the normal deviate scale; grid lines at ' + vm.ticks.map(function (t) { return t.label; }).join(', ') + '.'));
  };

  R.calibration = function (body, vm) {
    var mode = 'uniform';
    var controls = el('div', 'controls'), stats = el('div', 'big'), holder = el('div');
    add(body, controls, stats, holder);
    function draw() {
      holder.textContent = '';
      var d = vm[mode];
      if (!d) { holder.textContent = 'No bins of this kind.'; return; }
      stats.textContent = 'ECE ' + fmt(d.ece) + '   MCE ' + fmt(d.mce);
      var rel = [], hist = [];
      d.bins.forEach(function (b) {
        if (isNum(b.confidence) && isNum(b.accuracy)) { rel.push([b.confidence, b.accuracy]); }
        hist.push([(b.lower + b.upper) / 2, b.weight]);
      });
      chart(holder, {
        grid: [{ left: 55, right: 20, top: 20, height: '52%' }, { left: 55, right: 20, top: '70%', bottom: 40 }],
        xAxis: [unitAxis(''), { type: 'value', min: 0, max: 1, gridIndex: 1, name: 'confidence', nameLocation: 'middle', nameGap: 26 }],
        yAxis: [unitAxis('accuracy'), { type: 'value', gridIndex: 1, name: 'weight' }],
        legend: { top: 0 },
        series: [
          { name: 'model', type: 'line', data: rel, symbolSize: 6 },
          { name: 'perfectly calibrated', type: 'line', showSymbol: false, data: [[0, 0], [1, 1]], lineStyle: { type: 'dashed', color: '#999' }, itemStyle: { color: '#999' } },
          { name: 'confidence histogram', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: hist, barWidth: '60%', itemStyle: { color: '#56B4E9' } }
        ]
      }, 'tall');
    }
    add(controls, labelled('bins', select([['uniform', 'equal width'], ['quantile', 'equal mass']], mode, function (v) { mode = v; draw(); })));
    draw();
  };

  R.scores = function (body, vm) {
    var cats = [];
    for (var j = 0; j < vm.nBins; j++) { cats.push(fmt(vm.edges[j], 2) + '\u2013' + fmt(vm.edges[j + 1], 2)); }
    vm.charts.forEach(function (c) {
      add(body, el('h2', null, c.score + ' by true class'));
      chart(body, {
        grid: { left: 55, right: 20, top: 30, bottom: 60 }, legend: { top: 0 },
        xAxis: { type: 'category', data: cats, name: c.score, nameLocation: 'middle', nameGap: 40 },
        yAxis: { type: 'value', name: 'weight' },
        series: c.series.map(function (s) { return { name: s.name, type: 'bar', data: s.counts, barGap: '-100%', itemStyle: { opacity: 0.65 } }; })
      });
    });
  };

  R.threshold = function (body, vm) {
    var n = vm.thresholds.length;
    if (!n) { add(body, el('p', 'muted', 'The sweep is empty.')); return; }
    var slider = el('input'); slider.type = 'range'; slider.min = 0; slider.max = n - 1; slider.step = 1;
    var thr = el('span', 'big');
    var controls = add(el('div', 'controls'), labelled('threshold', slider), thr);
    var best = el('button', null, 'best F1 (' + fmt(vm.bestF1.threshold, 3) + ')');
    var youden = el('button', null, "Youden's J (" + fmt(vm.youden.threshold, 3) + ')');
    add(controls, best, youden);
    var stats = el('div');
    add(body, controls, stats);
    var c = chart(body, {
      grid: { left: 55, right: 20, top: 30, bottom: 50 }, legend: { top: 0 },
      xAxis: unitAxis('threshold'), yAxis: unitAxis(''),
      series: ['precision', 'recall', 'f1', 'fpr'].map(function (k) { return { name: k, type: 'line', showSymbol: false, data: xy(vm.thresholds, vm[k]) }; })
    });
    function nearest(t) {
      var bi = 0, bd = Infinity;
      for (var i = 0; i < n; i++) { var d = Math.abs(vm.thresholds[i] - t); if (d < bd) { bd = d; bi = i; } }
      return bi;
    }
    function show(i) {
      slider.value = i;
      var tp = vm.tp[i], fp = vm.fp[i], fn = vm.positives - tp, tn = vm.negatives - fp;
      thr.textContent = '\u2265 ' + fmt(vm.thresholds[i], 4);
      stats.textContent = '';
      add(stats, table(['', 'predicted ' + (vm.positive || 'positive'), 'predicted other'], [
        ['true ' + (vm.positive || 'positive'), fmtCount(tp), fmtCount(fn)],
        ['true other', fmtCount(fp), fmtCount(tn)]], [false, true, true]));
      var cards = el('div', 'cards');
      [['precision', vm.precision[i]], ['recall', vm.recall[i]], ['f1', vm.f1[i]], ['fpr', vm.fpr[i]]].forEach(function (m) {
        var card = add(el('div', 'metric'), el('div', 'name', m[0]), el('div', 'value', fmt(m[1])));
        card.setAttribute('data-metric', m[0]);
        add(cards, card);
      });
      add(stats, cards);
      if (c) { c.setOption({ series: [{ markLine: { symbol: 'none', silent: true, data: [{ xAxis: vm.thresholds[i] }], lineStyle: { color: '#000' }, label: { show: false } } }] }); }
    }
    slider.addEventListener('input', function () { show(+slider.value); });
    best.addEventListener('click', function () { show(nearest(vm.bestF1.threshold)); });
    youden.addEventListener('click', function () { show(nearest(vm.youden.threshold)); });
    show(isNum(vm.bestF1.threshold) ? nearest(vm.bestF1.threshold) : Math.floor(n / 2));
  };

  R.curves = function (body, vm, ctx) {
    var smooth = 0, log = false;
    var controls = el('div', 'controls');
    var s = el('input'); s.type = 'range'; s.min = 0; s.max = 0.99; s.step = 0.01; s.value = 0;
    var logBox = el('input'); logBox.type = 'checkbox';
    add(controls, labelled('smoothing', s), labelled('log scale', logBox));
    add(body, controls);
    var live = null;
    if (vm.status === 'running') { live = el('p', 'muted', ctx.api && window.EventSource ? 'Live: this run is still running; new points appear as they are logged.' : 'This run is still running; reload for new points.'); add(body, live); }
    var c = chart(body, { grid: { left: 60, right: 20, top: 30, bottom: 50 }, legend: { top: 0, type: 'scroll' },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 28 }, yAxis: { type: 'value', scale: true }, series: [] }, 'tall');
    function draw() {
      if (!c) { return; }
      c.setOption({ yAxis: { type: log ? 'log' : 'value', scale: true }, series: vm.series.map(function (sr) {
        var out = [], last = null;
        for (var i = 0; i < sr.x.length; i++) {
          var v = sr.y[i];
          if (!isNum(v)) { out.push([sr.x[i], null]); continue; }
          last = last === null ? v : smooth * last + (1 - smooth) * v;
          out.push([sr.x[i], log && last <= 0 ? null : last]);
        }
        return { name: sr.name, type: 'line', showSymbol: false, data: out };
      }) });
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

  R.slices = function (body, vm) {
    vm.columns.forEach(function (col) {
      add(body, el('h2', null, 'by ' + col.column));
      var rows = col.rows;
      var data = rows.map(function (r, i) { var m = r.metrics[col.chartMetric] || {}; return [i, m.value, m.ciLow, m.ciHigh]; });
      chart(body, {
        grid: { left: 55, right: 20, top: 30, bottom: 70 },
        tooltip: { renderMode: 'richText', formatter: function (p) { var d = data[p.dataIndex]; return rows[d[0]].value + ': ' + fmt(d[1]) + ' [' + fmt(d[2]) + ', ' + fmt(d[3]) + ']'; } },
        xAxis: { type: 'category', data: rows.map(function (r) { return r.value; }), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', name: col.chartMetric, scale: true },
        series: [
          { type: 'scatter', data: data.map(function (d) { return [d[0], isNum(d[1]) ? d[1] : null]; }), symbolSize: 9,
            markLine: col.overall && isNum(col.overall.value) ? { symbol: 'none', data: [{ yAxis: col.overall.value, name: 'overall' }], lineStyle: { type: 'dashed', color: '#999' }, label: { formatter: 'overall' } } : undefined },
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
        return [r.value].concat(col.metrics.map(function (m) { var x = r.metrics[m]; return x ? fmt(x.value) + ' ' + (isNum(x.ciLow) ? ci(x) : '') : '\u2014'; }));
      }), numeric));
    });
  };

  R.efficiency = function (body, vm) {
    add(body, kv(Object.keys(vm.summary).reduce(function (o, k) { var v = vm.summary[k]; o[k] = typeof v === 'number' ? (Math.abs(v) >= 100 || Math.round(v) === v ? Math.round(v).toLocaleString('en') : fmt(v, Math.abs(v) >= 1 ? 2 : 4)) : v; return o; }, {})));
    if (!vm.cells.length) { return; }
    add(body, el('h2', null, 'Latency (ms) and throughput'));
    add(body, table(['batch', 'tokens', 'p50', 'p95', 'p99', 'sequences/s', 'tokens/s', 'GFLOP/s'], vm.cells.map(function (c) {
      return [c.batchSize, c.seqLen, fmt(c.p50Ms, 1), fmt(c.p95Ms, 1), fmt(c.p99Ms, 1), fmt(c.sequencesPerSecond, 1), fmt(c.tokensPerSecond, 0), fmt(c.gflopsPerSecond, 1)];
    }), [true, true, true, true, true, true, true, true]));
    chart(body, { grid: { left: 60, right: 20, top: 30, bottom: 50 }, legend: { top: 0 },
      xAxis: { type: 'category', data: vm.cells.map(function (c) { return c.batchSize + '×' + c.seqLen; }), name: 'batch × tokens', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', name: 'ms' },
      series: ['p50Ms', 'p95Ms', 'p99Ms'].map(function (k) { return { name: k.replace('Ms', ''), type: 'bar', data: vm.cells.map(function (c) { return c[k]; }) }; }) });
  };

  /* Samples: server-side paging (dashboard) or the embedded selection (report, vm.local). */
  R.samples = function (body, vm, ctx) {
    var q = { page: 0, size: 25, sort: '-loss', label: '', pred: '', correct: '', minConf: '', maxConf: '', meta: '', q: '' };
    var classes = [['', 'any']].concat(vm.classes.map(function (c) { return [c, c]; }));
    var controls = el('div', 'controls');
    var tbl = el('div'), pager = el('div', 'controls'), detail = el('div');
    pager.setAttribute('data-role', 'pager');
    function text(key, ph) { var i = el('input'); i.placeholder = ph; i.size = 10; i.addEventListener('change', function () { q[key] = i.value; q.page = 0; load(); }); return i; }
    var labelSel = select(classes, '', function (v) { q.label = v; q.page = 0; load(); });
    var predSel = select(classes, '', function (v) { q.pred = v; q.page = 0; load(); });
    add(controls, labelled('true', labelSel), labelled('predicted', predSel),
      labelled('', select([['', 'all'], ['false', 'wrong'], ['true', 'correct']], '', function (v) { q.correct = v; q.page = 0; load(); })),
      labelled('confidence \u2265', text('minConf', '0')), labelled('\u2264', text('maxConf', '1')),
      labelled('metadata', text('meta', 'column=value')), labelled('search', text('q', 'text')),
      labelled('sort', select([['-loss', 'loss, highest first'], ['loss', 'loss, lowest first'], ['-confidence', 'confidence, highest first'], ['confidence', 'confidence, lowest first'], ['row', 'row']], q.sort, function (v) { q.sort = v; load(); })));
    add(body, controls);
    if (vm.note) { add(body, el('p', 'muted', vm.note)); }
    add(body, tbl, pager, detail);
    ctx.samples = function (f) { q.label = f.label; q.pred = f.pred; labelSel.value = f.label; predSel.value = f.pred; q.page = 0; load(); body.scrollIntoView(); };

    function localPage() {
      var lower = function (s) { return (s || '').toLowerCase(); };
      var rows = vm.rows.filter(function (s) {
        if (q.label && s.label !== q.label) { return false; }
        if (q.pred && s.pred !== q.pred) { return false; }
        if (q.correct && String(s.correct) !== q.correct) { return false; }
        if (q.minConf !== '' && !(isNum(s.confidence) && s.confidence >= +q.minConf)) { return false; }
        if (q.maxConf !== '' && !(isNum(s.confidence) && s.confidence <= +q.maxConf)) { return false; }
        if (q.meta) { var eq = q.meta.indexOf('='); if (eq < 1 || String(s.metadata[q.meta.slice(0, eq)]) !== q.meta.slice(eq + 1)) { return false; } }
        if (q.q && lower(s.text).indexOf(lower(q.q)) < 0 && lower(s.id).indexOf(lower(q.q)) < 0) { return false; }
        return true;
      });
      var key = q.sort.replace('-', ''), dir = q.sort.charAt(0) === '-' ? -1 : 1;
      rows.sort(function (a, b) { var x = a[key], y = b[key]; x = isNum(x) ? x : -Infinity; y = isNum(y) ? y : -Infinity; return dir * (x - y); });
      return { rows: rows.slice(q.page * q.size, (q.page + 1) * q.size), matched: rows.length, total: vm.total, page: q.page, pages: Math.ceil(rows.length / q.size) };
    }
    function load() {
      if (vm.local || !ctx.api) { show(localPage()); return; }
      var params = new URLSearchParams();
      Object.keys(q).forEach(function (k) { if (q[k] !== '') { params.set(k, q[k]); } });
      getJson(ctx.api + '/panels/samples?' + params.toString())
        .then(show, function (e) { tbl.textContent = ''; add(tbl, el('div', 'warn', String(e.message))); });
    }
    function show(page) {
      tbl.textContent = ''; pager.textContent = '';
      if (!page.rows.length) { add(tbl, el('p', 'muted', 'No samples match these filters.')); }
      else {
        var t = el('table'), head = el('tr');
        ['row', 'true', 'predicted', 'confidence', 'loss', 'text'].forEach(function (h, i) { add(head, el('th', i >= 3 && i <= 4 ? 'num' : '', h)); });
        add(t, add(el('thead'), head));
        var tb = el('tbody');
        page.rows.forEach(function (s) {
          var tr = el('tr', 'clickable' + (s.correct === false ? ' wrong' : ''));
          add(tr, el('td', null, s.id || s.row), el('td', null, s.label === null ? '\u2014' : s.label), el('td', null, s.pred === null ? '\u2014' : s.pred),
            el('td', 'num', fmt(s.confidence)), el('td', 'num', fmt(s.loss)), el('td', 'snippet', (s.text || '').slice(0, 200)));
          tr.addEventListener('click', function () { showDetail(s); });
          add(tb, tr);
        });
        add(tbl, add(t, tb));
      }
      var prev = el('button', null, '\u2190 previous'), next = el('button', null, 'next \u2192');
      prev.disabled = page.page <= 0; next.disabled = page.page + 1 >= page.pages;
      prev.addEventListener('click', function () { q.page--; load(); });
      next.addEventListener('click', function () { q.page++; load(); });
      add(pager, prev, el('span', 'muted', 'page ' + (page.pages ? page.page + 1 : 0) + ' of ' + page.pages + ' \u00b7 ' + page.matched + ' matching of ' + page.total), next);
    }
    function showDetail(s) {
      detail.textContent = '';
      add(detail, el('h2', null, 'Sample ' + (s.id || s.row)));
      add(detail, el('div', 'text', s.text === null ? '(no text stored)' : s.text));
      var probs = s.probabilities || {};
      add(detail, table(['class', 'probability'], Object.keys(probs).map(function (k) { return [k, fmt(probs[k])]; }), [false, true]));
      if (Object.keys(s.metadata || {}).length) { add(detail, kv(s.metadata)); }
    }
    if (vm.local) { load(); } else { show(vm); }
  };

  function runsTable(parent, vm, link, compareLink) {
    var filter = el('input'); filter.placeholder = 'filter runs'; filter.size = 30;
    var controls = add(el('div', 'controls'), filter);
    var picked = [];
    var cmp = el('button', null, 'compare selected');
    cmp.disabled = true;
    if (compareLink) {
      add(controls, cmp);
      cmp.addEventListener('click', function () { if (picked.length >= 2) { window.location.href = compareLink(picked); } });
    }
    add(parent, controls);
    var t = el('table'), head = el('tr');
    if (compareLink) { add(head, el('th', null, '')); }
    ['run', 'experiment', 'name', 'model', 'dataset', 'status', 'started'].concat(vm.metrics).forEach(function (h, i) { add(head, el('th', i >= 7 ? 'num' : '', h)); });
    add(t, add(el('thead'), head));
    var tb = el('tbody'), trs = [];
    vm.rows.forEach(function (r) {
      var tr = el('tr'), idCell = el('td'), a = el('a', null, r.id);
      a.setAttribute('href', link(r.id));
      add(idCell, a);
      if (compareLink) {
        var box = el('input'); box.type = 'checkbox';
        box.addEventListener('change', function () {
          var i = picked.indexOf(r.id);
          if (box.checked && i < 0) { picked.push(r.id); } else if (!box.checked && i >= 0) { picked.splice(i, 1); }
          cmp.disabled = picked.length < 2 || picked.length > 10;
        });
        add(tr, add(el('td'), box));
      }
      add(tr, idCell, el('td', null, r.experiment), el('td', null, r.name || '\u2014'), el('td', null, r.model || '\u2014'),
        el('td', null, r.dataset || '\u2014'), add(el('td'), el('span', 'pill ' + r.status, r.status)), el('td', null, r.started.replace('T', ' ').slice(0, 19)));
      vm.metrics.forEach(function (m) { add(tr, el('td', 'num', fmt(r.metrics[m]))); });
      tr.setAttribute('data-search', [r.id, r.experiment, r.name, r.model, r.dataset, r.status].join(' ').toLowerCase());
      trs.push(tr);
      add(tb, tr);
    });
    if (!vm.rows.length) { add(parent, el('p', 'muted', 'The store has no runs yet: try ./loupe demo or ./loupe evaluate.')); }
    filter.addEventListener('input', function () { var f = filter.value.toLowerCase(); trs.forEach(function (tr) { tr.style.display = tr.getAttribute('data-search').indexOf(f) >= 0 ? '' : 'none'; }); });
    add(parent, add(t, tb));
  }

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
      curves(sec, { xLabel: c[2], yLabel: c[3], diagonal: c[4], series: vm[c[0]] });
    });
    var tc = add(el('section', 'card wide'), el('h2', null, 'Training curves'));
    add(grid, tc);
    if (!vm.curves.length) { tc.className += ' empty'; add(tc, el('p', null, 'None of these runs has training curves.')); }
    else { R.curves(tc, { status: 'finished', series: vm.curves }, {}); }
  }

  function renderRun(parent, run, api) {
    add(parent, el('h1', null, (run.info.name || run.info.id)), el('p', 'muted', 'run ' + run.info.id + ' \u00b7 ' + run.info.experiment + ' \u00b7 ' + run.info.status));
    var grid = el('div', 'grid');
    add(parent, grid);
    // the confusion matrix hands cell clicks to the samples panel, which may arrive later (deferred)
    var ctx = { api: api, hasSamples: run.panels.some(function (p) { return p.id === 'samples' && p.active; }) };
    var pending = [];
    run.panels.forEach(function (p) {
      var card = el('section', 'card');
      card.id = 'panel-' + p.id;
      card.setAttribute('data-panel', p.id);
      add(card, el('h2', null, p.title));
      if (['overview', 'samples', 'slices', 'curves'].indexOf(p.id) >= 0) { card.className += ' wide'; }
      add(grid, card);
      if (!p.active) { card.className += ' empty'; add(card, el('p', null, p.empty)); return; }
      var body = el('div');
      add(card, body);
      var r = R[p.id];
      if (!r) { add(body, el('pre', 'text', JSON.stringify(p.vm, null, 2))); return; }
      function draw(vm) {
        try { r(body, vm, ctx); } catch (e) { if (window.console) { console.warn('panel failed', e); } }
      }
      if (p.deferred && api) {
        add(body, el('p', 'muted', 'Loading\u2026'));
        pending.push(getJson(api + '/panels/' + encodeURIComponent(p.id)).then(function (vm) { body.textContent = ''; draw(vm); },
          function (e) { body.textContent = ''; add(body, el('div', 'warn', 'Could not load this panel: ' + e.message)); }));
      } else {
        draw(p.vm);
      }
    });
    return pending;
  }

  /** GET a JSON document of the dashboard's API; rejects with the server's error message. */
  function getJson(url) {
    return fetch(url, { credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) { throw new Error(j.error ? j.error.message : r.status); } return j; }); });
  }

  function boot() {
    var node = document.getElementById('loupe-data');
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    var root = document.getElementById('loupe-root');
    if (data.runsTable) {
      add(root, el('h1', null, 'Runs'));
      runsTable(root, data.runsTable, function (id) { return data.api ? data.base + 'runs/' + encodeURIComponent(id) : '#run-' + id; },
        data.api ? function (ids) { return data.base + 'compare?runs=' + ids.map(encodeURIComponent).join(','); } : null);
    }
    if (data.compare) { var cmp = el('section'); cmp.id = 'compare'; add(root, cmp); renderCompare(cmp, data.compare); }
    var pending = [];
    (data.runs || []).forEach(function (run) {
      var section = el('section');
      section.id = 'run-' + run.info.id;
      add(root, section);
      pending = pending.concat(renderRun(section, run, data.api ? data.base + 'api/runs/' + encodeURIComponent(run.info.id) : null));
    });
    function ready() { document.body.setAttribute('data-loupe-ready', 'true'); }
    if (pending.length) { Promise.all(pending).then(ready); } else { ready(); }
  }
  window.Loupe = { fmt: fmt };
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', boot); } else { boot(); }
})();
