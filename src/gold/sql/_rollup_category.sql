-- Per (order_date, category) over orders that count. An order has one order_date, so the
-- distinct orders of a month are the sum over its dates.
SELECT order_date, order_year, order_month, category,
  count(DISTINCT order_id) AS orders, sum(quantity)::BIGINT AS units, CAST(sum(line_cents) AS DECIMAL(38, 0)) AS revenue_cents,
  coalesce(sum(quantity) FILTER (WHERE status = 'RETURNED'), 0)::BIGINT AS returned_units
FROM lines
WHERE status <> 'CANCELLED'
GROUP BY order_date, order_year, order_month, category
