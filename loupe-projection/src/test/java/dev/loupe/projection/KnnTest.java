package dev.loupe.projection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnnTest {
    static Points blobs(int n, int d, int centers, long seed) {
        Rng rng = new Rng(seed, 1, 0);
        double[][] c = new double[centers][d];
        for (double[] row : c) {
            for (int j = 0; j < d; j++) {
                row[j] = 3 * rng.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int l = i % centers;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (c[l][j] + rng.nextGaussian());
            }
        }
        return Points.of(n, d, x);
    }

    @Test
    void approximateGraphRecallsExactNeighboursAndIsDeterministic() {
        Points p = blobs(6000, 24, 10, 5);
        int k = 15;
        Knn.Graph approx = Knn.approximate(p, k, 3, 2);
        Knn.Graph again = Knn.approximate(p, k, 3, 1);
        assertArrayEquals(approx.idx(), again.idx(), "same seed, different thread count");
        Knn.Graph exact = Knn.exact(p, k, 2);
        long hit = 0;
        for (int i = 0; i < p.n(); i++) {
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (int j = 0; j < k; j++) {
                truth.add(exact.neighbor(i, j));
            }
            for (int j = 0; j < k; j++) {
                if (truth.contains(approx.neighbor(i, j))) {
                    hit++;
                }
                if (j > 0) {
                    assertTrue(approx.distance(i, j - 1) <= approx.distance(i, j));
                }
                assertTrue(approx.neighbor(i, j) != i);
            }
        }
        double recall = hit / (double) (p.n() * k);
        assertTrue(recall > 0.97, "recall " + recall);
    }

    @Test
    void vectorisedExactGraphEqualsPlainBruteForce() {
        Points p = blobs(1500, 24, 6, 9);
        int k = 20;
        Knn.Graph g = Knn.exact(p, k, 2);
        assertArrayEquals(g.idx(), Knn.exact(p, k, 1).idx(), "thread count");
        for (int i = 0; i < p.n(); i++) {
            // the reference: all others by squared distance in double, ties to the lower index
            int self = i;
            Integer[] order = java.util.stream.IntStream.range(0, p.n()).filter(j -> j != self).boxed()
                    .sorted(java.util.Comparator.comparingDouble((Integer j) -> p.dist2Exact(self, j)).thenComparing(j -> j))
                    .toArray(Integer[]::new);
            for (int j = 0; j < k; j++) {
                double want = Math.sqrt(p.dist2Exact(i, order[j]));
                assertEquals(want, g.distance(i, j), 1e-5 * want, "point " + i + " rank " + j);
                // the same neighbour unless another lies at the same distance to float precision
                double other = Math.sqrt(p.dist2Exact(i, g.neighbor(i, j)));
                assertTrue(g.neighbor(i, j) == order[j] || Math.abs(other - want) < 1e-5 * want,
                        "point " + i + " rank " + j + ": " + g.neighbor(i, j) + " for " + order[j]);
            }
        }
    }

    @Test
    void fewerPointsThanKLeaveTheSameEmptySlotsInFloatAndDouble() {
        double[][] rows = {{0, 0}, {3, 4}, {1, 0}};
        float[][] frows = {{0, 0}, {3, 4}, {1, 0}};
        Knn.Graph d = Knn.exact(Points.of(rows), 3, 1);
        Knn.Graph f = Knn.exact(Points.of(frows), 3, 1);
        assertArrayEquals(d.idx(), f.idx());
        assertArrayEquals(d.dist(), f.dist(), 1e-6f);
        assertEquals(-1, f.neighbor(0, 2));
    }

    @Test
    void exactGraphDistancesAreEuclidean() {
        Points p = Points.of(new double[][] {{0, 0}, {3, 4}, {1, 0}, {0, 2}});
        Knn.Graph g = Knn.exact(p, 2, 1);
        assertEquals(2, g.neighbor(0, 0));
        assertEquals(1.0, g.distance(0, 0), 1e-6);
        assertEquals(3, g.neighbor(0, 1));
        assertEquals(2.0, g.distance(0, 1), 1e-6);
    }
}
