package dev.loupe.cli;

import dev.loupe.data.vectors.LabelFile;
import dev.loupe.data.vectors.VectorFile;
import dev.loupe.projection.Points;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code loupe project --boundary} on the generated 2-D sets (tools/projection/make_2d.py → examples/2d): the drawn regions are
 * the model's own decisions at every point of a grid over the data; the chart is written; bad input exits 2.
 */
class PlaneBoundaryTest {
    static final Path DIR = Path.of("../examples/2d");
    @TempDir
    Path tmp;

    static Points points(String name) {
        VectorFile.Vectors v = VectorFile.read(DIR.resolve(name + ".csv"), null);
        return v.f() != null ? Points.of(v.n(), v.d(), v.f()) : Points.of(v.n(), v.d(), v.x());
    }

    @Test
    void regionsAreTheModelsOwnPredictionsOnAGrid() {
        for (String name : List.of("blobs", "moons")) {
            Points p = points(name);
            List<String> labels = LabelFile.read(DIR.resolve(name + "-labels.csv"), "label", p.n());
            PlaneBoundary.Fit f = PlaneBoundary.fit(p, labels, name);
            double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
            for (int i = 0; i < p.n(); i++) {
                x0 = Math.min(x0, p.get(i, 0));
                x1 = Math.max(x1, p.get(i, 0));
                y0 = Math.min(y0, p.get(i, 1));
                y1 = Math.max(y1, p.get(i, 1));
            }
            int g = 120;
            int[] seen = new int[f.classes().size()];
            for (int a = 0; a <= g; a++) {
                for (int b = 0; b <= g; b++) {
                    float x = (float) (x0 + (x1 - x0) * a / g);
                    float y = (float) (y0 + (y1 - y0) * b / g);
                    int model = PlaneBoundary.argmax(f.probe().predictProba(new float[] {x, y}));
                    assertEquals(model, f.plane().argmax(x, y), name + ": region at (" + x + ", " + y + ")");
                    seen[model]++;
                }
            }
            for (int c = 0; c < seen.length; c++) {
                assertTrue(seen[c] > 100, name + ": class " + f.classes().get(c) + " has a region: " + seen[c] + " grid points");
            }
            // a linear model fits these sets as scikit-learn's LogisticRegression does (training accuracy 0.95 on
            // blobs, 0.84–0.847 on moons; a line cannot follow the moons)
            assertTrue(f.accuracy() >= (name.equals("blobs") ? 0.94 : 0.83), name + " training accuracy " + f.accuracy());
        }
    }

    @Test
    void projectDrawsTheBoundaryAndRefusesWhatItCannotDraw() throws Exception {
        Path svg = tmp.resolve("b.svg");
        Cli r = Cli.run(new String[] {"project", "--embeddings", DIR.resolve("blobs.csv").toString(), "--labels",
                DIR.resolve("blobs-labels.csv").toString(), "--method", "pca", "-q", "-o", tmp.resolve("c.csv").toString(),
                "--boundary", svg.toString()});
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("boundary: the logistic model trained on 300 points (3 classes, training accuracy 0.9"), r.out());
        String s = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(s.startsWith("<svg") || s.startsWith("<?xml"), s.substring(0, 40));
        assertTrue(s.contains("exact decisions over the data") && s.contains("north-west"), "regions note and legend");
        // three columns: not a 2-D data set
        Path three = tmp.resolve("three.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(i).append(',').append(i % 3).append(',').append(i * 0.5).append('\n');
        }
        Files.writeString(three, sb.toString());
        Cli bad = Cli.run(new String[] {"project", "--embeddings", three.toString(), "--labels", DIR.resolve("blobs-labels.csv").toString(),
                "-q", "-o", tmp.resolve("d.csv").toString(), "--boundary", tmp.resolve("x.png").toString()});
        assertEquals(2, bad.exit(), bad.err());
        assertFalse(bad.err().contains("\tat "), bad.err());
        Cli noLabels = Cli.run(new String[] {"project", "--embeddings", DIR.resolve("moons.csv").toString(), "-q", "-o",
                tmp.resolve("e.csv").toString(), "--boundary", tmp.resolve("y.svg").toString()});
        assertEquals(2, noLabels.exit(), noLabels.err());
        assertTrue(noLabels.err().contains("--labels"), noLabels.err());
        Cli badFormat = Cli.run(new String[] {"project", "--embeddings", DIR.resolve("moons.csv").toString(), "--labels",
                DIR.resolve("moons-labels.csv").toString(), "-q", "-o", tmp.resolve("f.csv").toString(), "--boundary", tmp.resolve("z.pdf").toString()});
        assertEquals(2, badFormat.exit(), badFormat.err());
        assertFalse(Files.exists(tmp.resolve("y.svg")) || Files.exists(tmp.resolve("x.png")) || Files.exists(tmp.resolve("z.pdf")));
    }
}
