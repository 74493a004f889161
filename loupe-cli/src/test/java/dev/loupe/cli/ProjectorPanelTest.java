package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.projection.DecisionRegions;
import dev.loupe.projection.Pca;
import dev.loupe.projection.Points;
import dev.loupe.report.HtmlReport;
import dev.loupe.report.Json;
import dev.loupe.report.PanelRegistry;
import dev.loupe.report.RunData;
import dev.loupe.report.SvgPlot;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The projector panel's view models, its decision regions against the probe itself, and the projection plot. */
class ProjectorPanelTest {
    @TempDir
    Path tmp;

    @Test
    void probeRegionsInThePcaPlaneAreTheProbesOwnPredictionsOnGridPoints() {
        try (RunStore store = RunStore.open(StoreLocation.parse(tmp.resolve("s.db").toString()))) {
            ProjectorFixture.Made m = ProjectorFixture.make(store, "e", "three classes", 900, 12, 3, 5, List.of());
            int d = 12;
            Pca.Result pca = Pca.fit(Points.of(m.embeddings()), 2, 0, 2);
            double[] e1 = Arrays.copyOfRange(pca.loadings(), 0, d);
            double[] e2 = Arrays.copyOfRange(pca.loadings(), d, 2 * d);
            DecisionRegions.LinearPlane plane = DecisionRegions.linearInPlane(m.probe().weights(), 3, d, pca.mean(), e1, e2);
            int checked = 0;
            int[] seen = new int[3];
            for (int a = -30; a <= 30; a++) {
                for (int b = -30; b <= 30; b++) {
                    double u = a * 0.4;
                    double v = b * 0.4;
                    float[] x = new float[d];
                    for (int j = 0; j < d; j++) {
                        x[j] = (float) (pca.mean()[j] + u * e1[j] + v * e2[j]);
                    }
                    double[] p = m.probe().predictProba(x);
                    int best = 0;
                    for (int c = 1; c < 3; c++) {
                        best = p[c] > p[best] ? c : best;
                    }
                    // float32 rounding of the grid point moves a logit by ~1e-6: skip points that close to a boundary
                    double[] sorted = p.clone();
                    Arrays.sort(sorted);
                    if (Math.log(sorted[2] / sorted[1]) < 1e-4) {
                        continue;
                    }
                    assertEquals(best, plane.argmax(u, v), "grid point (" + u + ", " + v + ")");
                    seen[best]++;
                    checked++;
                }
            }
            assertTrue(checked > 3600, "checked " + checked);
            assertTrue(seen[0] > 0 && seen[1] > 0 && seen[2] > 0, "the grid crosses every region: " + Arrays.toString(seen));
        }
    }

    @Test
    void dashboardGetsEveryPointAndTheReportASampleWithShortTexts() throws Exception {
        try (RunStore store = RunStore.open(StoreLocation.parse(tmp.resolve("s.db").toString()))) {
            ProjectorFixture.Made m = ProjectorFixture.make(store, "e", "big", 25_000, 8, 2, 7,
                    List.of("<script>window.__pwned=1</script>" + "x".repeat(200)));
            RunData run = RunData.load(store, m.runId());
            var panel = PanelRegistry.standard().panel("projector");
            assertTrue(panel.isActive(run));
            JsonNode full = Json.parse(Json.write(panel.viewModel(run, Map.of())));
            assertEquals("umap", full.get("method").asText(), "a stored UMAP comes first");
            assertEquals(List.of("umap", "pca"), Json.MAPPER.convertValue(full.get("methods"), List.class));
            assertEquals(25_000, full.get("xq").size());
            // the quantised coordinates decode to the stored ones within 1/65535 of the extent
            dev.loupe.report.Float32Matrix stored = dev.loupe.report.Float32Matrix.read(run.artifact("projection-umap.f32"));
            JsonNode e = full.get("extent");
            for (int i = 0; i < 100; i++) {
                double x = e.get(0).asDouble() + full.get("xq").get(i).asInt() * (e.get(1).asDouble() - e.get(0).asDouble()) / 65535;
                assertEquals(stored.data()[2 * i], x, (e.get(1).asDouble() - e.get(0).asDouble()) / 65535);
            }
            assertFalse(full.has("texts"), "the dashboard fetches texts on hover");
            assertEquals("knn", full.get("regions").get("kind").asText(), "a UMAP gets the kNN map");
            assertEquals(0.91, full.get("quality").get("trustworthiness").asDouble(), 1e-12);
            // labels and predictions are the stored rows'
            List<dev.loupe.store.PredictionRow> rows = store.predictions(m.runId());
            for (int i = 0; i < 50; i++) {
                assertEquals(rows.get(i).label(), full.get("classes").get(full.get("label").get(i).asInt()).asText());
                assertEquals(rows.get(i).pred(), full.get("classes").get(full.get("pred").get(i).asInt()).asText());
            }
            JsonNode pca = Json.parse(Json.write(panel.viewModel(run, Map.of("method", "pca"))));
            assertEquals("linear", pca.get("regions").get("kind").asText(), "the probe's exact regions in the PCA plane");
            JsonNode row = Json.parse(Json.write(panel.viewModel(run, Map.of("row", "0"))));
            assertTrue(row.get("text").asText().startsWith("<script>"), "the text as stored; the page sets it as text");

            JsonNode report = Json.parse(Json.write(panel.viewModel(run)));
            assertEquals(20_000, report.get("x").size());
            assertEquals(20_000, report.get("rows").size());
            assertTrue(report.get("note").asText().contains("20,000 of the 25,000"), report.get("note").asText());
            for (JsonNode t : report.get("texts")) {
                assertTrue(t.isNull() || t.asText().length() <= 61, t.asText());
            }
            String html = HtmlReport.render(List.of(run), PanelRegistry.standard());
            assertTrue(html.length() < 5_000_000, "report of a 25,000-example run: " + html.length() + " characters");

            for (String format : List.of("svg", "png")) {
                byte[] plot = SvgPlot.render("projection", format, run, PanelRegistry.standard());
                if (format.equals("svg")) {
                    String svg = new String(plot, java.nio.charset.StandardCharsets.UTF_8);
                    javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                            .parse(new java.io.ByteArrayInputStream(plot));
                    assertTrue(svg.contains("class-a") && svg.contains("class-b"), "legend");
                    assertTrue(svg.contains("A seeded sample of 20,000"), "the sample is said");
                } else {
                    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(plot));
                    assertEquals(1280, img.getWidth());
                }
            }
        }
    }
}
