package dev.loupe.report;

import java.util.Map;

/**
 * One view of a run: an id (also the front end's renderer name and the dashboard route), a title, when it applies
 * and its view model (JSON-ready records, maps and lists). Panels are stateless.
 */
public interface Panel {
    String id();

    String title();

    /** Whether the run holds what this panel shows. */
    boolean isActive(RunData run);

    /** The message shown instead of the panel when it is not active. */
    default String emptyMessage() {
        return "This run has nothing to show here.";
    }

    /** The view model of a run. */
    Object viewModel(RunData run);

    /**
     * Whether the dashboard sends the page without this panel's view model and the front end fetches it from
     * {@code /api/runs/{id}/panels/{panel}} after the first charts are drawn (panels over every stored example,
     * whose first view of a large run reads and parses all of them). The report always inlines it.
     */
    default boolean deferred() {
        return false;
    }

    /** The view model for a request with parameters (paging, filters); by default the same as {@link #viewModel}. */
    default Object viewModel(RunData run, Map<String, String> query) {
        return viewModel(run);
    }
}
