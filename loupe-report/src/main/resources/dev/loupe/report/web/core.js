/* Loupe front end, shared helpers: DOM building, number formats, tables, charts. Loaded first; every panel module
   (dev/loupe/report/panels/<id>.js, beside its Java panel) registers its renderer in Loupe.panels, and boot.js draws
   the page. Shared by the dashboard and the report; no build step.
   Safety: every string from data is inserted with textContent or as an attribute value set through the DOM;
   never innerHTML. ECharts tooltips use richText (no HTML). */
(function () {
  'use strict';
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
  var charts = [];
  var DASH = '\u2014';

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
  /* Fixed decimals (4 by default), the rule Numbers.fixed gives the CLI: the exact value rounded half away from
     zero (toFixed), a zero without a sign, undefined as a dash. */
  function fmt(v, d) {
    if (typeof v === 'number' && (v === Infinity || v === -Infinity)) { return v > 0 ? '\u221e' : '-\u221e'; }
    return isNum(v) ? v.toFixed(d === undefined ? 4 : d).replace(/^-(0\.?0*)$/, '$1') : DASH;
  }
  /* A number at 4 significant digits (tooltips): 0.9123, 0.001235, 12350; undefined is a dash. */
  function sig(v) { return isNum(v) ? String(Number(v.toPrecision(4))) : DASH; }
  function fmtCount(v) { return isNum(v) ? (Math.round(v) === v ? String(v) : v.toFixed(2)) : DASH; }
  function ci(m) { return isNum(m.ciLow) && isNum(m.ciHigh) ? '[' + fmt(m.ciLow) + ', ' + fmt(m.ciHigh) + ']' : 'no interval'; }
  /* "0.9123 [0.9001, 0.9240]", the value alone without an interval, a dash when undefined; signed: "+0.0123 [...]". */
  function withCi(m) { return m && isNum(m.value) ? fmt(m.value) + (isNum(m.ciLow) ? ' ' + ci(m) : '') : DASH; }
  function signed(m) {
    if (!m || !isNum(m.value)) { return DASH; }
    var s = function (v) { return (v > 0 ? '+' : '') + fmt(v); };
    return s(m.value) + (isNum(m.ciLow) && isNum(m.ciHigh) ? ' [' + s(m.ciLow) + ', ' + s(m.ciHigh) + ']' : '');
  }
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
      rows.push([k, v === null || v === undefined ? DASH : (typeof v === 'object' ? JSON.stringify(v) : String(v))]);
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
  function link(text, href) { var a = el('a', null, text); a.setAttribute('href', href); return a; }
  function labelled(text, input) { var l = el('label', null, text + ' '); l.appendChild(input); return l; }

  /* ECharts' renderer: canvas, or SVG with ?renderer=svg (the browser layout test measures the SVG text boxes). */
  var renderer = (function () {
    try { return new URLSearchParams(window.location.search).get('renderer') === 'svg' ? 'svg' : 'canvas'; } catch (e) { return 'canvas'; }
  })();

  function chart(parent, option, cls) {
    var div = el('div', 'chart' + (cls ? ' ' + cls : ''));
    parent.appendChild(div);
    if (!window.echarts) { div.textContent = 'Charts are unavailable (ECharts did not load).'; div.className = 'muted'; return null; }
    var c = window.echarts.init(div, null, { renderer: renderer });
    option.color = option.color || PALETTE;
    option.animation = false;
    // tooltips show numbers at 4 significant digits (a panel's own formatter uses sig too)
    option.tooltip = option.tooltip || { trigger: 'axis', renderMode: 'richText' };
    if (!option.tooltip.formatter && !option.tooltip.valueFormatter) { option.tooltip.valueFormatter = sig; }
    // the download icon sits in the top right corner (5 to 24 px down), in a band above every plot area: grids start 36 px
    // or more down, 12 px clear of it, so that no curve ends under it (ROC's (1, 1) is the plot's corner); the browser
    // layout test measures it
    option.toolbox = { top: 0, right: 4, itemSize: 14, feature: { saveAsImage: { title: 'save', pixelRatio: 2 } } };
    if (!charts.length) {
      // navigation-to-first-chart time (ms since the page's time origin), read by the browser tests
      c.on('finished', function first() { c.off('finished', first); document.body.setAttribute('data-first-chart-ms',
        String(Math.round(performance.now()))); });
    }
    c.setOption(option);
    charts.push(c);
    return c;
  }
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });

  function normalCdf(z) { // standard normal CDF (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7)
    var x = Math.abs(z) / Math.SQRT2, t = 1 / (1 + 0.3275911 * x);
    var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
  }
  /* One HTML legend for small multiples that share their series (names in palette order), above the charts. */
  function htmlLegend(names) {
    var legend = el('div', 'legend');
    names.forEach(function (n, i) {
      var key = el('span', 'key');
      key.style.background = PALETTE[i % PALETTE.length];
      add(legend, add(el('span', 'entry'), key, el('span', null, n)));
    });
    return legend;
  }
  /* A legend along the top that leaves the right corner to the download icon. */
  function topLegend() { return { top: 0, left: 8, right: 44, type: 'scroll' }; }
  function xy(x, y) { var out = []; for (var i = 0; i < Math.min(x.length, y.length); i++) { out.push([x[i], y[i]]); } return out; }
  /* An axis over [0, 1]; a y axis's title sits clear of its tick labels. */
  function unitAxis(name, y) { return { type: 'value', min: 0, max: 1, name: name, nameLocation: 'middle', nameGap: y ? 38 : 28 }; }

  /* Curves over the unit square (ROC, PR, reliability): one series per entry of vm.series ({name, x, y, t}: t the
     score threshold of each point, when known). The tooltip lists each curve once, with the point's threshold. */
  function lineCurves(body, vm) {
    // past the palette's 8 colours, lines repeat a colour dashed so that no two series look alike
    var series = vm.series.map(function (s, i) {
      var data = [];
      for (var j = 0; j < Math.min(s.x.length, s.y.length); j++) { data.push(s.t ? [s.x[j], s.y[j], s.t[j]] : [s.x[j], s.y[j]]); }
      return { name: s.name, type: 'line', showSymbol: false, data: data, lineStyle: { type: s.dashed || i >= PALETTE.length ? 'dashed' : 'solid' } };
    });
    if (vm.diagonal) { series.push({ name: 'chance', type: 'line', showSymbol: false, data: [[0, 0], [1, 1]],
      lineStyle: { type: 'dashed', color: '#999' }, itemStyle: { color: '#999' }, tooltip: { show: false } }); }
    // one legend entry per line (long run names side by side overlap); past 6 entries a scrolling line instead
    var few = series.length <= 6;
    var nameWidth = Math.max(120, (body.clientWidth || 560) - 130); // the card's padding, the legend's indent and key
    chart(body, { grid: { left: 58, right: 20, top: 36, bottom: few ? 50 + 20 * series.length : 90 },
      tooltip: { trigger: 'axis', renderMode: 'richText', formatter: function (ps) {
        var seen = {};
        return (ps.length ? ps : [ps]).filter(function (p) {
          var keep = p.seriesName !== 'chance' && !seen[p.seriesName];
          seen[p.seriesName] = true;
          return keep;
        }).map(function (p) {
          var v = p.value || [];
          return p.seriesName + '\n  ' + vm.xLabel + ' ' + sig(v[0]) + ', ' + vm.yLabel + ' ' + sig(v[1]) +
            (isNum(v[2]) ? ', threshold ' + sig(v[2]) : '');
        }).join('\n');
      } },
      // long names (runs compared side by side) are cut to the chart's width; hovering shows them whole
      legend: few ? { bottom: 0, left: 58, orient: 'vertical', itemGap: 6, textStyle: { width: nameWidth, overflow: 'truncate' },
        tooltip: { show: true } } : { bottom: 0, type: 'scroll' },
      xAxis: unitAxis(vm.xLabel), yAxis: unitAxis(vm.yLabel, true), series: series }, 'tall');
  }

  /* Vertical error bars as an ECharts custom series over data rows [x, value, low, high] (rows without both ends are
     left out): a line from low to high with a cap at each end. */
  function errorBars(data, color) {
    return { type: 'custom', data: data.filter(function (d) { return isNum(d[2]) && isNum(d[3]); }), renderItem: function (params, api) {
      var lo = api.coord([api.value(0), api.value(2)]), hi = api.coord([api.value(0), api.value(3)]);
      var st = { stroke: color || '#1d2430', lineWidth: 1.5 };
      return { type: 'group', children: [
        { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: st },
        { type: 'line', shape: { x1: lo[0] - 5, y1: lo[1], x2: lo[0] + 5, y2: lo[1] }, style: st },
        { type: 'line', shape: { x1: hi[0] - 5, y1: hi[1], x2: hi[0] + 5, y2: hi[1] }, style: st }] };
    }, encode: { x: 0, y: [2, 3] }, z: 1, tooltip: { show: false } };
  }

  /** GET a JSON document of the dashboard's API; rejects with the server's error message. */
  function getJson(url) {
    return fetch(url, { credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) { throw new Error(j.error ? j.error.message : r.status); } return j; }); });
  }

  /* Where a run's page is: its dashboard route, or its section of the report. Set by boot.js (L.page). */
  function runHref(id) { var pg = window.Loupe.page || {}; return pg.api ? pg.base + 'runs/' + encodeURIComponent(id) : '#run-' + id; }

  window.Loupe = {
    page: { api: false, base: '' }, runHref: runHref,
    panels: {}, PALETTE: PALETTE, el: el, add: add, isNum: isNum, fmt: fmt, sig: sig, normalCdf: normalCdf, topLegend: topLegend,
    htmlLegend: htmlLegend, fmtCount: fmtCount,
      ci: ci, withCi: withCi, signed: signed, table: table, kv: kv,
    select: select, labelled: labelled, link: link, chart: chart, xy: xy, unitAxis: unitAxis, lineCurves: lineCurves, getJson: getJson,
    errorBars: errorBars
  };
})();
