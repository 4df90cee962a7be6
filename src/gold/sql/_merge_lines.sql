-- The current event's lines of every order: kept from the old state while the current event is
-- unchanged, taken from the new silver lines when a new event became current. Each within its
-- own rewrite (rewrite_of, work.ts), as when each rewrite ran alone.
SELECT l.* FROM base_lines l JOIN orders_new o ON o.order_id = l.order_id AND o.current_event_id = l.event_id AND rewrite_of(o.order_date) = rewrite_of(l.order_date)
UNION ALL BY NAME
SELECT o.order_id, o.status, o.order_date, o.order_year, o.order_month, n.line_number, n.product_id, n.product_name, n.category, n.quantity, n.line_cents, n.event_id
FROM new_lines n JOIN orders_new o ON o.current_event_id = n.event_id AND rewrite_of(o.order_date) = rewrite_of(n.order_date)
  AND NOT EXISTS (SELECT 1 FROM base_lines k WHERE k.event_id = n.event_id AND rewrite_of(k.order_date) = rewrite_of(n.order_date))
