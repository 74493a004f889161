/* Loupe page view: the runs table (view model: RunsTable.java). Columns sort on a click of their heading; the filter
   takes words (matched anywhere in a row) and expressions: `accuracy>0.94`, `log_loss<=0.3`, `model~minilm` (contains),
   `status=finished`, `name!=baseline`. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt, isNum = L.isNum;
  var FIELDS = ['id', 'name', 'experiment', 'model', 'dataset', 'status', 'started'];
  var EXPR = /^([A-Za-z_][\w.\/\[\]=-]*?)(>=|<=|!=|>|<|=|~)(.+)$/;

  /** A filter from the box's text: a function of a row, or {error} naming what is wrong. */
  function parseFilter(text, metrics) {
    var tests = [];
    var words = text.trim().split(/\s+/).filter(function (w) { return w; });
    for (var i = 0; i < words.length; i++) {
      var m = EXPR.exec(words[i]);
      if (!m) { tests.push(substring(words[i].toLowerCase())); continue; }
      var key = m[1], op = m[2], want = m[3];
      var isMetric = metrics.indexOf(key) >= 0;
      if (!isMetric && FIELDS.indexOf(key) < 0) {
        return { error: 'Unknown column \u2018' + key + '\u2019 in \u2018' + words[i] + '\u2019: use one of ' + FIELDS.concat(metrics).join(', ') +
          '.' };
      }
      if (isMetric && op !== '~' && !isFinite(parseFloat(want))) {
        return { error: '\u2018' + words[i] + '\u2019 compares ' + key + ' with \u2018' + want + '\u2019, which is not a number.' };
      }
      tests.push(compare(key, op, want, isMetric));
    }
    return { test: function (r) { return tests.every(function (t) { return t(r); }); } };
  }
  function substring(w) {
    return function (r) { return FIELDS.some(function (f) { return String(r[f] || '').toLowerCase().indexOf(w) >= 0; }); };
  }
  function compare(key, op, want, isMetric) {
    return function (r) {
      var v = isMetric ? r.metrics[key] : r[key];
      if (op === '~') { return String(v === null || v === undefined ? '' : v).toLowerCase().indexOf(want.toLowerCase()) >= 0; }
      if (isMetric) {
        if (!isNum(v)) { return op === '!='; }
        var w = parseFloat(want);
        return op === '>' ? v > w : op === '<' ? v < w : op === '>=' ? v >= w : op === '<=' ? v <= w : op === '=' ? v === w : v !== w;
      }
      var s = String(v === null || v === undefined ? '' : v).toLowerCase(), t = want.toLowerCase();
      return op === '=' ? s === t : op === '!=' ? s !== t : op === '>' ? s > t : op === '<' ? s < t : op === '>=' ? s >= t : s <= t;
    };
  }

  function titled(td, title) { td.setAttribute('title', title); return td; }
  function cut(text) { return titled(el('td', 'nowrap cut', text), text); }

  function runsTable(parent, vm, link, compareLink) {
    var filter = el('input'); filter.placeholder = 'filter: words, accuracy>0.94, model~minilm'; filter.size = 40;
    filter.setAttribute('data-role', 'filter');
    var controls = add(el('div', 'controls'), filter);
    var problem = el('div', 'warn');
    problem.style.display = 'none';
    var picked = [];
    var cmp = el('button', null, 'compare selected');
    cmp.disabled = true;
    if (compareLink) {
      add(controls, cmp);
      cmp.addEventListener('click', function () { if (picked.length >= 2) { window.location.href = compareLink(picked); } });
    }
    add(parent, controls, problem);
    // ?compare=<id> (a run page's "compare with other runs") starts with that run picked
    var preset = null;
    try { preset = new URLSearchParams(window.location.search).get('compare'); } catch (e) { preset = null; }
    var cols = FIELDS.filter(function (f) { return f !== 'id'; });
    var t = el('table', 'runs'), head = el('tr'), tb = el('tbody');
    var sortKey = 'started', sortDir = -1;
    if (compareLink) { add(head, el('th', null, '')); }
    var heads = [], cells = {}; // metric -> its heading and cells (folded together)
    ['id'].concat(cols, vm.metrics).forEach(function (h, i) {
      var th = el('th', 'sortable nowrap' + (i > cols.length ? ' num' : ''), h === 'id' ? 'run' : h);
      th.setAttribute('data-key', h);
      if (i > cols.length) { th.setAttribute('data-col', h); cells[h] = [th]; }
      th.setAttribute('title', 'sort by ' + h);
      th.addEventListener('click', function () { sortDir = sortKey === h ? -sortDir : (i > cols.length ? -1 : 1); sortKey = h; draw(); });
      heads.push(th);
      add(head, th);
    });
    add(t, add(el('thead'), head), tb);
    var rows = vm.rows.map(function (r) {
      var tr = el('tr'), a = el('a', null, r.id);
      tr.setAttribute('data-run', r.id);
      a.setAttribute('href', link(r.id));
      if (compareLink) {
        var box = el('input'); box.type = 'checkbox';
        function sync() {
          var i = picked.indexOf(r.id);
          if (box.checked && i < 0) { picked.push(r.id); } else if (!box.checked && i >= 0) { picked.splice(i, 1); }
          cmp.disabled = picked.length < 2 || picked.length > 10;
        }
        box.addEventListener('change', sync);
        if (preset && preset === r.id) { box.checked = true; sync(); }
        add(tr, add(el('td'), box));
      }
      var ds = cut(r.dataset || '\u2014');
      if (r.datasetHash) { ds.setAttribute('title', (r.dataset ? r.dataset + '\n' : '') + r.datasetHash); }
      // long names and experiments are cut with an ellipsis (whole on hover); the start to the minute (to the second on hover)
      var started = r.started.replace('T', ' ').slice(0, 19);
      add(tr, add(el('td', 'nowrap id'), a), cut(r.name || '\u2014'), cut(r.experiment), cut(r.model || '\u2014'),
        ds, add(el('td'), el('span', 'pill ' + r.status, r.status)), titled(el('td', 'nowrap', started.slice(0, 16)), started));
      vm.metrics.forEach(function (m) { var td = el('td', 'num', fmt(r.metrics[m])); cells[m].push(td); add(tr, td); });
      return { r: r, tr: tr };
    });
    function value(r, key) { return vm.metrics.indexOf(key) >= 0 ? r.metrics[key] : r[key]; }
    function draw() {
      var f = parseFilter(filter.value, vm.metrics);
      problem.style.display = f.error ? '' : 'none';
      problem.textContent = f.error || '';
      rows.sort(function (a, b) {
        var x = value(a.r, sortKey), y = value(b.r, sortKey);
        var nx = x === null || x === undefined, ny = y === null || y === undefined;
        if (nx || ny) { return nx === ny ? 0 : nx ? 1 : -1; } // no value: last, either way
        return sortDir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
      });
      tb.textContent = '';
      var shown = 0;
      rows.forEach(function (row) {
        var keep = f.error ? true : f.test(row.r);
        row.tr.style.display = keep ? '' : 'none';
        shown += keep ? 1 : 0;
        add(tb, row.tr);
      });
      heads.forEach(function (th) {
        var k = th.getAttribute('data-key');
        th.setAttribute('aria-sort', k === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
        th.textContent = (k === 'id' ? 'run' : k) + (k === sortKey ? (sortDir > 0 ? ' \u25b2' : ' \u25bc') : '');
      });
      t.setAttribute('data-shown', String(shown));
    }
    if (!vm.rows.length) { add(parent, el('p', 'muted', 'The store has no runs yet: try ./loupe demo or ./loupe evaluate.')); }
    filter.addEventListener('input', draw);
    draw();
    var box = add(el('div', 'scroll'), t);
    add(parent, box);
    fitColumns(controls, box, t, vm.metrics, cells);
  }

  /* Metric columns that do not fit the page's width (long names, a narrow window) fold, last first, into a
     "columns" menu instead of being cut off at the right; the menu shows each one again on demand (the table then
     scrolls inside its box). The first metric always stays. Refitted when the window changes size. */
  function fitColumns(controls, box, table, metrics, cells) {
    if (metrics.length < 2) { return; }
    var chosen = {}; // metric -> true (the user asked to see it) | false (asked to hide it)
    var menu = el('details', 'columns'), summary = el('summary'), list = el('div', 'menu');
    menu.setAttribute('data-role', 'columns');
    add(controls, add(menu, summary, list));
    var boxes = {};
    metrics.forEach(function (m, i) {
      var label = el('label', 'nowrap'), cb = el('input');
      cb.type = 'checkbox';
      cb.setAttribute('data-col', m);
      cb.disabled = i === 0;
      cb.addEventListener('change', function () { chosen[m] = cb.checked; fit(); });
      boxes[m] = cb;
      add(list, add(label, cb, el('span', null, ' ' + m)));
    });
    function show(m, on) {
      cells[m].forEach(function (c) { c.style.display = on ? '' : 'none'; });
      boxes[m].checked = on;
    }
    function fit() {
      metrics.forEach(function (m) { show(m, chosen[m] !== false); });
      var folded = 0;
      for (var i = metrics.length - 1; i > 0 && box.scrollWidth > box.clientWidth; i--) {
        if (chosen[metrics[i]] === undefined) { show(metrics[i], false); folded++; }
      }
      var hidden = metrics.filter(function (m) { return !boxes[m].checked; }).length;
      summary.textContent = hidden ? 'columns: ' + hidden + ' hidden' : 'columns';
      table.setAttribute('data-folded', String(folded));
    }
    var pending = null;
    window.addEventListener('resize', function () { clearTimeout(pending); pending = setTimeout(fit, 100); });
    fit();
  }
  L.runsTable = runsTable;
  L.parseRunFilter = parseFilter;
})(window.Loupe);
