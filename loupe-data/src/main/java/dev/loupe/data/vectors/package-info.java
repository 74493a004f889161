/**
 * Embedding files a user brings to {@code loupe project}: NumPy {@code .npy} (float32/float64, 2-D), CSV/TSV (one
 * vector per line, optional header) and Parquet (a list-of-numbers column), plus a labels file joined by row.
 * Every error names the file and the line, row or column, and says how to fix it.
 */
package dev.loupe.data.vectors;
