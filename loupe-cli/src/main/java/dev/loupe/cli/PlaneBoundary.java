package dev.loupe.cli;

import dev.loupe.api.InvalidInputException;
import dev.loupe.models.probe.LogisticProbe;
import dev.loupe.models.probe.ProbeConfig;
import dev.loupe.projection.DecisionRegions;
import dev.loupe.projection.Points;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code loupe project --embeddings 2d.csv --labels labels.csv --boundary FILE}: for a data set of two features, the
 * model's true decision boundary in the data's own plane. The model is Loupe's logistic probe (the model of every probe
 * run) trained on all rows; its regions are exact (argmax of the per-class affine logits, evaluated over the plot's
 * grid), drawn under the points coloured by true class with the misclassified ones ringed.
 */
final class PlaneBoundary {
    private PlaneBoundary() {
    }

    /** The trained probe, its class names and its regions in the (x, y) plane. */
    record Fit(LogisticProbe probe, List<String> classes, int[] label, int[] pred, DecisionRegions.LinearPlane plane) {
        double accuracy() {
            int right = 0;
            for (int i = 0; i < label.length; i++) {
                right += label[i] == pred[i] ? 1 : 0;
            }
            return (double) right / label.length;
        }
    }

    static Fit fit(Points p, List<String> labels, String source) {
        if (p.d() != 2) {
            throw new InvalidInputException("NOT_2D", "--boundary draws the model's boundary of a data set with two features;"
                    + " " + source + " has " + p.d() + " columns (project it instead, or pass a two-column file).");
        }
        if (labels == null) {
            throw new InvalidInputException("NO_LABELS", "--boundary trains the model on the labels: pass --labels FILE.");
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(labels));
        if (classes.size() < 2) {
            throw new InvalidInputException("ONE_CLASS", "--boundary needs at least two classes in --labels; found "
                    + classes.size() + ".");
        }
        int n = p.n();
        float[][] x = new float[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) p.get(i, 0);
            x[i][1] = (float) p.get(i, 1);
            y[i] = classes.indexOf(labels.get(i));
        }
        int k = classes.size();
        LogisticProbe probe = LogisticProbe.train(x, y, new float[0][], new int[0], k, ProbeConfig.defaults()).probe();
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            pred[i] = argmax(probe.predictProba(x[i]));
        }
        // the plane is the data's own: origin 0, axes the two features
        DecisionRegions.LinearPlane plane = DecisionRegions.linearInPlane(probe.weights(), k, 2, new double[] {0, 0},
                new double[] {1, 0}, new double[] {0, 1});
        return new Fit(probe, classes, y, pred, plane);
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int c = 1; c < v.length; c++) {
            if (v[c] > v[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The projector's view model of the points under the regions, as {@code loupe plot --chart projection} draws it. */
    static Map<String, Object> viewModel(Points p, Fit f) {
        int n = p.n();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = p.get(i, 0);
            y[i] = p.get(i, 1);
        }
        List<Integer> classIdx = new ArrayList<>();
        for (int c = 0; c < f.classes().size(); c++) {
            classIdx.add(c);
        }
        Map<String, Object> regions = new LinkedHashMap<>();
        regions.put("kind", "linear");
        regions.put("c", f.plane().c());
        regions.put("a", f.plane().a());
        regions.put("b", f.plane().b());
        regions.put("classes", classIdx);
        regions.put("note", "Regions: the logistic model's exact decisions over the data's own plane.");
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("method", "plane");
        vm.put("x", x);
        vm.put("y", y);
        vm.put("label", f.label());
        vm.put("pred", f.pred());
        vm.put("classes", f.classes());
        vm.put("regions", regions);
        return vm;
    }
}
