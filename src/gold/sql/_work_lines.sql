-- The lines of each order's current event. Inputs: work_orders (this scope), order_lines.
SELECT
  o.order_id,
  o.status,
  o.order_date,
  o.order_year,
  o.order_month,
  l.line_number,
  l.product_id,
  l.product_name,
  l.category,
  l.quantity,
  l.line_cents
FROM work_orders o
JOIN order_lines l ON l.event_id = o.current_event_id
