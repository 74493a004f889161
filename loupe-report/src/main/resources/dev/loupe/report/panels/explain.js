/* Loupe panel 'explain': draws the view model of ExplanationsPanel.java — the examples explained by
   'loupe explain RUN --examples ...', each opening the sample view (Loupe.openSample, web/sample.js) below the list,
   and the faithfulness of each method when it was measured. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt, table = L.table;

  function faithfulness(body, f) {
    if (!f || !f.methods) { return; }
    var rows = [], names = Object.keys(f.methods);
    names.forEach(function (m) {
      var r = f.methods[m];
      function cell(x) { return x ? fmt(x.value, 3) + (L.isNum(x.ciLow) ? ' [' + fmt(x.ciLow, 3) + ', ' + fmt(x.ciHigh, 3) + ']' : '') : '\u2014'; }
      rows.push([m, cell(r.comprehensiveness), cell(r.sufficiency), cell(r.aopc), cell(r.aopc_random)]);
    });
    add(body, el('h3', null, 'Faithfulness over ' + f.examples + ' examples'),
      table(['method', 'comprehensiveness \u2191', 'sufficiency \u2193', 'AOPC (deletion) \u2191', 'AOPC, random order'], rows,
        [false, true, true, true, true]),
      el('p', 'muted', f.note || ''));
  }

  L.panels.explain = function (body, vm, ctx) {
    var model = vm.model || {};
    add(body, el('p', 'muted', vm.total + ' explained example' + (vm.total === 1 ? '' : 's') + ' \u00b7 model ' + (model.name || '\u2014') +
      (vm.examples.length < vm.total ? ' \u00b7 the first ' + vm.examples.length + ' listed' : '') + '. Click one to see its words.'));
    faithfulness(body, vm.faithfulness);
    var t = el('table'), head = el('tr');
    ['row', 'true', 'predicted', 'explained', 'methods', 'text'].forEach(function (h) { add(head, el('th', null, h)); });
    add(t, add(el('thead'), head));
    var tb = el('tbody'), view = el('div', 'sample-detail explain-view');
    vm.examples.forEach(function (e) {
      var tr = el('tr', 'clickable' + (e.label && e.predicted && e.label !== e.predicted ? ' wrong' : ''));
      add(tr, el('td', 'nowrap id', e.id || e.key), el('td', null, e.label === null ? '\u2014' : e.label), el('td', null, e.predicted),
        el('td', null, e.target), el('td', null, Object.keys(e.methods || {}).join(', ')), el('td', 'snippet', (e.text || '').slice(0, 200)));
      tr.addEventListener('click', function () {
        L.openSample(ctx.runId, e.key, { into: view }).then(function () { if (view.scrollIntoView) { view.scrollIntoView({ block: 'nearest' }); } });
      });
      add(tb, tr);
    });
    add(body, add(t, tb), view);
  };
})(window.Loupe);
