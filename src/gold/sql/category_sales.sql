-- category_sales, per (order_year, order_month, category), over orders that count.
SELECT
  order_year,
  order_month,
  category,
  count(DISTINCT order_id) AS orders,
  sum(quantity) AS units,
  money(line_cents, NULL) AS revenue_usd,
  coalesce(sum(quantity) FILTER (WHERE status = 'RETURNED'), 0) AS returned_units
FROM lines
WHERE status <> 'CANCELLED'
GROUP BY order_year, order_month, category
