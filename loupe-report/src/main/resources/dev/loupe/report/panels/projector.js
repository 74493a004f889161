/* Loupe panel 'projector': draws ProjectorPanel.java's view model with web/scatter.js (every point on one canvas): box
   or lasso selection (count, accuracy with its Wilson 95% interval, class mix, samples), colour by true class /
   prediction / correct / confidence / any metadata column or slice, a method switch and a second run side by side
   (dashboard). Data text only via textContent. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt, select = L.select, labelled = L.labelled, getJson = L.getJson;
  var wilson = L.points.wilson, metaOf = L.points.metaOf;
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
  L.panels.projector = function (body, vm, ctx) {
    var t0 = performance.now();
    var state = { colorBy: 'label', regions: true, shape: 'box' };
    var controls = el('div', 'controls projector-controls');
    var stage = el('div', 'projector-stage');
    var info = el('div', 'projector-info');
    var tip = el('div', 'projector-tip'); tip.style.display = 'none';
    add(body, controls, stage, info, tip);
    var views = [];
    var width = Math.max(320, (body.clientWidth || 900) - 8);
    function legend() { return L.points.legend(vm, state.colorBy); }
    var legendHolder = el('div');
    function quality(q) {
      var parts = [];
      if (q.trustworthiness !== undefined) { parts.push('trustworthiness (k = 10) ' + fmt(q.trustworthiness, 3)); }
      if (q.knn_accuracy_2d !== undefined) { parts.push('kNN-label accuracy ' + fmt(q.knn_accuracy_2d,
        3) + ' in 2-D, ' + fmt(q.knn_accuracy_original, 3) + ' in the original space'); }
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
      if (!sel.length) { add(info, el('p', 'muted', 'No points in the ' + state.shape + '.')); return; }
      var labelled = 0, right = 0, mix = {};
      sel.forEach(function (j) {
        if (v.label[j] >= 0) { mix[v.label[j]] = (mix[v.label[j]] || 0) + 1; }
        if (v.label[j] >= 0 && v.pred[j] >= 0) { labelled++; if (v.label[j] === v.pred[j]) { right++; } }
      });
      var w = wilson(right, labelled);
      add(info, el('h3', null, 'Selection: ' + sel.length + ' points'),
        el('p', null, 'accuracy ' + (labelled ? fmt(right / labelled, 3) + ' [' + fmt(w[0], 3) + ', ' + fmt(w[1], 3) + '] (95% Wilson)' : '\u2014') +
          ' \u00b7 class mix: ' + Object.keys(mix).map(function (k) { return v.classes[k] + ' ' + mix[k] + ' ('
            + fmt(mix[k] / sel.length * 100, 1) + '%)'; }).join(', ')));
      var mc = metaOf(v, state.colorBy);
      if (mc && mc.codes) { // the selection's mix of the metadata column coloured by
        var mm = {};
        sel.forEach(function (j) { var c = mc.codes[j]; if (c >= 0) { mm[c] = (mm[c] || 0) + 1; } });
        add(info, el('p', null, mc.name + ' mix: ' + Object.keys(mm).map(function (c) { return mc.values[c] + ' ' + mm[c]; }).join(', ')));
      }
      var list = el('ul', 'projector-samples');
      sel.slice(0, 20).forEach(function (j) {
        var li = el('li', null, describe(v, j, null)[0]);
        detailOf(v, j, function (d) { if (d && d.text) { add(li, el('div', 'muted', d.text.length > 200 ? d.text.slice(0,
          200) + '\u2026' : d.text)); } });
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
      detailOf(v, j, function (d) { if (d) { info.textContent = ''; add(info, el('h3', null, 'Sample')); describe(v, j,
        d).forEach(function (l) { add(info, el('p', 'text', l)); }); } });
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
        var view = new L.ScatterView(col, v, {
          width: w, colorBy: function () { return state.colorBy; }, regions: function () { return state.regions; },
          selectShape: function () { return state.shape; },
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
    var colours = [['label', 'true class'], ['pred', 'prediction'], ['correct', 'correct / wrong'], ['conf', 'confidence']];
    (vm.meta || []).forEach(function (c) { colours.push(['meta:' + c.name, c.name + (c.slice ? ' (slice)' : '')]); });
    add(controls, labelled('colour', select(colours,
      state.colorBy, function (v) { state.colorBy = v; legendHolder.textContent = ''; add(legendHolder,
        legend()); views.forEach(function (x) { x.view.redraw(); }); })));
    var reg = el('input'); reg.type = 'checkbox'; reg.checked = true;
    reg.addEventListener('change', function () { state.regions = reg.checked; views.forEach(function (x) { x.view.redraw(); }); });
    add(controls, labelled('decision regions', reg));
    add(controls, labelled('selection', select([['box', 'box'], ['lasso', 'lasso']], state.shape, function (v) { state.shape = v; })));
    if (ctx && ctx.api) {
      add(controls, labelled('method', select(vm.methods.map(function (m) { return [m, m === 'tsne' ? 't-SNE' : m.toUpperCase()]; }),
        vm.method, function (m) {
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
        (t.rows || []).forEach(function (r) { if (r.id !== vm.run) { var o = el('option', null,
          r.name || r.id); o.value = r.id; side.appendChild(o); } });
      }, function () { /* no list: the select stays at none */ });
    }
    add(controls, legendHolder);
    add(body, el('p', 'muted', 'Drag to pan, wheel to zoom, shift-drag to select (a box or a lasso), click a point for its sample.'));
    mount(current);
  };
})(window.Loupe);
