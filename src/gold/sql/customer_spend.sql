-- customer_spend, per customer with at least one order that counts, over all time. Input view:
-- customers (the per-customer state: counting orders, units, money, first and last dates).
-- rank_by_spend: 1 = highest gross spend; ties by customer_id asc.
SELECT
  customer_id,
  orders,
  units,
  money_of(cents, big) AS gross_spend_usd,
  money_ratio_of(cents, big, orders) AS avg_order_value_usd,
  first_order_date,
  last_order_date,
  row_number() OVER (ORDER BY money_key(cents, big) DESC, cents DESC, customer_id ASC) AS rank_by_spend
FROM customers
WHERE orders > 0
