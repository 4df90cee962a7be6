-- Order state candidates: each new silver event of the rewrite's dates as it would stand as the
-- order's state, plus the orders' states so far (base_orders; empty when the dates are rebuilt from silver). Contract section 3: the order's
-- current event is the last by (event_time, status rank, event_id); the maximum of the old state
-- and the new events is the maximum over all events, so merging is exact and idempotent.
SELECT order_id, customer_id, region, status, status_rank, event_time, order_time, order_date, order_year, order_month,
  date_trunc('hour', order_time) AS order_hour, total_cents, total_big, item_count, is_high_value, event_id AS current_event_id
FROM new_events
UNION ALL BY NAME
SELECT * FROM base_orders
