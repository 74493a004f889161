/* Loupe panel 'calibration': draws the view model of CalibrationPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, sig = L.sig, fmtCount = L.fmtCount, select = L.select, labelled = L.labelled,
    chart = L.chart, unitAxis = L.unitAxis;

  L.panels.calibration = function (body, vm) {
    var mode = 'uniform';
    var controls = el('div', 'controls'), stats = el('div', 'big'), holder = el('div');
    add(body, controls, stats, holder);
    function draw() {
      holder.textContent = '';
      var d = vm[mode];
      if (!d) { holder.textContent = 'No bins of this kind.'; return; }
      stats.textContent = 'ECE ' + fmt(d.ece) + '   MCE ' + fmt(d.mce);
      var rel = [], hist = [], relBins = [];
      d.bins.forEach(function (b) {
        if (isNum(b.confidence) && isNum(b.accuracy)) { rel.push([b.confidence, b.accuracy]); relBins.push(b); }
        hist.push([(b.lower + b.upper) / 2, b.weight]);
      });
      // a bin's tooltip: its range, how many examples (weighted) it holds, their mean confidence and accuracy
      function binText(b) {
        return 'bin ' + sig(b.lower) + '\u2013' + sig(b.upper) + '\nexamples: ' + fmtCount(b.weight)
          + '\nmean confidence: ' + sig(b.confidence) + '\naccuracy: ' + sig(b.accuracy);
      }
      chart(holder, {
        grid: [{ left: 72, right: 20, top: 36, height: '50%' }, { left: 72, right: 20, top: '70%', bottom: 40 }],
        tooltip: { trigger: 'item', renderMode: 'richText', formatter: function (p) {
          if (p.seriesIndex === 0) { return binText(relBins[p.dataIndex] || {}); }
          if (p.seriesIndex === 2) { return binText(d.bins[p.dataIndex] || {}); }
          return 'perfectly calibrated';
        } },
        xAxis: [unitAxis(''), { type: 'value', min: 0, max: 1, gridIndex: 1, name: 'confidence', nameLocation: 'middle', nameGap: 26 }],
        yAxis: [unitAxis('accuracy', true), { type: 'value', gridIndex: 1, name: 'examples', nameLocation: 'middle', nameGap: 58, splitNumber: 2 }],
        legend: L.topLegend(),
        series: [
          { name: 'model', type: 'line', data: rel, symbolSize: 6 },
          { name: 'perfectly calibrated', type: 'line', showSymbol: false, data: [[0, 0], [1, 1]], lineStyle: { type: 'dashed', color: '#999' },
            itemStyle: { color: '#999' } },
          { name: 'confidence histogram', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: hist, barWidth: '60%', itemStyle: { color: '#56B4E9' } }
        ]
      }, 'tall');
    }
    add(controls, labelled('bins', select([['uniform', 'equal width'], ['quantile', 'equal mass']], mode, function (v) { mode = v; draw(); })));
    draw();
  };
})(window.Loupe);
