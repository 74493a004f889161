/* Loupe panel 'scores': draws the view model of ScoresPanel.java (beside this file): per score, a histogram for each
   true class, over a value axis from the first to the last bin edge (bars at bin centres). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, sig = L.sig, fmtCount = L.fmtCount, chart = L.chart;

  L.panels.scores = function (body, vm) {
    var mids = [];
    for (var j = 0; j < vm.nBins; j++) { mids.push((vm.edges[j] + vm.edges[j + 1]) / 2); }
    // several scores (multi-class): the card spans the row and the histograms sit side by side, no half-empty row
    var holder = body;
    if (vm.charts.length > 1) {
      if (body.parentNode && body.parentNode.className !== undefined) { body.parentNode.className += ' wide'; }
      // one legend for all (the true classes, in the same order in each): a scrolling legend per narrow chart overlapped its pager
      holder = el('div', 'minis');
      add(body, L.htmlLegend(vm.charts[0].series.map(function (s) { return s.name; })), holder);
    }
    vm.charts.forEach(function (c) {
      var cell = body;
      if (holder !== body) { cell = el('div', 'mini'); add(holder, cell); }
      add(cell, el('h2', null, c.score + ' by true class'));
      chart(cell, {
        grid: { left: 64, right: 20, top: 36, bottom: 50 }, legend: holder === body ? L.topLegend() : { show: false },
        tooltip: { trigger: 'item', renderMode: 'richText', formatter: function (p) {
          return p.seriesName + ', ' + c.score + ' ' + sig(vm.edges[p.dataIndex]) + '\u2013' + sig(vm.edges[p.dataIndex + 1]) + ': ' +
            fmtCount(p.value[1]);
        } },
        xAxis: { type: 'value', min: vm.edges[0], max: vm.edges[vm.nBins], name: c.score, nameLocation: 'middle', nameGap: 28 },
        yAxis: { type: 'value', name: 'examples', nameLocation: 'middle', nameGap: 50 },
        series: c.series.map(function (s) {
          return { name: s.name, type: 'bar', data: s.counts.map(function (n, i) { return [mids[i], n]; }), barWidth: '90%', barGap: '-100%',
            itemStyle: { opacity: 0.65 } };
        })
      });
    });
  };
})(window.Loupe);
