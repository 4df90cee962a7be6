-- daily_region_metrics, per (order_date, region); partitioned by order month. Input view:
-- region (the per-date, per-region rollup of the order state, sql/_rollup_region.sql).
SELECT
  order_date,
  region,
  total_orders,
  cancelled_orders,
  returned_orders,
  units,
  money_of(gross_cents, gross_big) AS gross_revenue_usd,
  money_of(net_cents, net_big) AS net_revenue_usd,
  money_ratio_of(gross_cents, gross_big, counting_orders) AS avg_order_value_usd,
  distinct_customers,
  order_year,
  order_month
FROM region
