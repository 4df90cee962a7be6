-- daily_region_metrics, per (order_date, region); partitioned by order month.
WITH d AS (
  SELECT
    order_date,
    region,
    order_year,
    order_month,
    count(*) AS total_orders,
    count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled_orders,
    count(*) FILTER (WHERE status = 'RETURNED') AS returned_orders,
    count(*) FILTER (WHERE status <> 'CANCELLED') AS counting_orders,
    coalesce(sum(item_count) FILTER (WHERE status <> 'CANCELLED'), 0) AS units,
    sum(total_cents) FILTER (WHERE status <> 'CANCELLED') AS gross_cents,
    sum(total_big) FILTER (WHERE status <> 'CANCELLED') AS gross_big,
    sum(total_cents) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED')) AS net_cents,
    sum(total_big) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED')) AS net_big,
    count(DISTINCT customer_id) FILTER (WHERE status <> 'CANCELLED') AS distinct_customers
  FROM orders
  GROUP BY order_date, region, order_year, order_month
)
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
FROM d
