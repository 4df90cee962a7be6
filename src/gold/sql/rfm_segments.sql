-- rfm_segments as of a date (getvariable('as_of')): orders after it are left out (rfm_base is
-- built from the customer state for the default as-of date, from the order state otherwise).
-- With N customers: f = 1 + floor(5 x (customers with smaller frequency) / N), m alike on
-- monetary, r = 1 + floor(5 x (customers with larger recency_days) / N). rank() - 1 counts
-- the customers strictly before a value, which is exactly "smaller" (or "larger" descending).
WITH base AS (
  -- rfm_base: per customer with an order that counts by the as-of date: frequency, money, last date.
  SELECT customer_id, frequency, monetary_cents, monetary_big, last_order_date FROM rfm_base
), scored AS (
  SELECT
    *,
    date_diff('day', last_order_date, getvariable('as_of')) AS recency_days,
    count(*) OVER () AS n,
    rank() OVER (ORDER BY frequency) - 1 AS smaller_frequency,
    rank() OVER (ORDER BY money_key(monetary_cents, monetary_big), monetary_cents) - 1 AS smaller_monetary,
    rank() OVER (ORDER BY date_diff('day', last_order_date, getvariable('as_of')) DESC) - 1 AS larger_recency
  FROM base
), scores AS (
  SELECT
    *,
    1 + (5 * larger_recency) // n AS r_score,
    1 + (5 * smaller_frequency) // n AS f_score,
    1 + (5 * smaller_monetary) // n AS m_score
  FROM scored
)
SELECT
  customer_id,
  getvariable('as_of') AS as_of_date,
  recency_days,
  frequency,
  money_of(monetary_cents, monetary_big) AS monetary_usd,
  r_score,
  f_score,
  m_score,
  concat(r_score, f_score, m_score) AS rfm_score,
  CASE
    WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'Champions'
    WHEN f_score >= 4 THEN 'Loyal'
    WHEN r_score >= 4 AND f_score <= 2 THEN 'New'
    WHEN r_score <= 2 AND f_score >= 3 THEN 'At Risk'
    WHEN r_score <= 2 THEN 'Hibernating'
    ELSE 'Needs Attention'
  END AS segment
FROM scores
