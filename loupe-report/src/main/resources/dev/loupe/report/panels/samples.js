/* Loupe panel 'samples': draws the view model of SamplesPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, table = L.table, kv = L.kv, select = L.select, labelled = L.labelled, getJson = L.getJson;

  /* Samples: server-side paging (dashboard) or the embedded selection (report, vm.local). */
  L.panels.samples = function (body, vm, ctx) {
    var q = { page: 0, size: 25, sort: '-loss', label: '', pred: '', correct: '', minConf: '', maxConf: '', meta: '', q: '' };
    var classes = [['', 'any']].concat(vm.classes.map(function (c) { return [c, c]; }));
    var controls = el('div', 'controls');
    var tbl = el('div'), pager = el('div', 'controls');
    var open = null; // the detail row shown under the clicked sample, if any
    pager.setAttribute('data-role', 'pager');
    function text(key, ph) { var i = el('input'); i.placeholder = ph; i.size = 10; i.addEventListener('change',
      function () { q[key] = i.value; q.page = 0; load(); }); return i; }
    var labelSel = select(classes, '', function (v) { q.label = v; q.page = 0; load(); });
    var predSel = select(classes, '', function (v) { q.pred = v; q.page = 0; load(); });
    add(controls, labelled('true', labelSel), labelled('predicted', predSel),
      labelled('', select([['', 'all'], ['false', 'wrong'], ['true', 'correct']], '', function (v) { q.correct = v; q.page = 0; load(); })),
      labelled('confidence \u2265', text('minConf', '0')), labelled('\u2264', text('maxConf', '1')),
      labelled('metadata', text('meta', 'column=value')), labelled('search', text('q', 'text')),
      labelled('sort', select([['-loss', 'loss, highest first'], ['loss', 'loss, lowest first'], ['-confidence', 'confidence, highest first'],
        ['confidence', 'confidence, lowest first'], ['row', 'row']], q.sort, function (v) { q.sort = v; load(); })));
    add(body, controls);
    if (vm.note) { add(body, el('p', 'muted', vm.note)); }
    add(body, tbl, pager);
    var shown = []; // the rows of the page on screen and their table rows
    /* A confusion-matrix cell: its samples listed, the first one opened. */
    ctx.samples = function (f) {
      q.label = f.label; q.pred = f.pred; labelSel.value = f.label; predSel.value = f.pred; q.page = 0;
      return load().then(function () {
        if (shown.length) { showDetail(shown[0].s, shown[0].tr); } else { body.scrollIntoView(); }
      }); };

    function localPage() {
      var lower = function (s) { return (s || '').toLowerCase(); };
      var rows = vm.rows.filter(function (s) {
        if (q.label && s.label !== q.label) { return false; }
        if (q.pred && s.pred !== q.pred) { return false; }
        if (q.correct && String(s.correct) !== q.correct) { return false; }
        if (q.minConf !== '' && !(isNum(s.confidence) && s.confidence >= +q.minConf)) { return false; }
        if (q.maxConf !== '' && !(isNum(s.confidence) && s.confidence <= +q.maxConf)) { return false; }
        if (q.meta) { var eq = q.meta.indexOf('='); if (eq < 1 ||
          String(s.metadata[q.meta.slice(0, eq)]) !== q.meta.slice(eq + 1)) { return false; } }
        if (q.q && lower(s.text).indexOf(lower(q.q)) < 0 && lower(s.id).indexOf(lower(q.q)) < 0) { return false; }
        return true;
      });
      var key = q.sort.replace('-', ''), dir = q.sort.charAt(0) === '-' ? -1 : 1;
      rows.sort(function (a, b) { var x = a[key], y = b[key]; x = isNum(x) ? x : -Infinity; y = isNum(y) ? y : -Infinity; return dir * (x - y); });
      return { rows: rows.slice(q.page * q.size, (q.page + 1) * q.size), matched: rows.length, total: vm.total, page: q.page,
        pages: Math.ceil(rows.length / q.size) };
    }
    function load() {
      if (vm.local || !ctx.api) { show(localPage()); return Promise.resolve(); }
      var params = new URLSearchParams();
      Object.keys(q).forEach(function (k) { if (q[k] !== '') { params.set(k, q[k]); } });
      return getJson(ctx.api + '/panels/samples?' + params.toString())
        .then(show, function (e) { tbl.textContent = ''; add(tbl, el('div', 'warn', String(e.message))); });
    }
    function show(page) {
      tbl.textContent = ''; pager.textContent = ''; shown = []; open = null;
      if (!page.rows.length) { add(tbl, el('p', 'muted', 'No samples match these filters.')); }
      else {
        var t = el('table'), head = el('tr');
        ['row', 'true', 'predicted', 'confidence', 'loss', 'text'].forEach(function (h,
          i) { add(head, el('th', i >= 3 && i <= 4 ? 'num' : '', h)); });
        add(t, add(el('thead'), head));
        var tb = el('tbody');
        page.rows.forEach(function (s) {
          var tr = el('tr', 'clickable' + (s.correct === false ? ' wrong' : ''));
          add(tr, el('td', 'nowrap id', s.id || s.row), el('td', null, s.label === null ? '\u2014' : s.label),
            el('td', null, s.pred === null ? '\u2014' : s.pred),
            el('td', 'num', fmt(s.confidence)), el('td', 'num', fmt(s.loss)), el('td', 'snippet', (s.text || '').slice(0, 200)));
          tr.addEventListener('click', function () { showDetail(s, tr); });
          shown.push({ s: s, tr: tr });
          add(tb, tr);
        });
        add(tbl, add(t, tb));
      }
      var prev = el('button', null, '\u2190 previous'), next = el('button', null, 'next \u2192');
      prev.disabled = page.page <= 0; next.disabled = page.page + 1 >= page.pages;
      prev.addEventListener('click', function () { q.page--; load(); });
      next.addEventListener('click', function () { q.page++; load(); });
      add(pager, prev, el('span', 'muted', 'page ' + (page.pages ? page.page + 1 : 0) + ' of ' + page.pages + ' \u00b7 ' + page.matched +
        ' matching of ' + page.total), next);
    }
    /* A sample's detail opens where the user looks: in a row right under the clicked one (a second click closes it),
       scrolled into view. */
    function showDetail(s, tr) {
      var was = open;
      if (open && open.parentNode) { open.parentNode.removeChild(open); }
      open = null;
      if (was && was.sample === s) { return; }
      var row = el('tr', 'detail'), cell = el('td'), box = el('div', 'sample-detail');
      cell.setAttribute('colspan', '6');
      row.sample = s;
      add(row, add(cell, box));
      L.openSample(ctx.runId, s.row, { into: box, sample: s }); // the shared sample view (web/sample.js)
      if (tr.parentNode) { tr.parentNode.insertBefore(row, tr.nextSibling); }
      open = row;
      if (row.scrollIntoView) { row.scrollIntoView({ block: 'nearest' }); }
    }
    if (vm.local) { load(); } else { show(vm); }
  };
})(window.Loupe);
