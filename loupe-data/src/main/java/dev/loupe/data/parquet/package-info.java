/**
 * Parquet files, read through DuckDB's embedded engine ({@link dev.loupe.data.parquet.ParquetFile}): the schema,
 * the row groups, queries whose results are read chunk by chunk from DuckDB's vectors, and errors that name the
 * file, the column and the row group. The prediction reader and the text data set reader build on it.
 */
package dev.loupe.data.parquet;
