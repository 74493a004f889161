/* Loupe panel 'confusion': draws the view model of ConfusionPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, fmtCount = L.fmtCount, select = L.select, labelled = L.labelled, chart = L.chart;

  L.panels.confusion = function (body, vm, ctx) {
    var mode = 'counts';
    var controls = el('div', 'controls');
    var holder = el('div');
    var counts = vm.weighted ? 'weighted counts' : 'counts';
    add(body, controls, holder, el('p', 'muted', 'Rows: true class; columns: predicted class.'
      + (vm.weighted ? ' Cells are weighted counts: sums of the sample weights.' : '') +
        (ctx.hasSamples ? ' Click a cell to list its samples.' : '')));
    function draw() {
      holder.textContent = '';
      var m = mode === 'counts' ? vm.counts : vm.normalized[mode];
      var data = [], max = 0;
      for (var i = 0; i < vm.labels.length; i++) {
        for (var j = 0; j < vm.labels.length; j++) {
          var v = m[i][j];
          data.push([j, i, isNum(v) ? v : '-']);
          if (isNum(v) && v > max) { max = v; }
        }
      }
      var c = chart(holder, {
        tooltip: { renderMode: 'richText', formatter: function (p) { return 'true ' + vm.labels[p.value[1]] + ', predicted ' +
          vm.labels[p.value[0]] + ': ' + (mode === 'counts' ? fmtCount(p.value[2]) + (vm.weighted ? ' (weighted)' : '') : L.sig(p.value[2])); } },
        grid: { left: 110, right: 30, top: 36, bottom: 70 },
        xAxis: { type: 'category', data: vm.labels, name: 'predicted', nameLocation: 'middle', nameGap: 40, splitArea: { show: true } },
        yAxis: { type: 'category', data: vm.labels, name: 'true', inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max: max || 1, calculable: false, show: false, inRange: { color: ['#f7fbff', '#0072B2'] } },
        series: [{ type: 'heatmap', data: data, label: { show: vm.labels.length <= 12,
          formatter: function (p) { return mode === 'counts' ? fmtCount(p.value[2]) : fmt(p.value[2], 3); } } }]
      }, vm.labels.length > 6 ? 'tall' : '');
      if (c && ctx.hasSamples) {
        c.on('click', function (p) { if (ctx.samples) { ctx.samples({ label: vm.labels[p.value[1]], pred: vm.labels[p.value[0]] }); } });
      }
    }
    add(controls, labelled('show', select([['counts', counts], ['true', 'normalised by true class'], ['pred', 'normalised by predicted class'],
      ['all', 'normalised by all']], mode, function (v) { mode = v; draw(); })));
    draw();
  };
})(window.Loupe);
