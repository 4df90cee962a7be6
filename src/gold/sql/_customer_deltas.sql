-- What the rewrite changes per (customer, order_date) among orders that count for revenue:
-- orders, units and money after, less before. Unchanged orders cancel out exactly.
SELECT customer_id, order_date AS d, sum(sign) AS dn, sum(sign * item_count) AS du,
  sum(sign * total_cents) AS dc, sum(sign * total_big) AS db
FROM (
  SELECT customer_id, order_date, item_count, total_cents, total_big, 1 AS sign FROM orders_new WHERE status <> 'CANCELLED'
  UNION ALL
  SELECT customer_id, order_date, item_count, total_cents, total_big, -1 AS sign FROM old_orders WHERE status <> 'CANCELLED'
)
GROUP BY customer_id, order_date
HAVING sum(sign) <> 0 OR sum(sign * item_count) <> 0 OR coalesce(sum(sign * total_cents), 0) <> 0 OR coalesce(sum(sign * total_big), 0) <> 0
