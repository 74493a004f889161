-- The dashboard's samples table pages a run's predictions sorted by loss (its default order) in the database:
-- with this index the first page of a large run is an index walk instead of a scan and sort of every row.
CREATE INDEX predictions_by_loss ON predictions (run_id, loss);
