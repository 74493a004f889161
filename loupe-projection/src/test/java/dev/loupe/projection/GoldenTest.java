package dev.loupe.projection;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Projections against numpy, scikit-learn and umap-learn (tools/projection/make_projection_golden.py). */
class GoldenTest {
    @Test
    void pcaEqualsNumpyUpToSign() {
        JsonNode g = Golden.get().get("pca");
        double[][] x = Golden.matrix(g.get("x"));
        int k = g.get("components").asInt();
        double[][] expected = Golden.matrix(g.get("coords"));
        for (int threads : new int[] {1, 2}) {
            Pca.Result r = Pca.fit(Points.of(x), k, 0, threads);
            assertTrue(r.exact());
            for (int c = 0; c < k; c++) {
                double sign = Math.signum(r.coords()[c] * expected[0][c]);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(expected[i][c], sign * r.coords()[i * k + c], 1e-9, "row " + i + " component " + c);
                }
                assertEquals(g.get("explained_variance").get(c).asDouble(), r.explainedVariance()[c], 1e-9);
                assertEquals(g.get("explained_ratio").get(c).asDouble(), r.explainedRatio()[c], 1e-12);
            }
        }
    }

    @Test
    void trustworthinessEqualsScikitLearn() {
        JsonNode g = Golden.get().get("trustworthiness");
        Points high = Points.of(Golden.matrix(g.get("x")));
        Points low = Points.of(Golden.matrix(g.get("y")));
        assertEquals(g.get("t5").asDouble(), Quality.trustworthiness(high, low, 5, 2), 1e-12);
        assertEquals(g.get("t10").asDouble(), Quality.trustworthiness(high, low, 10, 1), 1e-12);
        // a sample of queries gives an estimate near the exact value
        double est = Quality.trustworthiness(high, low, 10, Quality.sample(high.n(), 150, 3), 2);
        assertEquals(g.get("t10").asDouble(), est, 0.02);
    }

    @Test
    void tsneAffinitiesEqualScikitLearn() {
        JsonNode g = Golden.get().get("tsne_affinities");
        Points x = Points.of(Golden.matrix(g.get("x")));
        double perplexity = g.get("perplexity").asDouble();
        int k = Math.min(x.n() - 1, (int) (3 * perplexity + 1));
        Tsne.Affinities p = Tsne.affinities(Knn.exact(x, k, 2), perplexity, 2);
        Map<Long, Double> expected = new HashMap<>();
        int[] row = Golden.ints(g.get("row"));
        int[] col = Golden.ints(g.get("col"));
        double[] val = Golden.vector(g.get("val"));
        for (int t = 0; t < row.length; t++) {
            expected.put((long) row[t] * x.n() + col[t], val[t]);
        }
        int entries = 0;
        for (int i = 0; i < x.n(); i++) {
            for (int t = p.start()[i]; t < p.start()[i + 1]; t++) {
                Double e = expected.get((long) i * x.n() + p.col()[t]);
                assertTrue(e != null, "entry " + i + "," + p.col()[t] + " not in scikit-learn's P");
                // both stop the search when the entropy is within 1e-5 of log(perplexity), from distances that differ
                // in the last float32 bit, so P agrees to ~1e-5 relative, not to 1e-9
                assertEquals(e, p.val()[t], 1e-4 * e, "P[" + i + "," + p.col()[t] + "]");
                entries++;
            }
        }
        assertEquals(row.length, entries);
    }

    @Test
    void umapCurveParametersEqualUmapLearn() {
        JsonNode g = Golden.get().get("find_ab");
        assumeTrue(g != null, "golden file has no umap-learn entries");
        for (JsonNode c : g) {
            double[] ab = Umap.findAB(c.get("spread").asDouble(), c.get("min_dist").asDouble());
            assertEquals(c.get("ab").get(0).asDouble(), ab[0], 1e-4 * ab[0], c.toString());
            assertEquals(c.get("ab").get(1).asDouble(), ab[1], 1e-4 * ab[1], c.toString());
        }
    }

    @Test
    void umapFuzzySetEqualsUmapLearn() {
        JsonNode g = Golden.get().get("umap_fuzzy");
        assumeTrue(g != null, "golden file has no umap-learn entries");
        Points x = Points.of(Golden.matrix(Golden.get().get("tsne_affinities").get("x")));
        int k = g.get("n_neighbors").asInt();
        Umap.Graph graph = Umap.fuzzySet(Knn.exact(x, k - 1, 1), 2);
        int[] row = Golden.ints(g.get("row"));
        int[] col = Golden.ints(g.get("col"));
        double[] val = Golden.vector(g.get("val"));
        Map<Long, Double> expected = new HashMap<>();
        for (int t = 0; t < row.length; t++) {
            expected.put((long) row[t] * x.n() + col[t], val[t]);
        }
        int entries = 0;
        for (int i = 0; i < x.n(); i++) {
            for (int t = graph.start()[i]; t < graph.start()[i + 1]; t++) {
                Double e = expected.get((long) i * x.n() + graph.col()[t]);
                assertTrue(e != null, "edge " + i + "," + graph.col()[t] + " not in umap-learn's graph");
                assertEquals(e, graph.val()[t], 1e-5, "w[" + i + "," + graph.col()[t] + "]");
                entries++;
            }
        }
        assertEquals(row.length, entries);
    }
}
