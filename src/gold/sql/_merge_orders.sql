-- Order state after the rewrite: per order, the candidate of the last event. Rewrites merged
-- together keep apart (rewrite_of, work.ts): an order's events meet within their own rewrite.
SELECT * EXCLUDE (rn) FROM (
  SELECT *, row_number() OVER (PARTITION BY order_id, rewrite_of(order_date) ORDER BY event_time DESC, status_rank DESC, current_event_id DESC) AS rn
  FROM candidates
)
WHERE rn = 1
