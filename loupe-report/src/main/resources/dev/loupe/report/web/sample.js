/* Loupe: the sample view — one example of a run with its text, probabilities, metadata and, when stored, its
   explanations (docs/explain-json.md) as highlighted words. Any panel opens it:

     Loupe.openSample(runId, key[, { into: element, sample: row }])  ->  Promise

   key is the sample's row number in the run (or its example id). Without `into`, the view is a card at the top of the
   run's panels (created once per run), scrolled into view. `sample` is the row when the caller already has it (the
   samples table): it is drawn at once, and again when its explanation arrives. The dashboard reads
   /api/runs/{id}/panels/samples?key=K; the report reads the data embedded in the page (Loupe.runs, set by boot.js).
   Safety: every string from data goes in with textContent or setAttribute; never innerHTML. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt, sig = L.sig, table = L.table, kv = L.kv, select = L.select, labelled = L.labelled;
  L.runs = L.runs || {};

  /* Diverging scale: towards the explained class vermillion, away from it blue; opacity grows with |v| / max. */
  function colour(v, max) {
    if (!L.isNum(v) || !(max > 0)) { return 'transparent'; }
    var a = Math.min(1, Math.abs(v) / max) * 0.85;
    return v >= 0 ? 'rgba(213, 94, 0, ' + a.toFixed(3) + ')' : 'rgba(0, 114, 178, ' + a.toFixed(3) + ')';
  }
  function maxAbs(xs) { var m = 0; (xs || []).forEach(function (v) { if (L.isNum(v)) { m = Math.max(m, Math.abs(v)); } }); return m; }

  /* The text with each unit in a span coloured by its score; the value shows on hover (title). */
  function highlighted(text, units, scores, max) {
    var box = el('div', 'text highlighted');
    var at = 0;
    units.forEach(function (u, i) {
      if (u.start > at) { box.appendChild(el('span', null, text.slice(at, u.start))); }
      var s = el('span', 'unit', text.slice(u.start, u.end));
      s.style.background = colour(scores[i], max);
      s.setAttribute('title', u.text + ': ' + (L.isNum(scores[i]) ? (scores[i] >= 0 ? '+' : '') + sig(scores[i]) : '\u2014'));
      s.setAttribute('data-score', L.isNum(scores[i]) ? String(scores[i]) : '');
      box.appendChild(s);
      at = Math.max(at, u.end);
    });
    if (at < text.length) { box.appendChild(el('span', null, text.slice(at))); }
    return box;
  }

  function legend(max, target) {
    var lg = el('div', 'scale-legend');
    var bar = el('span', 'bar');
    bar.style.background = 'linear-gradient(to right, ' + colour(-max, max) + ', transparent, ' + colour(max, max) + ')';
    add(lg, el('span', 'muted', (max > 0 ? '-' + sig(max) : '0') + (target === null ? '' : ' lowers')), bar,
      el('span', 'muted', (target === null ? '' : 'raises ') + (max > 0 ? '+' + sig(max) : '0')),
      el('span', 'muted', target === null ? ' attention the first token pays each word (no class)'
        : ' the probability of \u2018' + target + '\u2019'));
    return lg;
  }

  function explanationView(parent, exp, side) {
    var methods = Object.keys(exp.methods || {});
    if (!methods.length) { add(parent, el('p', 'muted', 'No word attributions stored.')); return; }
    var state = { method: methods.indexOf('shap') >= 0 ? 'shap' : methods[0] };
    var controls = el('div', 'controls'), body = el('div'), top = el('div');
    add(controls, labelled('method', select(methods.map(function (m) { return [m, m]; }), state.method, function (v) { state.method = v; draw(); })));
    add(parent, controls, body);
    add(side, top);
    function draw() {
      body.textContent = ''; top.textContent = '';
      var m = exp.methods[state.method], scores = m.scores || [], max = maxAbs(scores);
      add(body, legend(max, state.method === 'attention' ? null : exp.target), highlighted(exp.text || '', exp.units || [], scores, max),
        el('p', 'muted', state.method + ': ' + (m.note || '') + ' \u00b7 f(text) ' + fmt(m.value) + ' \u00b7 ' +
          (state.method === 'lime' ? 'intercept ' : 'f(all words masked) ') + fmt(m.base_value)));
      var order = scores.map(function (v, i) { return i; }).filter(function (i) { return L.isNum(scores[i]); })
        .sort(function (a, b) { return Math.abs(scores[b]) - Math.abs(scores[a]); }).slice(0, 10);
      var t = table(['word', state.method], order.map(function (i) {
        return [exp.units[i].text, (scores[i] >= 0 ? '+' : '') + fmt(scores[i])]; }), [false, true]);
      t.className = 'top-words';
      add(top, el('h4', null, 'Strongest words'), t);
    }
    draw();
  }

  function render(box, sample, exp, key, runId) {
    box.textContent = '';
    var s = sample || {};
    var name = s.id || (s.row !== undefined && s.row !== null ? s.row : (exp && (exp.id || exp.row)) || key);
    var label = s.label !== undefined ? s.label : exp && exp.label, pred = s.pred !== undefined ? s.pred : exp && exp.predicted;
    add(box, el('h3', null, 'Sample ' + name));
    var main = el('div', 'sample-main'), side = el('div', 'sample-side');
    add(main, el('p', 'muted', 'true ' + (label === null || label === undefined ? '\u2014' : label) + ' \u00b7 predicted ' +
      (pred === null || pred === undefined ? '\u2014' : pred) + (exp ? ' \u00b7 explaining \u2018' + exp.target + '\u2019' : '')));
    if (exp) {
      explanationView(main, exp, side);
      if (exp.attention && L.attentionView) { // web/attention.js
        L.attentionView(main, exp.attention, runId && L.page.api ? function (layer, head) {
          return L.page.base + 'api/runs/' + encodeURIComponent(runId) + '/panels/samples?key=' + encodeURIComponent(exp.key || key) +
            '&layer=' + layer + '&head=' + head;
        } : null);
      }
    } else {
      var text = s.text === null || s.text === undefined ? '(no text stored)' : s.text;
      add(main, el('div', 'text', text), el('p', 'muted hint', 'No explanation stored for this sample: loupe explain RUN --examples ids:' +
        (s.row !== undefined ? s.row : key) + ' adds one.'));
    }
    var probs = s.probabilities || null;
    if (!probs && exp) { probs = {}; (exp.labels || []).forEach(function (c, i) { probs[c] = exp.probabilities[i]; }); }
    if (probs) { add(side, table(['class', 'probability'], Object.keys(probs).map(function (k) { return [k, fmt(probs[k])]; }), [false, true])); }
    if (Object.keys(s.metadata || {}).length) { add(side, kv(s.metadata)); }
    add(box, main, side);
  }

  /* The report: a sample and its explanation from the embedded panels. */
  function local(runId, key) {
    var run = L.runs[runId] || { panels: [] }, out = { sample: null, explanation: null };
    run.panels.forEach(function (p) {
      if (p.id === 'samples' && p.vm && p.vm.rows) {
        p.vm.rows.forEach(function (r) { if (String(r.row) === String(key) || (!out.sample && r.id === String(key))) { out.sample = r; } });
      }
      if (p.id === 'explain' && p.vm && p.vm.examples) {
        p.vm.examples.forEach(function (e) { if (String(e.key) === String(key)) { out.explanation = e; } });
      }
    });
    if (!out.sample && !out.explanation) { return Promise.reject(new Error('The page holds no sample ' + key + ' of run ' + runId + '.')); }
    return Promise.resolve(out);
  }

  /* The run's sample card at the top of its panels, made once. */
  function view(runId) {
    var id = 'sample-view-' + runId, card = document.getElementById(id);
    if (!card) {
      card = el('section', 'card wide sample-view');
      card.id = id;
      var close = el('button', 'close', '\u00d7 close');
      close.addEventListener('click', function () { if (card.parentNode) { card.parentNode.removeChild(card); } });
      add(card, add(el('div', 'sample-view-head'), el('h2', null, 'Sample'), close), el('div', 'sample-detail'));
      var section = document.getElementById('run-' + runId), grid = section && section.querySelector('.grid');
      var parent = grid || section || document.getElementById('loupe-root') || document.body;
      parent.insertBefore(card, parent.firstChild);
    }
    return card.querySelector('.sample-detail');
  }

  L.openSample = function (runId, key, opts) {
    opts = opts || {};
    var box = opts.into || view(runId);
    if (opts.sample) { render(box, opts.sample, null, key, runId); } else { box.textContent = ''; add(box, el('p', 'muted', 'Loading\u2026')); }
    if (!opts.into && box.scrollIntoView) { box.parentNode.scrollIntoView({ block: 'start' }); }
    var run = L.runs[runId];
    if (opts.sample && run && !run.panels.some(function (p) { return p.id === 'explain' && p.active; })) {
      return Promise.resolve({ sample: opts.sample, explanation: null }); // the run keeps no explanations: nothing to fetch
    }
    var p = L.page.api ? L.getJson(L.page.base + 'api/runs/' + encodeURIComponent(runId) + '/panels/samples?key=' + encodeURIComponent(key))
      : local(runId, key);
    return p.then(function (d) {
      if (d.explanation || !opts.sample) { render(box, opts.sample || d.sample, d.explanation, key, runId); }
      return d;
    }).catch(function (e) {
      if (window.console) { console.warn('sample view failed', e); }
      box.textContent = ''; add(box, el('div', 'warn', 'Could not show sample ' + key + ': ' + e.message));
    });
  };
})(window.Loupe);
