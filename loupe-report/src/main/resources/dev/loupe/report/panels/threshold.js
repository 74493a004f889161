/* Loupe panel 'threshold': draws the view model of ThresholdPanel.java (beside this file). */
(function (L) {
  'use strict';
  var el = L.el, add = L.add, isNum = L.isNum, fmt = L.fmt, fmtCount = L.fmtCount, table = L.table, labelled = L.labelled, chart = L.chart,
    xy = L.xy, unitAxis = L.unitAxis;

  L.panels.threshold = function (body, vm) {
    var n = vm.thresholds.length;
    if (!n) { add(body, el('p', 'muted', 'The sweep is empty.')); return; }
    var slider = el('input'); slider.type = 'range'; slider.min = 0; slider.max = n - 1; slider.step = 1;
    var thr = el('span', 'big');
    var controls = add(el('div', 'controls'), labelled('threshold', slider), thr);
    var pos = vm.positive || 'positive', neg = vm.negative || 'not ' + pos;
    var start = isNum(vm.threshold) ? vm.threshold : 0.5;
    var used = el('button', null, 'the run\u2019s (' + L.sig(start) + ')');
    used.setAttribute('title', 'the threshold the overview\u2019s metrics use');
    var best = el('button', null, 'best F1 (' + L.sig(vm.bestF1.threshold) + ')');
    var youden = el('button', null, "Youden's J (" + L.sig(vm.youden.threshold) + ')');
    add(controls, used, best, youden);
    var stats = el('div');
    // the confusion matrix and the rates beside the chart: the card spans the row without a half-empty side
    var split = el('div', 'split'), side = el('div');
    add(body, controls, add(split, stats, side));
    var c = chart(side, {
      grid: { left: 58, right: 20, top: 36, bottom: 50 }, legend: L.topLegend(),
      tooltip: { trigger: 'axis', renderMode: 'richText', formatter: function (ps) {
        ps = ps.length ? ps : [ps];
        return 'threshold ' + L.sig(ps[0].value[0]) + ps.map(function (p) { return '\n' + p.seriesName + ': ' + L.sig(p.value[1]); }).join('');
      } },
      xAxis: unitAxis('threshold'), yAxis: unitAxis(''),
      series: ['precision', 'recall', 'f1', 'fpr'].map(function (k) { return { name: k, type: 'line', showSymbol: false,
        data: xy(vm.thresholds, vm[k]) }; })
    });
    /* The sweep's point that predicts as threshold t does (positive iff score >= t): the lowest threshold >= t. */
    function atOrAbove(t) {
      var bi = 0;
      for (var i = 0; i < n; i++) { if (vm.thresholds[i] >= t && vm.thresholds[i] <= vm.thresholds[bi]) { bi = i; } }
      return bi;
    }
    function nearest(t) {
      var bi = 0, bd = Infinity;
      for (var i = 0; i < n; i++) { var d = Math.abs(vm.thresholds[i] - t); if (d < bd) { bd = d; bi = i; } }
      return bi;
    }
    /* Shows the sweep's point i; t, when given, is the threshold the user chose that predicts as point i does (the run's
       own, say 0.5, rather than the score 0.642 the sweep reaches it at): the label and the solid line say t. */
    function show(i, t) {
      slider.value = i;
      var at = isNum(t) ? t : vm.thresholds[i];
      var tp = vm.tp[i], fp = vm.fp[i], fn = vm.positives - tp, tn = vm.negatives - fp;
      thr.textContent = pos + ' when score \u2265 ' + L.sig(at);
      stats.textContent = '';
      add(stats, table(['', 'predicted ' + pos, 'predicted ' + neg], [
        ['true ' + pos, fmtCount(tp), fmtCount(fn)],
        ['true ' + neg, fmtCount(fp), fmtCount(tn)]], [false, true, true]));
      var cards = el('div', 'cards');
      [['precision', vm.precision[i]], ['recall', vm.recall[i]], ['f1', vm.f1[i]], ['fpr', vm.fpr[i]]].forEach(function (m) {
        var card = add(el('div', 'metric'), el('div', 'name', m[0]), el('div', 'value', fmt(m[1])));
        card.setAttribute('data-metric', m[0]);
        add(cards, card);
      });
      add(stats, cards);
      // the chosen threshold (solid), and the best-F1 one (dashed, labelled) for reference
      var marks = [{ xAxis: at, lineStyle: { color: '#000', type: 'solid' }, label: { show: false } }];
      if (isNum(vm.bestF1.threshold)) {
        marks.push({ xAxis: vm.bestF1.threshold, lineStyle: { color: '#009E73', type: 'dashed' },
          label: { show: true, formatter: 'best F1', position: 'insideEndTop', color: '#00734d' } });
      }
      if (c) { c.setOption({ series: [{ markLine: { symbol: 'none', silent: true, data: marks } }] }); }
    }
    slider.addEventListener('input', function () { show(+slider.value); });
    best.addEventListener('click', function () { show(nearest(vm.bestF1.threshold)); });
    youden.addEventListener('click', function () { show(nearest(vm.youden.threshold)); });
    used.addEventListener('click', function () { show(atOrAbove(start), start); });
    show(atOrAbove(start), start);
  };
})(window.Loupe);
