-- customer_spend, per customer with at least one order that counts, over all time.
-- rank_by_spend: 1 = highest gross spend; ties by customer_id asc.
SELECT
  customer_id,
  count(*) AS orders,
  sum(item_count) AS units,
  money(total_cents, total_big) AS gross_spend_usd,
  money_ratio_of(sum(total_cents), sum(total_big), count(*)) AS avg_order_value_usd,
  min(order_date) AS first_order_date,
  max(order_date) AS last_order_date,
  row_number() OVER (ORDER BY money_key(sum(total_cents), sum(total_big)) DESC, sum(total_cents) DESC, customer_id ASC) AS rank_by_spend
FROM orders
WHERE status <> 'CANCELLED'
GROUP BY customer_id
