-- product_sales, per (order_year, order_month, product_id), over orders that count. Input view:
-- product (per-date rollups of the months in scope).
-- rank_by_units: 1 = most units in the month; ties by revenue desc, then product_id asc.
SELECT
  order_year,
  order_month,
  product_id,
  min(product_name) AS product_name,
  min(category) AS category,
  sum(orders) AS orders,
  sum(units) AS units,
  money_of(sum(revenue_cents), NULL) AS revenue_usd,
  row_number() OVER (PARTITION BY order_year, order_month ORDER BY sum(units) DESC, sum(revenue_cents) DESC, product_id ASC) AS rank_by_units
FROM product
GROUP BY order_year, order_month, product_id
