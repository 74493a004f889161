-- The dashboard's confusion-cell clicks filter a run's rows by true and predicted class and page them by loss (the
-- samples table's default order). Without this index both the count of matches and the page scan every row of the
-- run: 1,000,000 kept rows took 2.9 s for the count; with it, 0.02 s, and the page 5 ms (docs/BENCHMARKS.md).
CREATE INDEX predictions_by_cell ON predictions (run_id, label, pred, loss);
