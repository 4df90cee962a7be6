-- data_quality_runs: per gold run, the counts of the silver batches it took in, so that
-- received = written + quarantined + dropped + duplicates on every row. Input view: runs.
SELECT run, run_at, batches, received, written, quarantined, dropped, duplicates, warned, malformed
FROM runs
