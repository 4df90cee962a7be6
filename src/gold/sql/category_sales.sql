-- category_sales, per (order_year, order_month, category), over orders that count. Input view:
-- category (per-date rollups of the months in scope).
SELECT
  order_year,
  order_month,
  category,
  sum(orders) AS orders,
  sum(units) AS units,
  money_of(sum(revenue_cents), NULL) AS revenue_usd,
  sum(returned_units) AS returned_units
FROM category
GROUP BY order_year, order_month, category
