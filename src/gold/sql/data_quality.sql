-- data_quality, per (ingest_date, code, action): records that failed the code. Input view:
-- dq (the data_quality rows of every silver batch commit).
SELECT ingest_date, code, action, sum(records) AS records
FROM dq
GROUP BY ingest_date, code, action
