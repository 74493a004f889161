package dev.loupe.report;

import java.util.Map;

/**
 * One view of a run: an id (also the name of its front-end module, {@link #script()}, and the dashboard route), a title, when it applies
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

    /**
     * The class-path resource of this panel's front-end module, kept beside the panel's class (TensorBoard keeps a
     * plugin's front end beside its route): {@code <package>/<id>.js}. The module registers
     * {@code Loupe.panels[id] = function (body, vm, ctx)}; a panel without one is shown as its view model's JSON.
     */
    default String script() {
        return getClass().getPackageName().replace('.', '/') + "/" + id() + ".js";
    }

    /** The view model for a request with parameters (paging, filters); by default the same as {@link #viewModel}. */
    default Object viewModel(RunData run, Map<String, String> query) {
        return viewModel(run);
    }
}
