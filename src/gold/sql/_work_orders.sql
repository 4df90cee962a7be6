-- Order state (contract section 3): per order, the last of its events sorted by
-- (event_time, status rank, event_id). Its status, customer, region, totals and
-- order_time are the order's. Input view: events (silver order_events of the dates in scope).
SELECT
  order_id,
  customer_id,
  region,
  status,
  order_time,
  order_date,
  order_year,
  order_month,
  date_trunc('hour', order_time) AS order_hour,
  total_cents,
  total_big,
  item_count,
  is_high_value,
  event_id AS current_event_id
FROM (
  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY event_time DESC, status_rank DESC, event_id DESC) AS rn
  FROM events
)
WHERE rn = 1
