-- Per (order_date, product_id) over orders that count; min() of name and category merge over dates.
SELECT order_date, order_year, order_month, product_id,
  min(product_name) AS product_name, min(category) AS category,
  count(DISTINCT order_id) AS orders, sum(quantity)::BIGINT AS units, CAST(sum(line_cents) AS DECIMAL(38, 0)) AS revenue_cents
FROM lines
WHERE status <> 'CANCELLED'
GROUP BY order_date, order_year, order_month, product_id
