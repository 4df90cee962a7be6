-- order_status_history rows of the orders in scope (SCD type 2): events in order,
-- consecutive events with the same status collapsed into the first of them.
WITH ordered AS (
  SELECT *, lag(status) OVER (PARTITION BY order_id ORDER BY event_time, status_rank, event_id) AS prev_status
  FROM events
), kept AS (
  SELECT * FROM ordered WHERE prev_status IS NULL OR prev_status <> status
)
SELECT
  order_id,
  status,
  event_time AS valid_from,
  lead(event_time) OVER w AS valid_to,
  lead(event_time) OVER w IS NULL AS is_current,
  customer_id,
  order_date,
  order_year,
  order_month
FROM kept
WINDOW w AS (PARTITION BY order_id ORDER BY event_time, status_rank, event_id)
