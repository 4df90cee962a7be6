-- Every event of the orders (what the SCD2 history needs), once each: the old ones (already
-- unique: the previous merge's output) and the new ones not among them. An anti-join, not a
-- row_number() over old and new together: that window held a whole range's events in memory and
-- ran out of gold's 256 MB on a range of 200,000 orders. Rewrites merged together keep apart
-- (rewrite_of, work.ts): silver holds an event id once, and were it ever on two dates, each
-- rewrite would keep its own, as alone.
SELECT * FROM base_events
UNION ALL BY NAME
SELECT * FROM (
  SELECT DISTINCT ON (event_id, rewrite_of(order_date)) event_id, order_id, status, status_rank, event_time, customer_id, order_date, order_year, order_month FROM new_events
) n
WHERE NOT EXISTS (SELECT 1 FROM base_events b WHERE b.event_id = n.event_id AND rewrite_of(b.order_date) = rewrite_of(n.order_date))
