/* Loupe page view: the runs table (view model: RunsTable.java). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, fmt = L.fmt;

  function runsTable(parent, vm, link, compareLink) {
    var filter = el('input'); filter.placeholder = 'filter runs'; filter.size = 30;
    var controls = add(el('div', 'controls'), filter);
    var picked = [];
    var cmp = el('button', null, 'compare selected');
    cmp.disabled = true;
    if (compareLink) {
      add(controls, cmp);
      cmp.addEventListener('click', function () { if (picked.length >= 2) { window.location.href = compareLink(picked); } });
    }
    add(parent, controls);
    var t = el('table'), head = el('tr');
    if (compareLink) { add(head, el('th', null, '')); }
    ['run', 'experiment', 'name', 'model', 'dataset', 'status', 'started'].concat(vm.metrics).forEach(function (h, i) { add(head, el('th', i >= 7 ? 'num' : '', h)); });
    add(t, add(el('thead'), head));
    var tb = el('tbody'), trs = [];
    vm.rows.forEach(function (r) {
      var tr = el('tr'), idCell = el('td'), a = el('a', null, r.id);
      a.setAttribute('href', link(r.id));
      add(idCell, a);
      if (compareLink) {
        var box = el('input'); box.type = 'checkbox';
        box.addEventListener('change', function () {
          var i = picked.indexOf(r.id);
          if (box.checked && i < 0) { picked.push(r.id); } else if (!box.checked && i >= 0) { picked.splice(i, 1); }
          cmp.disabled = picked.length < 2 || picked.length > 10;
        });
        add(tr, add(el('td'), box));
      }
      add(tr, idCell, el('td', null, r.experiment), el('td', null, r.name || '\u2014'), el('td', null, r.model || '\u2014'),
        el('td', null, r.dataset || '\u2014'), add(el('td'), el('span', 'pill ' + r.status, r.status)), el('td', null, r.started.replace('T', ' ').slice(0, 19)));
      vm.metrics.forEach(function (m) { add(tr, el('td', 'num', fmt(r.metrics[m]))); });
      tr.setAttribute('data-search', [r.id, r.experiment, r.name, r.model, r.dataset, r.status].join(' ').toLowerCase());
      trs.push(tr);
      add(tb, tr);
    });
    if (!vm.rows.length) { add(parent, el('p', 'muted', 'The store has no runs yet: try ./loupe demo or ./loupe evaluate.')); }
    filter.addEventListener('input', function () { var f = filter.value.toLowerCase(); trs.forEach(function (tr) { tr.style.display = tr.getAttribute('data-search').indexOf(f) >= 0 ? '' : 'none'; }); });
    add(parent, add(el('div', 'scroll'), add(t, tb)));
  }
  L.runsTable = runsTable;
})(window.Loupe);
