-- Every event of the orders (what the SCD2 history needs), once each: the old ones and the new.
SELECT * EXCLUDE (rn) FROM (
  SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY event_id) AS rn FROM (
    SELECT event_id, order_id, status, status_rank, event_time, customer_id, order_date, order_year, order_month FROM new_events
    UNION ALL BY NAME SELECT * FROM base_events
  )
)
WHERE rn = 1
