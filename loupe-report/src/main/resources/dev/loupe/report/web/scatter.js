/* Loupe scatter view (web/scatter.js, after core.js and points.js): every point of a 2-D projection on one canvas (ImageData
   writes, no object per point), a uniform-grid index for hover and click, pan by dragging, zoom with the wheel,
   shift-drag for a box or a lasso; decision regions underneath. Used by the projector panel (panels/projector.js). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add;
  var H = 480;

  var COLORS = L.points.COLORS;

  /* One projection on one canvas. opts: {vm, width, colorBy, regions, selectShape ('box' | 'lasso'), onHover(i),
     onSelect(list), onClick(i)}; colorBy 'meta:NAME' colours by the metadata column NAME of vm.meta. */
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

    function colorOf(j) { return L.points.colorOf(vm, opts.colorBy(), j); }

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

    var box = null, lasso = null, highlight = -1;
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
        for (j = 0; j < n; j++) { if (vm.label[j] >= 0 && vm.pred[j] >= 0 && vm.label[j] !== vm.pred[j]) { dot(j, [20, 20, 20], Math.max(1,
          s - 2)); } }
      }
      g.putImageData(img, 0, 0);
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      if (highlight >= 0) {
        g.strokeStyle = '#000'; g.lineWidth = 1.5; g.beginPath(); g.arc(sx(vm.x[highlight]), sy(vm.y[highlight]), 6, 0, 2 * Math.PI); g.stroke();
      }
      if (box) { g.strokeStyle = '#333'; g.setLineDash([4, 3]); g.strokeRect(box[0], box[1], box[2] - box[0], box[3] - box[1]); g.setLineDash([]); }
      if (lasso && lasso.length > 1) {
        g.strokeStyle = '#333'; g.setLineDash([4, 3]); g.beginPath(); g.moveTo(lasso[0][0], lasso[0][1]);
        for (var q = 1; q < lasso.length; q++) { g.lineTo(lasso[q][0], lasso[q][1]); }
        g.closePath(); g.stroke(); g.setLineDash([]);
      }
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
      if (drag.select && lasso) {
        canvas.loupeLastLasso = lasso; // CSS pixels, for tests
        var poly = lasso.map(function (q) { return [dx(q[0]), dy(q[1])]; });
        lasso = null; redraw(); opts.onSelect(poly.length >= 3 ? L.points.inPolygon(vm, poly) : []);
      } else if (drag.select && box) {
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
        if (drag.select && opts.selectShape && opts.selectShape() === 'lasso') {
          lasso = lasso || [[drag.x, drag.y]];
          var last = lasso[lasso.length - 1];
          if (Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) >= 2) { lasso.push(p); }
        } else if (drag.select) { box = [drag.x, drag.y, p[0],
          p[1]]; } else { cx = drag.cx - (p[0] - drag.x) / scale; cy = drag.cy + (p[1] - drag.y) / scale; }
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

  L.ScatterView = View;
})(window.Loupe);
