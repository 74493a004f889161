// Layout check, run in the page by BrowserTest after the front end has booted with ?renderer=svg (ECharts' SVG
// renderer puts every text of a chart in the DOM, so its box can be measured). Returns {charts, problems}: one string
// per text that overlaps another text or leaves its chart, per tick label that contradicts its axis's stated scale,
// the page scrolling sideways, a row of cards left half empty, the download icon near a plot area or a line's end point,
// and a legend over a plot area or a line. An axis states its scale by its type ('value': linear, 'log') or by `loupeScale`
// ('probit'), and may state its tick labels (`loupeTicks`); then exactly those labels must be drawn.
// Reads ECharts 5.3.1's axis model (getModel(), axis.dataToCoord and toGlobalCoord, axis.grid.getRect()) to know where ticks belong.
var problems = [];
var doc = document.documentElement;
if (doc.scrollWidth > doc.clientWidth + 1) {
  problems.push('the page scrolls sideways at ' + doc.clientWidth + ' px: ' + doc.scrollWidth + ' px wide');
}
function probit(p) { // inverse standard normal CDF (Acklam), as DetPanel.probit
  var a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
  var b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
  var c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
  var d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
  if (!(p > 0 && p < 1)) { return NaN; }
  var q, r;
  if (p < 0.02425) { q = Math.sqrt(-2 * Math.log(p)); return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1); }
  if (p > 1 - 0.02425) { q = Math.sqrt(-2 * Math.log(1 - p)); return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1); }
  q = p - 0.5; r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
