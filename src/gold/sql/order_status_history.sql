-- order_status_history (SCD type 2), one row per status change; partitioned by order month.
SELECT order_id, status, valid_from, valid_to, is_current, customer_id, order_date, order_year, order_month
FROM history
