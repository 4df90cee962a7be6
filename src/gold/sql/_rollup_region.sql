-- Per (order_date, region): the additive measures monthly_revenue sums and everything
-- daily_region_metrics shows (distinct customers is per date and region only). Sums of
-- integers are cast back from HUGEINT, which Parquet lacks (DuckDB would write a double).
SELECT
  order_date, region, order_year, order_month,
  count(*) AS total_orders,
  count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled_orders,
  count(*) FILTER (WHERE status = 'RETURNED') AS returned_orders,
  count(*) FILTER (WHERE status <> 'CANCELLED') AS counting_orders,
  coalesce(sum(item_count) FILTER (WHERE status <> 'CANCELLED'), 0)::BIGINT AS units,
  sum(total_cents) FILTER (WHERE status <> 'CANCELLED') AS gross_cents,
  sum(total_big) FILTER (WHERE status <> 'CANCELLED') AS gross_big,
  sum(total_cents) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED')) AS net_cents,
  sum(total_big) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED')) AS net_big,
  count(*) FILTER (WHERE status <> 'CANCELLED' AND is_high_value) AS high_value_orders,
  count(DISTINCT customer_id) FILTER (WHERE status <> 'CANCELLED') AS distinct_customers
FROM orders
GROUP BY order_date, region, order_year, order_month