function parse(s) { // a tick label's number: 1,000 / 0.25 / 1.0e+2 / 20% / 0.1%
  var m = /^(-?[\d,]*\.?\d+(?:e[+-]?\d+)?)(%?)$/i.exec(s.replace(/\u2212/g, '-'));
  if (!m) { return null; }
  var v = parseFloat(m[1].replace(/,/g, ''));
  return m[2] ? v / 100 : v;
}
function overlap(a, b) {
  return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
}
// no card half empty: in a grid of cards, every row but the last is filled (a narrow card alone beside a hole is not)
document.querySelectorAll('.grid').forEach(function (grid) {
  var rows = {};
  [].slice.call(grid.children).forEach(function (c) {
    var r = c.getBoundingClientRect();
    if (r.height === 0) { return; }
    var key = Math.round(r.top);
    (rows[key] = rows[key] || []).push({ id: c.id, w: r.width });
  });
  var tops = Object.keys(rows).map(Number).sort(function (a, b) { return a - b; });
  var width = grid.getBoundingClientRect().width;
  tops.slice(0, -1).forEach(function (t) {
    var used = rows[t].reduce(function (n, c) { return n + c.w; }, 0);
    if (used < 0.85 * width) {
      problems.push('a half-empty row of cards: ' + rows[t].map(function (c) { return c.id || '?'; }).join(', ') + ' fill ' + Math.round(used) + ' of ' + Math.round(width) + ' px');
    }
  });
});
// The download icon (the toolbox) keeps CLEAR px away from every plot area (where curves end, at (1, 1) on ROC) and from
// every line's end points; a legend covers no plot area and no point of a line. Boxes come from the components' drawn
// groups (ECharts 5.3.1: getViewOfComponentModel, zrender's Group.getBoundingRect and getComputedTransform), in the chart's
// pixels, as do the grids' rectangles (coordinateSystem.getRect()) and the points (convertToPixel).
var CLEAR = 12;
function near(a, b, gap) {
  return a.x - gap < b.x + b.width && b.x < a.x + a.width + gap && a.y - gap < b.y + b.height && b.y < a.y + a.height + gap;
}
function drawnBox(inst, componentModel) { // what the user sees: the elements drawn, less the invisible padded background (silent)
  var view = inst.getViewOfComponentModel(componentModel);
  if (!view || !view.group) { return null; }
  var out = null;
  view.group.traverse(function (e) {
    if (e.isGroup || e.silent || e.invisible || e.ignore || !e.getBoundingRect) { return; }
    var r = e.getBoundingRect().clone();
    var m = e.getComputedTransform();
    if (m) { r.applyTransform(m); }
    if (!(r.width > 0) || !(r.height > 0)) { return; }
    if (out) { out.union(r); } else { out = r; }
  });
  return out;
}
function rectText(r) { return '[' + Math.round(r.x) + ', ' + Math.round(r.y) + ' ' + Math.round(r.width) + '\u00d7' + Math.round(r.height) + ']'; }
function checkToolboxAndLegends(inst, model, where) {
  var plots = [];
  model.eachComponent('grid', function (gm) { if (gm.coordinateSystem) { plots.push(gm.coordinateSystem.getRect()); } });
  var lines = []; // {name, points: [[px, py]...]} of every line series drawn on a grid
  model.eachSeries(function (sm) {
    if (sm.subType !== 'line' || !sm.coordinateSystem || sm.coordinateSystem.type !== 'cartesian2d') { return; }
    var data = sm.getData(), pts = [];
    for (var i = 0; i < data.count(); i++) {
      var p = inst.convertToPixel({ seriesIndex: sm.seriesIndex }, [data.get(data.mapDimension('x'), i), data.get(data.mapDimension('y'), i)]);
      if (p && isFinite(p[0]) && isFinite(p[1])) { pts.push(p); }
    }
    if (pts.length) { lines.push({ name: sm.name, points: pts }); }
  });
  function pointIn(r, p, gap) { return p[0] > r.x - gap && p[0] < r.x + r.width + gap && p[1] > r.y - gap && p[1] < r.y + r.height + gap; }
  model.eachComponent('toolbox', function (tm) {
    var r = drawnBox(inst, tm);
    if (!r) { return; }
    plots.forEach(function (p) {
      if (near(r, p, CLEAR)) { problems.push(where + ': the download icon ' + rectText(r) + ' is within ' + CLEAR + ' px of the plot area ' + rectText(p)); }
    });
    lines.forEach(function (l) {
      [l.points[0], l.points[l.points.length - 1]].forEach(function (p) {
        if (pointIn(r, p, CLEAR)) { problems.push(where + ': the download icon ' + rectText(r) + ' sits on the end point (' + Math.round(p[0]) + ', ' + Math.round(p[1]) + ') of "' + l.name + '"'); }
      });
    });
  });
  model.eachComponent('legend', function (lm) {
    var r = drawnBox(inst, lm);
    if (!r) { return; }
    plots.forEach(function (p) {
      if (near(r, p, 0)) { problems.push(where + ': the legend ' + rectText(r) + ' covers the plot area ' + rectText(p)); }
    });
    lines.forEach(function (l) {
      if (l.points.some(function (p) { return pointIn(r, p, 0); })) { problems.push(where + ': the legend ' + rectText(r) + ' covers a point of "' + l.name + '"'); }
    });
  });
}
var checked = 0;
document.querySelectorAll('.chart').forEach(function (div, n) {
  var inst = window.echarts && echarts.getInstanceByDom(div);
  if (!inst) { return; }
  var svg = div.querySelector('svg');
  var card = div.closest('section');
  var where = (card && card.id ? card.id : 'page') + ' chart ' + n;
  if (!svg) { problems.push(where + ': not drawn with the SVG renderer'); return; }
  checked++;
  var box = div.getBoundingClientRect();
  var texts = [];
  svg.querySelectorAll('text').forEach(function (t) {
    var r = t.getBoundingClientRect();
    var s = t.textContent.trim();
    if (!s || r.width === 0 || r.height === 0 || getComputedStyle(t).display === 'none' || getComputedStyle(t).visibility === 'hidden') { return; }
    texts.push({ s: s, r: r, x: (r.left + r.right) / 2 - box.left, y: (r.top + r.bottom) / 2 - box.top });
  });
  texts.forEach(function (t, i) {
    if (t.r.left < box.left - 1 || t.r.right > box.right + 1 || t.r.top < box.top - 1 || t.r.bottom > box.bottom + 1) {
      problems.push(where + ': "' + t.s + '" leaves the chart');
    }
    for (var j = i + 1; j < texts.length; j++) {
      if (overlap(t.r, texts[j].r)) { problems.push(where + ': "' + t.s + '" overlaps "' + texts[j].s + '"'); }
    }
  });
  var model = inst.getModel();
  checkToolboxAndLegends(inst, model, where);
  ['xAxis', 'yAxis'].forEach(function (kind) {
    model.eachComponent(kind, function (am) {
      var axis = am.axis;
      if (!axis || axis.type === 'category' || !axis.grid) { return; }
      var scale = am.option.loupeScale || (axis.type === 'log' ? 'log' : 'linear');
      var g = axis.grid.getRect();
      var horizontal = axis.dim === 'x';
      var ticks = texts.filter(function (t) {
        if (parse(t.s) === null) { return false; }
        if (horizontal) {
          var below = axis.position !== 'top';
          var dy = below ? t.y - (g.y + g.height) : g.y - t.y;
          return dy > 0 && dy < 24 && t.x > g.x - 10 && t.x < g.x + g.width + 10;
        }
        var left = axis.position !== 'right';
        var dx = left ? g.x - t.x : t.x - (g.x + g.width);
        return dx > 0 && dx < 70 && t.y > g.y - 10 && t.y < g.y + g.height + 10;
      });
      var name = where + ' ' + axis.dim + '-axis' + (am.option.name ? ' "' + am.option.name + '"' : '');
      if (ticks.length < 2) { problems.push(name + ': fewer than 2 tick labels (' + ticks.length + ')'); return; }
      ticks.forEach(function (t) {
        var v = parse(t.s);
        var data = scale === 'probit' ? probit(v) : v;
        var at = axis.toGlobalCoord(axis.dataToCoord(data));
        var off = (horizontal ? t.x : t.y) - at;
        if (!isFinite(at) || Math.abs(off) > 3) {
          problems.push(name + ': tick "' + t.s + '" sits ' + (isFinite(off) ? Math.round(off) + ' px' : 'off') + ' from where its ' + scale + ' scale puts it');
        }
      });
      if (am.option.loupeTicks) {
        var drawn = ticks.map(function (t) { return t.s; }).sort().join(' ');
        var stated = am.option.loupeTicks.slice().sort().join(' ');
        if (drawn !== stated) { problems.push(name + ': ticks drawn [' + drawn + '] but stated [' + stated + ']'); }
      }
    });
  });
});
return { charts: checked, problems: problems };
