/** The built-in panels: each maps a stored run to one view model (see {@link dev.loupe.report.Panel}). */
package dev.loupe.report.panels;
