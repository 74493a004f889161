package dev.loupe.report;

import dev.loupe.api.NotFoundException;
import dev.loupe.report.panels.CalibrationPanel;
import dev.loupe.report.panels.ConfusionPanel;
import dev.loupe.report.panels.CurvePanel;
import dev.loupe.report.panels.DetPanel;
import dev.loupe.report.panels.EfficiencyPanel;
import dev.loupe.report.panels.ExplanationsPanel;
import dev.loupe.report.panels.OverviewPanel;
import dev.loupe.report.panels.ProjectorPanel;
import dev.loupe.report.panels.SamplesPanel;
import dev.loupe.report.panels.ScoresPanel;
import dev.loupe.report.panels.FairnessPanel;
import dev.loupe.report.panels.GeneralizationPanel;
import dev.loupe.report.panels.RobustnessPanel;
import dev.loupe.report.panels.SlicesPanel;
import dev.loupe.report.panels.ThresholdPanel;
import dev.loupe.report.panels.TrainingCurvesPanel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The panels, in display order: the built-in ones, then any found with {@link ServiceLoader}. The dashboard and the
 * report both iterate over this list, so they show the same views.
 */
public final class PanelRegistry {
    private final List<Panel> panels;

    public PanelRegistry(List<Panel> panels) {
        this.panels = List.copyOf(panels);
    }

    public static PanelRegistry standard() {
        List<Panel> p = new ArrayList<>(List.of(new OverviewPanel(), new ConfusionPanel(), CurvePanel.roc(),
                CurvePanel.pr(), new DetPanel(), new CalibrationPanel(), new ScoresPanel(), new ThresholdPanel(),
                new TrainingCurvesPanel(), new SlicesPanel(), new FairnessPanel(), new GeneralizationPanel(), new RobustnessPanel(),
                new EfficiencyPanel(), new SamplesPanel(),
                new ExplanationsPanel()));
        p.add(new ProjectorPanel());
        ServiceLoader.load(Panel.class).forEach(p::add);
        return new PanelRegistry(p);
    }

    public List<Panel> panels() {
        return panels;
    }

    public Panel panel(String id) {
        for (Panel p : panels) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new NotFoundException("PANEL_NOT_FOUND", "No panel '" + id + "'; panels: "
                + panels.stream().map(Panel::id).toList() + ".");
    }

    /** Every panel of a run for a page: id, title, whether active, its empty message or its view model. */
    public List<Map<String, Object>> render(RunData run, boolean forReport) {
        return render(run, forReport, 50, 50);
    }

    /** As {@link #render(RunData, boolean)}; a report keeps the {@code errors} most confident errors and {@code random} other rows. */
    public List<Map<String, Object>> render(RunData run, boolean forReport, int errors, int random) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Panel p : panels) {
            boolean active = p.isActive(run);
            boolean deferred = active && !forReport && p.deferred();
            Object vm = null;
            if (active && !deferred) {
                vm = forReport && p instanceof SamplesPanel s ? s.reportSelection(run, errors, random) : p.viewModel(run);
            }
            out.add(Json.obj("id", p.id(), "title", p.title(), "active", active,
                    "empty", active ? null : p.emptyMessage(), "deferred", deferred, "vm", vm));
        }
        return out;
    }
}
