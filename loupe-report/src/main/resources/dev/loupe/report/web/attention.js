/* Loupe: attention views of one sample (the "attention" part of docs/explain-json.md), drawn by the sample view
   (web/sample.js): Loupe.attentionView(parent, att).
   - a layer x head grid of thumbnails (each head's strongest links as dots, query down, key across; click to choose);
   - the head view: tokens twice, a line from each token to the tokens it attends to most (top-k links of the chosen
     layer and head, or of every head), drawn on a canvas in a scrolling box, hovering a token keeps only its lines;
   - the chosen head's whole map as a heatmap, read one map at a time from the dashboard's API (stored maps_artifact);
   - the rollout heatmap (Abnar & Zuidema), zoomable; hovering a cell names its query and key tokens.
   512 tokens stay usable: the links are top-k per query (at most 3 per head), the canvas is drawn once per choice and the
   heatmap is one canvas series. Tokens are drawn with fillText or ECharts text: never parsed as HTML. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, select = L.select, labelled = L.labelled;
  var ROW = 16;

  /* The links of a layer: {q, k, w} of one head, or of every head (weights averaged over the heads). */
  function links(att, layer, head, topk) {
    var out = [], heads = head === 'all' ? att.links[layer].map(function (x, i) { return i; }) : [+head];
    var sum = {};
    heads.forEach(function (h) {
      var flat = att.links[layer][h], per = flat.length / 3 / att.tokens.length; // links kept per query
      for (var i = 0; i < flat.length; i += 3) {
        if ((i / 3) % per >= topk) { continue; }
        var key = flat[i] + ':' + flat[i + 1];
        sum[key] = (sum[key] || 0) + flat[i + 2] / heads.length;
      }
    });
    Object.keys(sum).forEach(function (key) { var p = key.split(':'); out.push({ q: +p[0], k: +p[1], w: sum[key] }); });
    return out;
  }

  function headView(parent, att, state) {
    var box = el('div', 'head-view'), n = att.tokens.length;
    var canvas = el('canvas');
    var width = 520, height = n * ROW + 8;
    canvas.width = width; canvas.height = height;
    canvas.style.width = width + 'px'; canvas.style.height = height + 'px';
    canvas.setAttribute('data-tokens', String(n));
    add(parent, add(box, canvas));
    var hover = -1, current = [];
    function draw() {
      if (!canvas.getContext) { return; }
      var g = canvas.getContext('2d');
      g.clearRect(0, 0, width, height);
      g.font = '12px ui-monospace, Menlo, Consolas, monospace';
      g.textBaseline = 'middle';
      var left = 170, right = width - 170;
      current.forEach(function (l) {
        if (hover >= 0 && l.q !== hover) { return; }
        g.strokeStyle = 'rgba(0, 114, 178, ' + Math.min(1, 0.15 + l.w).toFixed(3) + ')';
        g.lineWidth = 0.5 + 2.5 * l.w;
        g.beginPath(); g.moveTo(left + 4, l.q * ROW + ROW / 2 + 4); g.lineTo(right - 4, l.k * ROW + ROW / 2 + 4); g.stroke();
      });
      for (var i = 0; i < n; i++) {
        var t = String(att.tokens[i]).slice(0, 20);
        g.fillStyle = i === hover ? '#D55E00' : '#1d2430';
        g.textAlign = 'right'; g.fillText(t, left, i * ROW + ROW / 2 + 4);
        g.textAlign = 'left'; g.fillText(t, right, i * ROW + ROW / 2 + 4);
      }
    }
    canvas.addEventListener('mousemove', function (e) {
      var r = canvas.getBoundingClientRect ? canvas.getBoundingClientRect() : { top: 0 };
      var q = Math.floor((e.clientY - r.top - 4) / ROW);
      if (q !== hover) { hover = q >= 0 && q < n ? q : -1; draw(); }
    });
    canvas.addEventListener('mouseleave', function () { hover = -1; draw(); });
    return function () {
      current = links(att, state.layer, state.head, state.topk);
      canvas.setAttribute('data-links', String(current.length));
      draw();
    };
  }

  function thumbnails(parent, att, state, choose) {
    var grid = el('div', 'attn-thumbs'), n = att.tokens.length, size = 56;
    grid.style.gridTemplateColumns = 'repeat(' + att.heads + ', ' + (size + 4) + 'px)';
    for (var l = 0; l < att.layers; l++) {
      for (var h = 0; h < att.heads; h++) {
        var c = el('canvas', 'thumb');
        c.width = size; c.height = size;
        c.setAttribute('title', 'layer ' + (l + 1) + ', head ' + (h + 1));
        c.setAttribute('data-layer', String(l)); c.setAttribute('data-head', String(h));
        if (c.getContext) {
          var g = c.getContext('2d'), flat = att.links[l][h];
          g.fillStyle = '#fafbfc'; g.fillRect(0, 0, size, size);
          for (var i = 0; i < flat.length; i += 3) {
            g.fillStyle = 'rgba(0, 114, 178, ' + Math.min(1, flat[i + 2] + 0.1).toFixed(3) + ')';
            g.fillRect(Math.floor(flat[i + 1] * size / n), Math.floor(flat[i] * size / n), Math.max(1, size / n), Math.max(1, size / n));
          }
        }
        (function (layer, head) { c.addEventListener('click', function () { choose(layer, head); }); })(l, h);
        grid.appendChild(c);
      }
    }
    add(parent, el('h4', null, 'Layers \u00d7 heads (rows: layers; click a head)'), grid);
  }

  /* A [query][key] matrix as a heatmap on a canvas (one pixel block per query-key pair: 512 x 512 draws at once),
     zoomable, scrolling; hovering names the pair and its value. Returns set(matrix) to draw another matrix. */
  function heatmap(parent, tokens, title, role) {
    var n = tokens.length, zoom = { v: Math.max(1, Math.floor(480 / n)), f: 1 }, matrix = null;
    var box = el('div', 'heatmap-box'), canvas = el('canvas'), info = el('p', 'muted', 'Hover a cell: query \u2192 key.');
    var controls = el('div', 'controls');
    add(controls, labelled('zoom', select([['1', '\u00d71'], ['2', '\u00d72'], ['4', '\u00d74'], ['8', '\u00d78']], '1', function (v) {
      zoom.f = +v; draw(); })));
    var heading = el('h4', null, title), part = el('div');
    add(parent, add(part, heading, controls, add(box, canvas), info));
    canvas.setAttribute('data-tokens', String(n));
    canvas.setAttribute('data-role', role);
    // token labels on the left and the top (fillText: never parsed as HTML) once a cell is tall enough to read one
    function draw() {
      var cell = zoom.v * zoom.f, margin = cell >= 8 ? 72 : 0, side = margin + n * cell;
      canvas.width = side; canvas.height = side;
      canvas.style.width = side + 'px'; canvas.style.height = side + 'px';
      canvas.cell = cell; canvas.margin = margin;
      if (!canvas.getContext || !matrix) { return; }
      var g = canvas.getContext('2d'), img = g.createImageData(n, n);
      for (var q = 0; q < n; q++) {
        for (var k = 0; k < n; k++) {
          var v = Math.max(0, Math.min(1, Math.sqrt(matrix[q][k]))), o = (q * n + k) * 4;
          img.data[o] = 255 - Math.round(255 * v); img.data[o + 1] = 255 - Math.round(141 * v); img.data[o + 2] = 255 - Math.round(77 * v);
          img.data[o + 3] = 255;
        }
      }
      var tmp = el('canvas'); tmp.width = n; tmp.height = n;
      tmp.getContext('2d').putImageData(img, 0, 0);
      g.imageSmoothingEnabled = false;
      g.drawImage(tmp, margin, margin, n * cell, n * cell);
      if (!margin) { return; }
      var font = Math.min(11, cell - 1);
      g.font = font + 'px ui-monospace, monospace'; g.fillStyle = '#1d2430'; g.textBaseline = 'middle';
      function label(t) { return t.length > 9 ? t.slice(0, 8) + '\u2026' : t; }
      g.textAlign = 'right';
      for (var i = 0; i < n; i++) { g.fillText(label(tokens[i]), margin - 4, margin + (i + 0.5) * cell); }
      g.save(); g.rotate(-Math.PI / 2); g.textAlign = 'left';
      for (var j = 0; j < n; j++) { g.fillText(label(tokens[j]), -margin + 4, margin + (j + 0.5) * cell); }
      g.restore();
    }
    canvas.addEventListener('mousemove', function (e) {
      var r = canvas.getBoundingClientRect(), m = canvas.margin;
      var q = Math.floor((e.clientY - r.top - m) / canvas.cell), k = Math.floor((e.clientX - r.left - m) / canvas.cell);
      if (matrix && q >= 0 && q < n && k >= 0 && k < n) {
        info.textContent = 'query ' + q + ' \u2018' + tokens[q] + '\u2019 \u2192 key ' + k + ' \u2018' + tokens[k] + '\u2019: ' +
          L.sig(matrix[q][k]);
      }
    });
    return function (m, t) {
      matrix = m;
      part.style.display = m ? '' : 'none';
      if (t) { heading.textContent = t; }
      canvas.setAttribute('data-drawn', m ? 'true' : 'false');
      draw();
    };
  }

  /* The chosen head's whole map, read from the dashboard's API (the stored maps_artifact, one map per request);
     a note instead where there is no API (the report) or no stored maps, or while every head is shown. */
  function fullMap(parent, att, mapUrl) {
    var set = mapUrl ? heatmap(parent, att.tokens, 'One head\u2019s whole map', 'head-map') : null, note = el('p', 'muted'), asked;
    add(parent, note);
    return function (state) {
      if (!set) {
        note.textContent = 'Each head\u2019s whole map is shown by the dashboard (loupe serve); here: its strongest links above and the rollout.';
        return;
      }
      if (state.head === 'all') { set(null); note.textContent = 'Choose a head (or click a thumbnail) to see its whole map.'; return; }
      var want = asked = state.layer + ':' + state.head;
      note.textContent = 'Loading layer ' + (state.layer + 1) + ', head ' + (+state.head + 1) + '\u2026';
      L.getJson(mapUrl(state.layer, +state.head)).then(function (d) {
        if (asked !== want) { return; } // another head was chosen meanwhile
        set(d.map, 'Layer ' + (d.layer + 1) + ', head ' + (d.head + 1) + ': the whole map (query down, key across)');
        note.textContent = 'Weights to 1/255, as stored. Each row sums to 1 over the keys.';
      }).catch(function (e) { note.textContent = 'Could not read the map: ' + e.message; });
    };
  }

  /* mapUrl(layer, head): where the dashboard serves one whole map of this sample, or null (the report). */
  L.attentionView = function (parent, att, mapUrl) {
    var state = { layer: att.layers - 1, head: 'all', topk: 2 };
    var wrap = el('div', 'attention-view');
    add(parent, el('h4', null, 'Attention: ' + att.layers + ' layers \u00d7 ' + att.heads + ' heads over ' + att.tokens.length + ' tokens'), wrap);
    var controls = el('div', 'controls');
    var layerSel = select(att.links.map(function (x, i) { return [String(i), 'layer ' + (i + 1)]; }), String(state.layer),
      function (v) { state.layer = +v; redraw(); });
    var headSel = select([['all', 'all heads']].concat(att.links[0].map(function (x, i) { return [String(i), 'head ' + (i + 1)]; })), 'all',
      function (v) { state.head = v; redraw(); });
    var kSel = select([['1', 'top 1'], ['2', 'top 2'], ['3', 'top 3']], '2', function (v) { state.topk = +v; redraw(); });
    add(controls, labelled('layer', layerSel), labelled('head', headSel), labelled('links per token', kSel));
    add(wrap, controls);
    var drawLinks = headView(wrap, att, state);
    thumbnails(wrap, att, state, function (l, h) {
      state.layer = l; state.head = String(h); layerSel.value = String(l); headSel.value = String(h); redraw();
    });
    var drawMap = att.maps_artifact ? fullMap(wrap, att, mapUrl) : function () {};
    heatmap(wrap, att.tokens, 'Attention rollout (query down, key across)', 'rollout')(att.rollout);
    function redraw() { drawLinks(); drawMap(state); }
    redraw();
  };
})(window.Loupe);
