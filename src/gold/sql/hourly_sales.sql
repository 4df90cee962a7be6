-- hourly_sales, per (order_hour, region), over orders that count; partitioned by order_date.
SELECT
  order_hour,
  region,
  count(*) AS orders,
  money(total_cents, total_big) AS gross_revenue_usd,
  order_date
FROM orders
WHERE status <> 'CANCELLED'
GROUP BY order_hour, region, order_date
