/* Loupe panel 'roc': draws the view model of CurvePanel.java (beside this file). */
(function (L) {
  'use strict';
  L.panels.roc = L.lineCurves;
})(window.Loupe);
