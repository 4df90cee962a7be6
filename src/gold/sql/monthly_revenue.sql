-- monthly_revenue, per (order_year, order_month). An order counts for revenue unless CANCELLED.
-- Input view: region (per-date rollups of the years in scope); every measure is a sum over dates.
WITH m AS (
  SELECT
    order_year,
    order_month,
    sum(total_orders) AS total_orders,
    sum(counting_orders) AS counting_orders,
    sum(gross_cents) AS gross_cents,
    sum(gross_big) AS gross_big,
    sum(net_cents) AS net_cents,
    sum(net_big) AS net_big,
    sum(units) AS units,
    sum(cancelled_orders) AS cancelled_orders,
    sum(returned_orders) AS returned_orders,
    sum(high_value_orders) AS high_value_orders
  FROM region
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
