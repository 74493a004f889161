/* Loupe point helpers (web/points.js, after core.js, before scatter.js): the colour of a projected point by true
   class, prediction, correct/wrong, confidence or a metadata column; the points inside a lasso; the Wilson interval;
   the colour legend. Used by web/scatter.js and panels/projector.js. Data text only via textContent. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt;
  var PAL = L.PALETTE;
  function rgb(hex) { return [parseInt(hex.substr(1, 2), 16), parseInt(hex.substr(3, 2), 16), parseInt(hex.substr(5, 2), 16)]; }
  var COLORS = PAL.map(rgb);
  var GREY = [170, 170, 170], RIGHT = [0, 158, 115], WRONG = [213, 94, 0];

  /* the metadata column a colour choice 'meta:NAME' names, or undefined */
  function metaOf(vm, by) {
    return by.lastIndexOf('meta:', 0) === 0 ? (vm.meta || []).filter(function (c) { return 'meta:' + c.name === by; })[0] : undefined;
  }
  function ramp(t) { // light yellow (low) to dark blue (high)
    t = Math.max(0, Math.min(1, t));
    return [Math.round(240 - 240 * t), Math.round(228 - 114 * t), Math.round(66 + 112 * t)];
  }
  function colorOf(vm, by, j) {
    var mc = metaOf(vm, by);
    if (mc) {
      if (mc.codes) { return mc.codes[j] < 0 ? GREY : COLORS[mc.codes[j] % COLORS.length]; }
      return mc.permille[j] < 0 ? GREY : ramp(mc.permille[j] / 1000);
    }
    if (by === 'label') { return vm.label[j] < 0 ? GREY : COLORS[vm.label[j] % COLORS.length]; }
    if (by === 'pred') { return vm.pred[j] < 0 ? GREY : COLORS[vm.pred[j] % COLORS.length]; }
    if (by === 'correct') { return vm.label[j] < 0 || vm.pred[j] < 0 ? GREY : vm.label[j] === vm.pred[j] ? RIGHT : WRONG; }
    var c = vm.conf[j];
    return c >= 0 ? ramp(c) : GREY;
  }
  /* the points of vm inside a polygon in data space (even-odd rule), in index order */
  function inPolygon(vm, poly) {
    var xa = Infinity, xb = -Infinity, ya = Infinity, yb = -Infinity, sel = [], m = poly.length, n = vm.x.length;
    poly.forEach(function (q) { xa = Math.min(xa, q[0]); xb = Math.max(xb, q[0]); ya = Math.min(ya, q[1]); yb = Math.max(yb, q[1]); });
    for (var j = 0; j < n; j++) {
      var x = vm.x[j], y = vm.y[j];
      if (x < xa || x > xb || y < ya || y > yb) { continue; }
      var inside = false;
      for (var a = 0, b = m - 1; a < m; b = a++) {
        if ((poly[a][1] > y) !== (poly[b][1] > y) && x < (poly[b][0] - poly[a][0]) * (y - poly[a][1]) / (poly[b][1] - poly[a][1]) + poly[a][0]) {
          inside = !inside;
        }
      }
      if (inside) { sel.push(j); }
    }
    return sel;
  }
  function wilson(k, n) {
    if (n === 0) { return [NaN, NaN]; }
    var z = 1.959963984540054, p = k / n, d = 1 + z * z / n;
    var c = (p + z * z / (2 * n)) / d, h = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
    return [Math.max(0, c - h), Math.min(1, c + h)];
  }
  function swatch(lg, k, text) {
    var sw = el('span', 'swatch'); sw.style.background = PAL[k % PAL.length];
    add(lg, sw, el('span', null, text + '  '));
  }
  /* the legend of a colour choice for a view model */
  function legend(vm, by) {
    var lg = el('div', 'projector-legend'), mc = metaOf(vm, by);
    if (by === 'label' || by === 'pred') {
      vm.classes.forEach(function (c, k) { swatch(lg, k, c); });
      add(lg, el('span', 'muted', ' \u00b7 dark centre: misclassified'));
    } else if (by === 'correct') {
      var a = el('span', 'swatch'); a.style.background = '#009E73';
      var b = el('span', 'swatch'); b.style.background = '#D55E00';
      add(lg, a, el('span', null, 'correct  '), b, el('span', null, 'wrong'));
    } else if (mc && mc.values) {
      mc.values.forEach(function (val, k) { swatch(lg, k, val); });
    } else if (mc) {
      add(lg, el('span', null, mc.name + ': light = ' + fmt(mc.lo, 3) + ', dark = ' + fmt(mc.hi, 3)));
    } else {
      add(lg, el('span', null, 'confidence: light = low, dark = high'));
    }
    return lg;
  }
  L.points = { COLORS: COLORS, metaOf: metaOf, colorOf: colorOf, inPolygon: inPolygon, wilson: wilson, legend: legend };
})(window.Loupe);
