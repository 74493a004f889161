/**
 * Panels: pure functions from a stored run ({@link dev.loupe.report.RunData}) to JSON-ready view models (chart
 * specs and tables), the panel registry, and the one front end (web/core.js, one module per panel beside its class,
 * the page views, loupe.css, ECharts) that renders them in the self-contained HTML report and in the dashboard.
 * Nothing here computes a metric: it maps stored results. Undefined numbers are {@code null} in view models and "—" on screen.
 */
package dev.loupe.report;
