-- hourly_sales, per (order_hour, region), over orders that count; partitioned by order month
-- (contract v1.1). Input view: hour (sql/_rollup_hour.sql).
SELECT
  order_hour,
  region,
  orders,
  money_of(gross_cents, gross_big) AS gross_revenue_usd,
  order_date,
  order_year,
  order_month
FROM hour
