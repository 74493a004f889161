package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.InvalidInputException;
import dev.loupe.projection.DecisionRegions;
import dev.loupe.projection.Pca;
import dev.loupe.projection.Points;
import dev.loupe.projection.Quality;
import dev.loupe.report.Float32Matrix;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;
import dev.loupe.store.PredictionRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The embedding projector: a run's test examples as points of a 2-D projection (PCA computed here from the stored
 * embeddings; t-SNE and UMAP as {@code loupe project} stored them), each with its true class, prediction and
 * confidence, under decision regions: the probe's exact regions in the PCA plane through the data mean when the run
 * stores its probe ({@code probe.json}: classes, dimension and the row-major k × (d + 1) weights, bias last — what
 * probe runs keep), else a kNN map of the predicted class. The dashboard gets every point; the
 * report a seeded sample of at most {@link #REPORT_POINTS} with the start of each text.
 */
public final class ProjectorPanel implements Panel {
    public static final int REPORT_POINTS = 20_000;
    static final int REPORT_TEXT = 60;
    static final int GRID = 96;
    /** A metadata column with more distinct values than this is coloured as a number (when numeric) or its top values. */
    static final int MAX_CATEGORIES = 12;
    static final List<String> ORDER = List.of("umap", "tsne", "pca");

    @Override
    public String id() {
        return "projector";
    }

    @Override
    public String title() {
        return "Embedding projector";
    }

    @Override
    public boolean isActive(RunData run) {
        return !methods(run).isEmpty();
    }

    @Override
    public String emptyMessage() {
        return "No embeddings stored with this run: the demo stores them, and so does 'loupe evaluate --model ENCODER"
                + " --keep-embeddings'; 'loupe project RUN --method umap' adds a UMAP projection.";
    }

    @Override
    public boolean deferred() {
        return true;
    }

    @Override
    public Object viewModel(RunData run) {
        return build(run, null, true);
    }

    @Override
    public Object viewModel(RunData run, Map<String, String> query) {
        if (query.containsKey("row")) {
            return row(run, query.get("row"));
        }
        boolean sample = query.containsKey("sample");
        List<String> methods = methods(run);
        String method = query.getOrDefault("method", methods.isEmpty() ? "" : methods.get(0));
        return sample ? build(run, method, true) : run.derived("projector:vm:" + method, () -> build(run, method, false));
    }

    /** The projections this run can show, best first: stored UMAP, stored t-SNE, PCA (from embeddings or stored). */
    static List<String> methods(RunData run) {
        List<String> m = new ArrayList<>();
        for (String name : ORDER) {
            boolean stored = run.artifact("projection-" + name + ".f32") != null;
            if (stored || (name.equals("pca") && run.artifact("embeddings.f32") != null)) {
                m.add(name);
            }
        }
        return m;
    }

    /** The plane of a PCA of the stored embeddings (computed once per run). */
    static Pca.Result pca(RunData run) {
        return run.derived("projector:pca", () -> {
            Float32Matrix e = Float32Matrix.read(run.artifact("embeddings.f32"));
            return Pca.fit(Points.of(e.rows(), e.cols(), e.data()), 2, 0, 0);
        });
    }

    /** Labels, predictions and confidences by row, with the class list. */
    record Rows(List<String> classes, int[] label, int[] pred, float[] conf, List<PredictionRow> byRow) {
    }

    static Rows rows(RunData run, int n) {
        return run.derived("projector:rows:" + n, () -> {
            List<PredictionRow> all = run.hasPredictions() ? run.predictions() : List.of();
            PredictionRow[] by = new PredictionRow[n];
            TreeSet<String> names = new TreeSet<>();
            for (PredictionRow r : all) {
                if (r.rowIndex() >= 0 && r.rowIndex() < n) {
                    by[(int) r.rowIndex()] = r;
                    if (r.label() != null) {
                        names.add(r.label());
                    }
                    if (r.pred() != null) {
                        names.add(r.pred());
                    }
                }
            }
            List<String> classes = new ArrayList<>(names);
            Map<String, Integer> idx = new HashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                idx.put(classes.get(c), c);
            }
            int[] label = new int[n];
            int[] pred = new int[n];
            float[] conf = new float[n];
            for (int i = 0; i < n; i++) {
                PredictionRow r = by[i];
                label[i] = r == null || r.label() == null ? -1 : idx.get(r.label());
                pred[i] = r == null || r.pred() == null ? -1 : idx.get(r.pred());
                conf[i] = r == null || Double.isNaN(r.confidence()) ? Float.NaN : (float) r.confidence();
            }
            return new Rows(classes, label, pred, conf, java.util.Arrays.asList(by));
        });
    }

    private Object build(RunData run, String requested, boolean sample) {
        List<String> methods = methods(run);
        if (methods.isEmpty()) {
            throw new InvalidInputException("NO_EMBEDDINGS", emptyMessage());
        }
        String method = requested == null ? methods.get(0) : requested;
        if (!methods.contains(method)) {
            throw InvalidInputException.parameter("method", "one of " + methods + " for this run", "'" + requested + "'");
        }
        double[] xy;
        Pca.Result plane = null;
        if (method.equals("pca") && run.artifact("embeddings.f32") != null) {
            plane = pca(run);
            xy = plane.coords();
        } else {
            Float32Matrix m = Float32Matrix.read(run.artifact("projection-" + method + ".f32"));
            xy = new double[m.data().length];
            for (int t = 0; t < xy.length; t++) {
                xy[t] = m.data()[t];
            }
        }
        int n = xy.length / 2;
        Rows rows = rows(run, n);
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("run", run.id());
        vm.put("experiment", run.info().experiment());
        vm.put("method", method);
        vm.put("methods", methods);
        vm.put("n", n);
        JsonNode meta = readJson(run.artifact("projection-" + method + ".json"));
        Map<String, Object> quality = new LinkedHashMap<>();
        if (meta != null) {
            for (String k : List.of("trustworthiness", "knn_accuracy_2d", "knn_accuracy_original", "quality_sample", "seconds",
                    "perplexity", "n_neighbors", "min_dist", "kl_divergence")) {
                if (meta.has(k)) {
                    quality.put(k, meta.get(k));
                }
            }
        }
        if (plane != null) {
            quality.put("explained_variance_ratio", plane.explainedRatio());
        }
        vm.put("quality", quality);
        vm.put("classes", rows.classes());
        vm.put("regions", regions(run, method, plane, xy, rows));
        int[] shown = sample && n > REPORT_POINTS ? Quality.sample(n, REPORT_POINTS, 0) : null;
        int m = shown == null ? n : shown.length;
        int[] label = new int[m];
        int[] pred = new int[m];
        short[] conf = new short[m];
        float[] x = new float[m];
        float[] y = new float[m];
        for (int t = 0; t < m; t++) {
            int i = shown == null ? t : shown[t];
            x[t] = (float) xy[2 * i];
            y[t] = (float) xy[2 * i + 1];
            label[t] = rows.label()[i];
            pred[t] = rows.pred()[i];
            float c = rows.conf()[i];
            conf[t] = Float.isNaN(c) ? -1 : (short) Math.round(1000 * Math.max(0, Math.min(1, c)));
        }
        if (sample) {
            vm.put("x", x);
            vm.put("y", y);
        } else {
            // every point: coordinates as 0–65535 over the extent (a 200,000-point model halves in size and parses faster)
            vm.put("extent", quantized(x, "xq", vm, y, "yq"));
        }
        vm.put("label", label);
        vm.put("pred", pred);
        vm.put("confPermille", conf);
        vm.put("meta", metadataColumns(run, rows, shown, m));
        if (shown != null) {
            vm.put("rows", shown);
            vm.put("note", String.format(java.util.Locale.ROOT, "A seeded sample of %,d of the %,d points; the dashboard shows them all.", m, n));
        }
        if (sample) {
            List<String> texts = new ArrayList<>(m);
            for (int t = 0; t < m; t++) {
                PredictionRow r = rows.byRow().get(shown == null ? t : shown[t]);
                String s = r == null || r.text() == null ? null : r.text();
                texts.add(s == null ? null : s.length() > REPORT_TEXT ? s.substring(0, REPORT_TEXT) + "…" : s);
            }
            vm.put("texts", texts);
        }
        return vm;
    }

    /** A metadata column to colour by: categories (codes index values, −1 missing) or numbers (permille of lo–hi, −1 missing). */
    record MetaColumn(String name, boolean slice, List<String> values, int[] codes, double lo, double hi, short[] permille) {
    }

    /**
     * Every metadata column of the stored predictions (slice columns, those of stored {@code metric[column=value]}
     * metrics, first): up to {@link #MAX_CATEGORIES} distinct values as categories; more, as numbers when all parse,
     * else the most frequent values and "other".
     */
    static List<MetaColumn> metaColumns(RunData run, Rows rows) {
        return run.derived("projector:meta:" + rows.label().length, () -> {
            int n = rows.label().length;
            Map<String, String[]> byColumn = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                PredictionRow r = rows.byRow().get(i);
                if (r == null || r.metadataJson() == null || r.metadataJson().isBlank()) {
                    continue;
                }
                for (Map.Entry<String, Object> e : SamplesPanel.metadata(r.metadataJson()).entrySet()) {
                    byColumn.computeIfAbsent(e.getKey(), k -> new String[n])[i] = String.valueOf(e.getValue());
                }
            }
            java.util.Set<String> sliced = new java.util.HashSet<>();
            for (dev.loupe.store.StoredMetric sm : run.metrics()) {
                java.util.regex.Matcher x = SlicesPanel.SLICED.matcher(sm.name());
                if (x.matches()) {
                    sliced.add(x.group(2));
                }
            }
            List<MetaColumn> out = new ArrayList<>();
            byColumn.forEach((name, v) -> out.add(column(name, sliced.contains(name), v)));
            out.sort(java.util.Comparator.comparing(c -> !c.slice()));
            return out;
        });
    }

    private static MetaColumn column(String name, boolean slice, String[] v) {
        Map<String, Integer> counts = new HashMap<>();
        boolean numeric = true;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (String s : v) {
            if (s == null || s.equals("null")) {
                continue;
            }
            counts.merge(s, 1, Integer::sum);
            try {
                double d = Double.parseDouble(s);
                numeric &= Double.isFinite(d);
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            } catch (NumberFormatException e) {
                numeric = false;
            }
        }
        if (counts.size() > MAX_CATEGORIES && numeric) {
            short[] pm = new short[v.length];
            for (int i = 0; i < v.length; i++) {
                pm[i] = v[i] == null || v[i].equals("null") ? -1
                        : (short) Math.round(1000 * (Double.parseDouble(v[i]) - lo) / (hi > lo ? hi - lo : 1));
            }
            return new MetaColumn(name, slice, null, null, lo, hi, pm);
        }
        List<String> values = new ArrayList<>(counts.keySet());
        values.sort(java.util.Comparator.<String, Integer>comparing(counts::get).reversed().thenComparing(s -> s));
        boolean other = values.size() > MAX_CATEGORIES;
        if (other) {
            values = new ArrayList<>(values.subList(0, MAX_CATEGORIES - 1));
        }
        Map<String, Integer> code = new HashMap<>();
        for (int c = 0; c < values.size(); c++) {
            code.put(values.get(c), c);
        }
        if (other) {
            values.add("other");
        }
        int[] codes = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            codes[i] = v[i] == null || v[i].equals("null") ? -1 : code.getOrDefault(v[i], values.size() - 1);
        }
        return new MetaColumn(name, slice, values, codes, Double.NaN, Double.NaN, null);
    }

    /** The metadata columns for the shown points (all, or the report's sample). */
    private static List<Object> metadataColumns(RunData run, Rows rows, int[] shown, int m) {
        List<Object> out = new ArrayList<>();
        for (MetaColumn c : metaColumns(run, rows)) {
            if (c.codes() != null) {
                int[] codes = new int[m];
                for (int t = 0; t < m; t++) {
                    codes[t] = c.codes()[shown == null ? t : shown[t]];
                }
                out.add(Json.obj("name", c.name(), "slice", c.slice(), "values", c.values(), "codes", codes));
            } else {
                short[] pm = new short[m];
                for (int t = 0; t < m; t++) {
                    pm[t] = c.permille()[shown == null ? t : shown[t]];
                }
                out.add(Json.obj("name", c.name(), "slice", c.slice(), "lo", c.lo(), "hi", c.hi(), "permille", pm));
            }
        }
        return out;
    }

    /** Puts x and y as integers 0–65535 over their ranges under the given keys; returns [x0, x1, y0, y1]. */
    private static double[] quantized(float[] x, String xKey, Map<String, Object> vm, float[] y, String yKey) {
        double[] ex = bounds(x);
        double[] ey = bounds(y);
        vm.put(xKey, quantize(x, ex));
        vm.put(yKey, quantize(y, ey));
        return new double[] {ex[0], ex[1], ey[0], ey[1]};
    }

    private static double[] bounds(float[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return v.length == 0 ? new double[] {0, 1} : new double[] {lo, hi > lo ? hi : lo + 1};
    }

    private static int[] quantize(float[] v, double[] range) {
        int[] q = new int[v.length];
        double s = 65535 / (range[1] - range[0]);
        for (int t = 0; t < v.length; t++) {
            q[t] = (int) Math.round((v[t] - range[0]) * s);
        }
        return q;
    }

    private static Object regions(RunData run, String method, Pca.Result plane, double[] xy, Rows rows) {
        Path probe = run.artifact("probe.json");
        if (plane != null && probe != null) {
            JsonNode p = readJson(probe);
            int k = p.get("classes").size();
            int d = p.get("dimension").asInt();
            double[] w = new double[k * (d + 1)];
            for (int t = 0; t < w.length; t++) {
                w[t] = p.get("weights").get(t).asDouble();
            }
            if (d == plane.mean().length) {
                double[] e1 = java.util.Arrays.copyOfRange(plane.loadings(), 0, d);
                double[] e2 = java.util.Arrays.copyOfRange(plane.loadings(), d, 2 * d);
                DecisionRegions.LinearPlane lp = DecisionRegions.linearInPlane(w, k, d, plane.mean(), e1, e2);
                List<String> names = new ArrayList<>();
                p.get("classes").forEach(c -> names.add(c.asText()));
                List<Integer> toShown = new ArrayList<>();
                for (String c : names) {
                    toShown.add(rows.classes().indexOf(c));
                }
                return Json.obj("kind", "linear", "c", lp.c(), "a", lp.a(), "b", lp.b(), "classes", toShown,
                        "note", "Regions: the probe's exact decisions in the PCA plane through the data mean.");
            }
        }
        boolean any = false;
        for (int v : rows.pred()) {
            any |= v >= 0;
        }
        if (!any) {
            return null;
        }
        double[] conf = new double[rows.conf().length];
        for (int i = 0; i < conf.length; i++) {
            conf[i] = Float.isNaN(rows.conf()[i]) ? 0.5 : rows.conf()[i];
        }
        DecisionRegions.KnnMap map = run.derived("projector:knn:" + method,
                () -> DecisionRegions.knnMap(xy, rows.pred(), conf, rows.classes().size(), GRID, GRID, 10));
        return Json.obj("kind", "knn", "gx", map.gx(), "gy", map.gy(), "x0", map.x0(), "y0", map.y0(), "x1", map.x1(),
                "y1", map.y1(), "cls", map.cls(), "strength", map.strength(),
                "note", "Regions: the predicted class of the 10 nearest points, shaded by confidence"
                        + (method.equals("pca") ? " (no probe stored)." : "."));
    }

    private static Object row(RunData run, String row) {
        int i;
        try {
            i = Integer.parseInt(row);
        } catch (NumberFormatException e) {
            throw InvalidInputException.parameter("row", "a row number", "'" + row + "'");
        }
        Map<Long, PredictionRow> byRow = run.derived("projector:byRow", () -> {
            Map<Long, PredictionRow> m = new HashMap<>();
            for (PredictionRow r : run.hasPredictions() ? run.predictions() : List.<PredictionRow>of()) {
                m.put(r.rowIndex(), r);
            }
            return m;
        });
        PredictionRow r = byRow.get((long) i);
        if (r != null) {
            return Json.obj("row", i, "id", r.exampleId(), "label", r.label(), "pred", r.pred(),
                    "confidence", Double.isNaN(r.confidence()) ? null : r.confidence(), "text", r.text());
        }
        return Json.obj("row", i);
    }

    private static JsonNode readJson(Path p) {
        if (p == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(Files.readString(p));
        } catch (IOException e) {
            return null;
        }
    }
}
