/**
 * Embedding projections, compute only: {@link dev.loupe.projection.Pca} (exact covariance eigendecomposition up to
 * 2,048 dimensions, randomized SVD beyond), {@link dev.loupe.projection.Tsne} (Barnes-Hut, or FFT interpolation from
 * 100,000 points) and {@link dev.loupe.projection.Umap}, over an approximate nearest-neighbour graph ({@link dev.loupe.projection.Knn}:
 * random-projection forest refined by NN-descent), and the quality measures the projector shows
 * ({@link dev.loupe.projection.Quality}: trustworthiness as scikit-learn defines it, kNN-label accuracy).
 *
 * <p>Conventions:
 * <ul>
 *   <li>Points are row-major {@link dev.loupe.projection.Points} (float32 or float64); a projection is row-major
 *       {@code double[n * 2]} in input order.</li>
 *   <li>Stages are separate and timed (neighbours, affinities, initialisation, optimisation; openTSNE's split), so
 *       each is tested and benchmarked alone; {@link dev.loupe.projection.ProjectionListener} reports progress.</li>
 *   <li>Determinism: every random draw comes from a counter-based hash of (seed, stage, index), and every parallel
 *       loop writes only its own rows and reduces in index order, so a seed gives the same output for any thread
 *       count.</li>
 *   <li>No I/O, no rendering.</li>
 * </ul>
 */
package dev.loupe.projection;
