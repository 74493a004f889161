/* Loupe panel 'projector': draws the view model of ProjectorPanel.java (beside this file). Every point on one canvas
   (ImageData writes, no object per point), pan by dragging, zoom with the wheel, hover through a uniform-grid index,
   shift-drag for a box selection (count, accuracy with its Wilson 95% interval, class mix, samples), colour by true
   class / prediction / correct / confidence, decision regions underneath, a method switch and a second run side by
   side (dashboard). Text from the data set is only ever set with textContent. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt, select = L.select, labelled = L.labelled, getJson = L.getJson;
  var PAL = L.PALETTE;
  var H = 480;

  function rgb(hex) { return [parseInt(hex.substr(1, 2), 16), parseInt(hex.substr(3, 2), 16), parseInt(hex.substr(5, 2), 16)]; }
  var COLORS = PAL.map(rgb);
  var GREY = [170, 170, 170], RIGHT = [0, 158, 115], WRONG = [213, 94, 0];

  function wilson(k, n) {
    if (n === 0) { return [NaN, NaN]; }
    var z = 1.959963984540054, p = k / n, d = 1 + z * z / n;
    var c = (p + z * z / (2 * n)) / d, h = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
    return [Math.max(0, c - h), Math.min(1, c + h)];
  }

  /* The dashboard sends coordinates as 0–65535 over their extent and confidences in permille: decode once. */
  function decode(vm) {
    var n = vm.label.length, i;
    if (vm.xq) {
      var e = vm.extent, sx = (e[1] - e[0]) / 65535, sy = (e[3] - e[2]) / 65535;
      vm.x = new Float32Array(n); vm.y = new Float32Array(n);
      for (i = 0; i < n; i++) { vm.x[i] = e[0] + vm.xq[i] * sx; vm.y[i] = e[2] + vm.yq[i] * sy; }
      vm.xq = vm.yq = null;
    }
    if (!vm.conf) {
      vm.conf = new Float32Array(n);
      for (i = 0; i < n; i++) { vm.conf[i] = vm.confPermille[i] < 0 ? NaN : vm.confPermille[i] / 1000; }
    }
    return vm;
  }

  /* One projection on one canvas. opts: {vm, width, colorBy, regions, onHover(i), onSelect(list), onClick(i)} */
  function View(holder, vm, opts) {
    var self = this;
    var n = vm.x.length, dpr = window.devicePixelRatio || 1;
    var W = opts.width, canvas = el('canvas', 'projector-canvas');
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
    add(holder, canvas);
    var g = canvas.getContext('2d');
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, i;
    for (i = 0; i < n; i++) {
      if (vm.x[i] < x0) { x0 = vm.x[i]; } if (vm.x[i] > x1) { x1 = vm.x[i]; }
      if (vm.y[i] < y0) { y0 = vm.y[i]; } if (vm.y[i] > y1) { y1 = vm.y[i]; }
    }
    if (!(x1 > x0)) { x1 = x0 + 1; } if (!(y1 > y0)) { y1 = y0 + 1; }
    // the first view frames the middle 99% of the points (a few far outliers would squeeze the rest); zoom out for them
    function mid(a) {
      var s = Float32Array.from(a).sort(), lo = s[Math.floor(0.005 * (s.length - 1))], hi = s[Math.ceil(0.995 * (s.length - 1))];
      return [lo, hi > lo ? hi : lo + 1];
    }
    var fx = n ? mid(vm.x) : [x0, x1], fy = n ? mid(vm.y) : [y0, y1];
    var scale = 0.9 * Math.min(W / (fx[1] - fx[0]), H / (fy[1] - fy[0])), cx = (fx[0] + fx[1]) / 2, cy = (fy[0] + fy[1]) / 2;
    function sx(x) { return (x - cx) * scale + W / 2; }
    function sy(y) { return H / 2 - (y - cy) * scale; }
    function dx(px) { return (px - W / 2) / scale + cx; }
    function dy(py) { return cy - (py - H / 2) / scale; }

    // the hover index: a uniform grid of buckets in data space
    var G = Math.max(16, Math.min(512, Math.round(Math.sqrt(n / 4)))), bw = (x1 - x0) / G || 1, bh = (y1 - y0) / G || 1;
    var start = new Int32Array(G * G + 1), members = new Int32Array(n), cell = new Int32Array(n);
    for (i = 0; i < n; i++) {
      var gx = Math.min(G - 1, Math.floor((vm.x[i] - x0) / bw)), gy = Math.min(G - 1, Math.floor((vm.y[i] - y0) / bh));
      cell[i] = gy * G + gx; start[cell[i] + 1]++;
    }
    for (i = 0; i < G * G; i++) { start[i + 1] += start[i]; }
    var fill = start.slice(0, G * G);
    for (i = 0; i < n; i++) { members[fill[cell[i]]++] = i; }

    function nearest(px, py, radiusPx) {
      var x = dx(px), y = dy(py), r = radiusPx / scale, best = -1, bd = r * r;
      var ga = Math.max(0, Math.floor((x - r - x0) / bw)), gb = Math.min(G - 1, Math.floor((x + r - x0) / bw));
      var ha = Math.max(0, Math.floor((y - r - y0) / bh)), hb = Math.min(G - 1, Math.floor((y + r - y0) / bh));
      for (var b = ha; b <= hb; b++) {
        for (var a = ga; a <= gb; a++) {
          var c = b * G + a;
          for (var q = start[c]; q < start[c + 1]; q++) {
            var j = members[q], ex = vm.x[j] - x, ey = vm.y[j] - y, d = ex * ex + ey * ey;
            if (d < bd) { bd = d; best = j; }
          }
        }
      }
      return best;
    }

    function colorOf(j) {
      var by = opts.colorBy();
      if (by === 'label') { return vm.label[j] < 0 ? GREY : COLORS[vm.label[j] % COLORS.length]; }
      if (by === 'pred') { return vm.pred[j] < 0 ? GREY : COLORS[vm.pred[j] % COLORS.length]; }
      if (by === 'correct') { return vm.label[j] < 0 || vm.pred[j] < 0 ? GREY : vm.label[j] === vm.pred[j] ? RIGHT : WRONG; }
      var c = vm.conf[j];
      if (!(c >= 0)) { return GREY; }
      var t = Math.max(0, Math.min(1, c)); // confidence: light yellow (low) to dark blue (high)
      return [Math.round(240 - 240 * t), Math.round(228 - 114 * t), Math.round(66 + 112 * t)];
    }

    var regionCanvas = null;
    function drawRegions() {
      var r = vm.regions;
      if (!r || !opts.regions()) { return; }
      var rw = Math.ceil(W / 3), rh = Math.ceil(H / 3);
      if (!regionCanvas) { regionCanvas = document.createElement('canvas'); }
      regionCanvas.width = rw; regionCanvas.height = rh;
      var rg = regionCanvas.getContext('2d'), img = rg.createImageData(rw, rh), d = img.data;
      for (var py = 0; py < rh; py++) {
        for (var px = 0; px < rw; px++) {
          var x = dx(px * 3 + 1.5), y = dy(py * 3 + 1.5), k = -1, a = 0;
          if (r.kind === 'linear') {
            var bv = -Infinity;
            for (var c = 0; c < r.c.length; c++) { var z = r.c[c] + r.a[c] * x + r.b[c] * y; if (z > bv) { bv = z; k = r.classes[c]; } }
            a = 0.22;
          } else {
            var gx = Math.floor((x - r.x0) / (r.x1 - r.x0) * r.gx), gy = Math.floor((y - r.y0) / (r.y1 - r.y0) * r.gy);
            if (gx >= 0 && gy >= 0 && gx < r.gx && gy < r.gy) {
              k = r.cls[gy * r.gx + gx]; a = 0.08 + 0.3 * r.strength[gy * r.gx + gx];
            }
          }
          if (k < 0) { continue; }
          var col = COLORS[k % COLORS.length], o = 4 * (py * rw + px);
          d[o] = col[0]; d[o + 1] = col[1]; d[o + 2] = col[2]; d[o + 3] = Math.round(255 * a);
        }
      }
      rg.putImageData(img, 0, 0);
      g.imageSmoothingEnabled = r.kind !== 'linear';
      g.drawImage(regionCanvas, 0, 0, W * dpr, H * dpr);
    }

    var box = null, highlight = -1;
    this.draw = function () {
      var t0 = performance.now();
      g.setTransform(1, 0, 0, 1, 0, 0);
      g.fillStyle = '#ffffff'; g.fillRect(0, 0, canvas.width, canvas.height);
      drawRegions();
      var img = g.getImageData(0, 0, canvas.width, canvas.height), d = img.data, cw = canvas.width, ch = canvas.height;
      var s = Math.max(1, Math.round((n < 5000 ? 4 : n < 50000 ? 3 : 2) * dpr)); // bigger dots when there are few
      function dot(j, col, size) {
        var px = Math.round(sx(vm.x[j]) * dpr), py = Math.round(sy(vm.y[j]) * dpr);
        for (var b = 0; b < size; b++) {
          var yy = py + b; if (yy < 0 || yy >= ch) { continue; }
          for (var a = 0; a < size; a++) {
            var xx = px + a; if (xx < 0 || xx >= cw) { continue; }
            var o = 4 * (yy * cw + xx); d[o] = col[0]; d[o + 1] = col[1]; d[o + 2] = col[2]; d[o + 3] = 255;
          }
        }
      }
      var mark = opts.colorBy() === 'label' || opts.colorBy() === 'pred';
      for (var j = 0; j < n; j++) { dot(j, colorOf(j), s); }
      if (mark) { // misclassified points: a dark centre on top
        for (j = 0; j < n; j++) { if (vm.label[j] >= 0 && vm.pred[j] >= 0 && vm.label[j] !== vm.pred[j]) { dot(j, [20, 20, 20], Math.max(1, s - 2)); } }
      }
      g.putImageData(img, 0, 0);
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      if (highlight >= 0) {
        g.strokeStyle = '#000'; g.lineWidth = 1.5; g.beginPath(); g.arc(sx(vm.x[highlight]), sy(vm.y[highlight]), 6, 0, 2 * Math.PI); g.stroke();
      }
      if (box) { g.strokeStyle = '#333'; g.setLineDash([4, 3]); g.strokeRect(box[0], box[1], box[2] - box[0], box[3] - box[1]); g.setLineDash([]); }
      self.lastDrawMs = performance.now() - t0;
      canvas.setAttribute('data-last-draw-ms', String(Math.round(self.lastDrawMs)));
    };
    var pending = false;
    function redraw() { if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; self.draw(); }); } }
    this.redraw = redraw;
    this.highlight = function (j) { highlight = j; redraw(); };
    this.canvas = canvas;
    /* where point j is drawn, in CSS pixels from the canvas's top left (for tests and the sample view) */
    canvas.loupeScreenOf = function (j) { return [sx(vm.x[j]), sy(vm.y[j])]; };

    function pos(e) { var b = canvas.getBoundingClientRect(); return [e.clientX - b.left, e.clientY - b.top]; }
    var drag = null, moved = false;
    canvas.addEventListener('mousedown', function (e) {
      var p = pos(e); moved = false;
      drag = { x: p[0], y: p[1], cx: cx, cy: cy, select: e.shiftKey };
    });
    window.addEventListener('mouseup', function (e) {
      if (!drag) { return; }
      var p = pos(e);
      if (drag.select && box) {
        var xa = dx(Math.min(box[0], box[2])), xb = dx(Math.max(box[0], box[2]));
        var ya = dy(Math.max(box[1], box[3])), yb = dy(Math.min(box[1], box[3])), sel = [];
        for (var j = 0; j < n; j++) { if (vm.x[j] >= xa && vm.x[j] <= xb && vm.y[j] >= ya && vm.y[j] <= yb) { sel.push(j); } }
        box = null; redraw(); opts.onSelect(sel);
      } else if (!moved) {
        var hit = nearest(p[0], p[1], 6);
        if (hit >= 0) { opts.onClick(hit); }
      }
      drag = null;
    });
    canvas.addEventListener('mousemove', function (e) {
      var p = pos(e);
      if (drag) {
        if (Math.abs(p[0] - drag.x) + Math.abs(p[1] - drag.y) > 3) { moved = true; }
        if (drag.select) { box = [drag.x, drag.y, p[0], p[1]]; } else { cx = drag.cx - (p[0] - drag.x) / scale; cy = drag.cy + (p[1] - drag.y) / scale; }
        redraw();
        return;
      }
      opts.onHover(nearest(p[0], p[1], 6), e.clientX, e.clientY);
    });
    canvas.addEventListener('mouseleave', function () { opts.onHover(-1); });
    canvas.addEventListener('wheel', function (e) {
      e.preventDefault();
      var p = pos(e), x = dx(p[0]), y = dy(p[1]), f = Math.exp(-e.deltaY * 0.0015);
      scale *= f; cx = x - (p[0] - W / 2) / scale; cy = y + (p[1] - H / 2) / scale;
      redraw();
    }, { passive: false });
  }

  L.panels.projector = function (body, vm, ctx) {
    var t0 = performance.now();
    var state = { colorBy: 'label', regions: true };
    var controls = el('div', 'controls projector-controls');
    var stage = el('div', 'projector-stage');
    var info = el('div', 'projector-info');
    var tip = el('div', 'projector-tip'); tip.style.display = 'none';
    add(body, controls, stage, info, tip);
    var views = [];
    var width = Math.max(320, (body.clientWidth || 900) - 8);

    function legend() {
      var lg = el('div', 'projector-legend');
      if (state.colorBy === 'label' || state.colorBy === 'pred') {
        vm.classes.forEach(function (c, k) {
          var sw = el('span', 'swatch'); sw.style.background = PAL[k % PAL.length];
          add(lg, sw, el('span', null, c + '  '));
        });
        add(lg, el('span', 'muted', ' \u00b7 dark centre: misclassified'));
      } else if (state.colorBy === 'correct') {
        var a = el('span', 'swatch'); a.style.background = '#009E73';
        var b = el('span', 'swatch'); b.style.background = '#D55E00';
        add(lg, a, el('span', null, 'correct  '), b, el('span', null, 'wrong'));
      } else {
        add(lg, el('span', null, 'confidence: light = low, dark = high'));
      }
      return lg;
    }
    var legendHolder = el('div');

    function quality(q) {
      var parts = [];
      if (q.trustworthiness !== undefined) { parts.push('trustworthiness (k = 10) ' + fmt(q.trustworthiness, 3)); }
      if (q.knn_accuracy_2d !== undefined) { parts.push('kNN-label accuracy ' + fmt(q.knn_accuracy_2d, 3) + ' in 2-D, ' + fmt(q.knn_accuracy_original, 3) + ' in the original space'); }
      if (q.explained_variance_ratio) { parts.push('explained variance ' + fmt(q.explained_variance_ratio[0] + q.explained_variance_ratio[1], 3)); }
      return parts.join(' \u00b7 ');
    }

    function describe(v, j, detail) {
      var lines = [];
      var lab = v.label[j] >= 0 ? v.classes[v.label[j]] : '?', pr = v.pred[j] >= 0 ? v.classes[v.pred[j]] : '?';
      lines.push('row ' + (v.rows ? v.rows[j] : j) + ': true ' + lab + ', predicted ' + pr + (v.conf[j] >= 0 ? ' (' + fmt(v.conf[j], 3) + ')' : ''));
      var text = detail ? detail.text : (v.texts ? v.texts[j] : null);
      if (text !== null && text !== undefined) { lines.push(text.length > 300 ? text.slice(0, 300) + '\u2026' : text); }
      return lines;
    }
    var rowCache = {};
    function detailOf(v, j, then) {
      var row = v.rows ? v.rows[j] : j;
      if (v.texts || !ctx || !ctx.api) { then(null); return; }
      var key = v.run + ':' + row;
      if (rowCache[key]) { then(rowCache[key]); return; }
      getJson(ctx.api.replace(/\/api\/runs\/[^/]*$/, '/api/runs/' + encodeURIComponent(v.run)) + '/panels/projector?row=' + row)
        .then(function (d) { rowCache[key] = d; then(d); }, function () { then(null); });
    }
    function showTip(v, j, px, py) {
      if (j < 0) { tip.style.display = 'none'; return; }
      tip.textContent = '';
      describe(v, j, null).forEach(function (l) { add(tip, el('div', null, l)); });
      tip.style.display = 'block';
      tip.style.left = (px + 14) + 'px'; tip.style.top = (py + 14) + 'px';
      detailOf(v, j, function (d) {
        if (!d || tip.style.display === 'none') { return; }
        tip.textContent = '';
        describe(v, j, d).forEach(function (l) { add(tip, el('div', null, l)); });
      });
    }
    function showSelection(v, sel) {
      info.textContent = '';
      if (!sel.length) { add(info, el('p', 'muted', 'No points in the box.')); return; }
      var labelled = 0, right = 0, mix = {};
      sel.forEach(function (j) {
        if (v.label[j] >= 0) { mix[v.label[j]] = (mix[v.label[j]] || 0) + 1; }
        if (v.label[j] >= 0 && v.pred[j] >= 0) { labelled++; if (v.label[j] === v.pred[j]) { right++; } }
      });
      var w = wilson(right, labelled);
      add(info, el('h3', null, 'Selection: ' + sel.length + ' points'),
        el('p', null, 'accuracy ' + (labelled ? fmt(right / labelled, 3) + ' [' + fmt(w[0], 3) + ', ' + fmt(w[1], 3) + '] (95% Wilson)' : '\u2014') +
          ' \u00b7 class mix: ' + Object.keys(mix).map(function (k) { return v.classes[k] + ' ' + mix[k] + ' (' + fmt(mix[k] / sel.length * 100, 1) + '%)'; }).join(', ')));
      var list = el('ul', 'projector-samples');
      sel.slice(0, 20).forEach(function (j) {
        var li = el('li', null, describe(v, j, null)[0]);
        detailOf(v, j, function (d) { if (d && d.text) { add(li, el('div', 'muted', d.text.length > 200 ? d.text.slice(0, 200) + '\u2026' : d.text)); } });
        add(list, li);
      });
      add(info, list);
      if (sel.length > 20) { add(info, el('p', 'muted', 'first 20 of ' + sel.length)); }
    }
    function openSample(v, j) {
      var row = v.rows ? v.rows[j] : j;
      views.forEach(function (x) { x.view.highlight(x.vm.rows ? x.vm.rows.indexOf(row) : row); });
      // the shared sample view (web/sample.js, when the page has it): Loupe.openSample(runId, key, {into})
      if (L.openSample) { info.textContent = ''; L.openSample(v.run, row, { into: info }); return; }
      info.textContent = '';
      add(info, el('h3', null, 'Sample'));
      describe(v, j, null).forEach(function (l) { add(info, el('p', null, l)); });
      detailOf(v, j, function (d) { if (d) { info.textContent = ''; add(info, el('h3', null, 'Sample')); describe(v, j, d).forEach(function (l) { add(info, el('p', 'text', l)); }); } });
    }

    function mount(list) {
      list.forEach(decode);
      stage.textContent = '';
      views = [];
      var w = list.length > 1 ? Math.floor((width - 12) / 2) : width;
      list.forEach(function (v) {
        var col = el('div', 'projector-col');
        col.style.display = 'inline-block'; col.style.verticalAlign = 'top'; col.style.marginRight = '8px';
        add(stage, col);
        if (list.length > 1) { add(col, el('div', 'muted', v.runName || v.run)); }
        var q = quality(v.quality || {});
        var view = new View(col, v, {
          width: w, colorBy: function () { return state.colorBy; }, regions: function () { return state.regions; },
          onHover: function (j, px, py) {
            var row = j >= 0 ? (v.rows ? v.rows[j] : j) : -1;
            views.forEach(function (x) { if (x.vm !== v) { x.view.highlight(row < 0 ? -1 : (x.vm.rows ? x.vm.rows.indexOf(row) : row)); } });
            showTip(v, j, px, py);
          },
          onSelect: function (sel) { showSelection(v, sel); },
          onClick: function (j) { openSample(v, j); }
        });
        views.push({ vm: v, view: view });
        add(col, el('div', 'muted', [q, v.regions ? v.regions.note : '', v.note || ''].filter(Boolean).join(' \u00b7 ')));
        view.draw();
      });
      legendHolder.textContent = '';
      add(legendHolder, legend());
      body.setAttribute('data-projector-points', String(list.reduce(function (s, v) { return s + v.x.length; }, 0)));
      body.setAttribute('data-projector-drawn-ms', String(Math.round(performance.now() - t0)));
      body.setAttribute('data-projector-drawn-at', String(Math.round(performance.now())));
    }

    var current = [vm];
    add(controls, labelled('colour', select([['label', 'true class'], ['pred', 'prediction'], ['correct', 'correct / wrong'], ['conf', 'confidence']],
      state.colorBy, function (v) { state.colorBy = v; legendHolder.textContent = ''; add(legendHolder, legend()); views.forEach(function (x) { x.view.redraw(); }); })));
    var reg = el('input'); reg.type = 'checkbox'; reg.checked = true;
    reg.addEventListener('change', function () { state.regions = reg.checked; views.forEach(function (x) { x.view.redraw(); }); });
    add(controls, labelled('decision regions', reg));
    if (ctx && ctx.api) {
      add(controls, labelled('method', select(vm.methods.map(function (m) { return [m, m === 'tsne' ? 't-SNE' : m.toUpperCase()]; }), vm.method, function (m) {
        Promise.all(current.map(function (v) {
          return getJson(ctx.api.replace(/\/api\/runs\/[^/]*$/, '/api/runs/' + encodeURIComponent(v.run)) + '/panels/projector?method=' + m)
            .then(function (nv) { nv.runName = v.runName; return nv; });
        })).then(function (list) { current = list; mount(list); }, function (e) { info.textContent = ''; add(info, el('div', 'warn', e.message)); });
      })));
      var side = select([['', 'none']], '', function (id) {
        if (!id) { current = [current[0]]; mount(current); return; }
        getJson(ctx.api.replace(/\/api\/runs\/[^/]*$/, '/api/runs/' + encodeURIComponent(id)) + '/panels/projector?method=' + current[0].method)
          .then(function (nv) {
            nv.runName = side.options[side.selectedIndex].textContent;
            current = [current[0], nv]; mount(current);
          }, function (e) { info.textContent = ''; add(info, el('div', 'warn', 'That run: ' + e.message)); });
      });
      add(controls, labelled('side by side with', side));
      getJson(ctx.api.replace(/\/runs\/[^/]*$/, '/runs') + '?experiment=' + encodeURIComponent(vm.experiment)).then(function (t) {
        (t.rows || []).forEach(function (r) { if (r.id !== vm.run) { var o = el('option', null, r.name || r.id); o.value = r.id; side.appendChild(o); } });
      }, function () { /* no list: the select stays at none */ });
    }
    add(controls, legendHolder);
    add(body, el('p', 'muted', 'Drag to pan, wheel to zoom, shift-drag to select a box, click a point for its sample.'));
    mount(current);
  };
})(window.Loupe);
