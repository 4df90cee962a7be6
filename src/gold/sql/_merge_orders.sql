-- Order state after the rewrite: per order, the candidate of the last event.
SELECT * EXCLUDE (rn) FROM (
  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY event_time DESC, status_rank DESC, current_event_id DESC) AS rn
  FROM candidates
)
WHERE rn = 1
