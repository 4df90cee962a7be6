-- data_quality_runs: per gold run, the counts of the silver batches it took in, so that
-- received = written + quarantined + dropped + duplicates on every row, and the rows sum to
-- the lake's stats: a replayed batch counts what changed (its new counts less its earlier
-- ones) and is counted in replayed_batches, not batches. Input view: runs (runs written
-- before replayed_batches existed had none).
SELECT run, run_at, batches, received, written, quarantined, dropped, duplicates, warned, malformed, coalesce(replayed_batches, 0) AS replayed_batches
FROM runs
