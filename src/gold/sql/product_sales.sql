-- product_sales, per (order_year, order_month, product_id), over orders that count.
-- rank_by_units: 1 = most units in the month; ties by revenue desc, then product_id asc.
SELECT
  order_year,
  order_month,
  product_id,
  min(product_name) AS product_name,
  min(category) AS category,
  count(DISTINCT order_id) AS orders,
  sum(quantity) AS units,
  money(line_cents, NULL) AS revenue_usd,
  row_number() OVER (PARTITION BY order_year, order_month ORDER BY sum(quantity) DESC, sum(line_cents) DESC, product_id ASC) AS rank_by_units
FROM lines
WHERE status <> 'CANCELLED'
GROUP BY order_year, order_month, product_id
