-- monthly_revenue, per (order_year, order_month). An order counts for revenue unless CANCELLED.
WITH m AS (
  SELECT
    order_year,
    order_month,
    count(*) AS total_orders,
    count(*) FILTER (WHERE status <> 'CANCELLED') AS counting_orders,
    sum(total_cents) FILTER (WHERE status <> 'CANCELLED') AS gross_cents,
    sum(total_big) FILTER (WHERE status <> 'CANCELLED') AS gross_big,
    sum(total_cents) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED')) AS net_cents,
    sum(total_big) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED')) AS net_big,
    coalesce(sum(item_count) FILTER (WHERE status <> 'CANCELLED'), 0) AS units,
    count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled_orders,
    count(*) FILTER (WHERE status = 'RETURNED') AS returned_orders,
    count(*) FILTER (WHERE status <> 'CANCELLED' AND is_high_value) AS high_value_orders
  FROM orders
  GROUP BY order_year, order_month
)
SELECT
  order_year,
  order_month,
  total_orders,
  money_of(gross_cents, gross_big) AS gross_revenue_usd,
  money_of(net_cents, net_big) AS net_revenue_usd,
  units,
  money_ratio_of(gross_cents, gross_big, counting_orders) AS avg_order_value_usd,
  cancelled_orders,
  returned_orders,
  pct(returned_orders, total_orders) AS return_rate_pct,
  pct(cancelled_orders, total_orders) AS cancellation_rate_pct,
  high_value_orders
FROM m
