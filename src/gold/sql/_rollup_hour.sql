-- Per (order_hour, region) of orders that count: hourly_sales rows of the dates in scope.
SELECT order_hour, region, order_date, order_year, order_month,
  count(*) AS orders, sum(total_cents) AS gross_cents, sum(total_big) AS gross_big
FROM orders
WHERE status <> 'CANCELLED'
GROUP BY order_hour, region, order_date, order_year, order_month
