-- A row's confidence (the probability of its predicted class), stored when written, so that the dashboard's samples
-- table filters and sorts by it with an index instead of deriving it from the probabilities' JSON row by row.
-- Rows written before (NULL here) are still derived at query time.
ALTER TABLE predictions ADD COLUMN confidence DOUBLE PRECISION;
CREATE INDEX predictions_by_confidence ON predictions (run_id, confidence);
