-- rfm_segments' base for the default as-of date (the latest order_date of any order that
-- counts, so no order is later): straight from the per-customer state.
SELECT customer_id, orders AS frequency, cents AS monetary_cents, big AS monetary_big, last_order_date
FROM customers
WHERE orders > 0
