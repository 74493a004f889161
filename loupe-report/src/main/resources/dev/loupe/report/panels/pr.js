/* Loupe panel 'pr': draws the view model of CurvePanel.java (beside this file). */
(function (L) {
  'use strict';
  L.panels.pr = L.lineCurves;
})(window.Loupe);
