-- rfm_segments' base for an explicit as-of date: orders after it are left out, so it is built
-- from the order state (every range: an explicit as-of date is a full recompute).
SELECT customer_id, count(*) AS frequency, sum(total_cents) AS monetary_cents, sum(total_big) AS monetary_big, max(order_date) AS last_order_date
FROM orders
WHERE status <> 'CANCELLED' AND order_date <= getvariable('as_of')
GROUP BY customer_id
