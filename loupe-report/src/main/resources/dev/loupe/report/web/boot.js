/* Loupe: draws the page (runs table, comparison, each run's panels) from the data in #loupe-data. Loaded last. */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, link = L.link, getJson = L.getJson;


  function renderRun(parent, run, api, multi) {
    var nav = el('nav', 'crumbs');
    if (L.page.api) {
      add(nav, link('\u2190 all runs', L.page.base), el('span', 'muted', ' \u00b7 '),
        link('compare with other runs', L.page.base + '?compare=' + encodeURIComponent(run.info.id)));
    } else if (multi) {
      add(nav, link('\u2191 runs and comparison', '#'));
    }
    add(parent, nav, el('h1', null, (run.info.name || run.info.id)),
      el('p', 'muted', 'run ' + run.info.id + ' \u00b7 ' + run.info.experiment + ' \u00b7 ' + run.info.status));
    var grid = el('div', 'grid');
    // panels with nothing to show for this run: small cards after the charts, so that no chart sits beside an empty card
    var empties = el('div', 'empties');
    add(parent, grid, empties);
    // the confusion matrix hands cell clicks to the samples panel, which may arrive later (deferred)
    L.runs[run.info.id] = run; // the sample view (web/sample.js) reads a report's embedded panels from here
    var ctx = { api: api, runId: run.info.id, hasSamples: run.panels.some(function (p) { return p.id === 'samples' && p.active; }) };
    var pending = [];
    run.panels.forEach(function (p) {
      var card = el('section', 'card');
      // a report of several runs shows each panel once per run: element ids stay unique
      card.id = (multi ? 'run-' + run.info.id + '-' : '') + 'panel-' + p.id;
      card.setAttribute('data-panel', p.id);
      add(card, el('h2', null, p.title));
      var wide = ['overview', 'samples', 'explain', 'slices', 'fairness', 'curves', 'threshold', 'efficiency', 'projector'];
      if (wide.indexOf(p.id) >= 0) { card.className += ' wide'; }
      if (!p.active) { card.className += ' empty'; add(empties, add(card, el('p', null, p.empty))); return; }
      add(grid, card);
      var body = el('div');
      add(card, body);
      var r = L.panels[p.id];
      if (!r) { add(body, el('pre', 'text', JSON.stringify(p.vm, null, 2))); return; }
      function draw(vm) {
        try { r(body, vm, ctx); } catch (e) { if (window.console) { console.warn('panel failed', e); } }
      }
      if (p.deferred && api) {
        add(body, el('p', 'muted', 'Loading\u2026'));
        pending.push(getJson(api + '/panels/' + encodeURIComponent(p.id)).then(function (vm) { body.textContent = ''; draw(vm); },
          function (e) { body.textContent = ''; add(body, el('div', 'warn', 'Could not load this panel: ' + e.message)); }));
      } else {
        draw(p.vm);
      }
    });
    return pending;
  }

  function boot() {
    var node = document.getElementById('loupe-data');
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    L.page = { api: !!data.api, base: data.base || '' };
    var root = document.getElementById('loupe-root');
    if (data.runsTable) {
      root.className += ' full';
      add(root, el('h1', null, 'Runs'));
      L.runsTable(root, data.runsTable, L.runHref,
        data.api ? function (ids) { return data.base + 'compare?runs=' + ids.map(encodeURIComponent).join(','); } : null);
    }
    var pending = [];
    if (data.compare) {
      var cmp = el('section'); cmp.id = 'compare'; add(root, cmp);
      var paired = L.renderCompare(cmp, data.compare);
      if (paired) { pending.push(paired); }
    }
    (data.runs || []).forEach(function (run) {
      var section = el('section');
      section.id = 'run-' + run.info.id;
      add(root, section);
      pending = pending.concat(renderRun(section, run, data.api ? data.base + 'api/runs/' + encodeURIComponent(run.info.id) : null,
        data.runs.length > 1));
    });
    function ready() { document.body.setAttribute('data-loupe-ready', 'true'); }
    if (pending.length) { Promise.all(pending).then(ready); } else { ready(); }
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', boot); } else { boot(); }
})(window.Loupe);
