// Column types of gold's work data and of the silver rows it reads, in one place: the typed
// empty relations a run uses when a range has no file yet, and silver's reader.

export type Columns = ReadonlyArray<readonly [string, string]>;

export const ORDER_COLUMNS: Columns = [
  ['order_id', 'VARCHAR'], ['customer_id', 'VARCHAR'], ['region', 'VARCHAR'], ['status', 'VARCHAR'], ['status_rank', 'INTEGER'],
  ['event_time', 'TIMESTAMPTZ'], ['order_time', 'TIMESTAMPTZ'], ['order_date', 'DATE'], ['order_year', 'INTEGER'], ['order_month', 'INTEGER'],
  ['order_hour', 'TIMESTAMPTZ'], ['total_cents', 'DECIMAL(38,0)'], ['total_big', 'DOUBLE'], ['item_count', 'BIGINT'], ['is_high_value', 'BOOLEAN'],
  ['current_event_id', 'VARCHAR'],
];

export const EVENT_COLUMNS: Columns = [
  ['event_id', 'VARCHAR'], ['order_id', 'VARCHAR'], ['status', 'VARCHAR'], ['status_rank', 'INTEGER'], ['event_time', 'TIMESTAMPTZ'],
  ['customer_id', 'VARCHAR'], ['order_date', 'DATE'], ['order_year', 'INTEGER'], ['order_month', 'INTEGER'],
];

export const LINE_COLUMNS: Columns = [
  ['order_id', 'VARCHAR'], ['status', 'VARCHAR'], ['order_date', 'DATE'], ['order_year', 'INTEGER'], ['order_month', 'INTEGER'],
  ['line_number', 'INTEGER'], ['product_id', 'VARCHAR'], ['product_name', 'VARCHAR'], ['category', 'VARCHAR'], ['quantity', 'BIGINT'],
  ['line_cents', 'BIGINT'], ['event_id', 'VARCHAR'],
];

export const CUSTOMER_COLUMNS: Columns = [
  ['customer_id', 'VARCHAR'], ['orders', 'BIGINT'], ['units', 'BIGINT'], ['cents', 'DECIMAL(38,0)'], ['big', 'DOUBLE'],
  ['first_order_date', 'DATE'], ['last_order_date', 'DATE'], ['dates', 'VARCHAR'],
];

/** A typed relation with no row, for a view over files that do not exist yet. */
export function emptyOf(columns: Columns): string {
  return `SELECT ${columns.map(([name, type]) => `NULL::${type} AS ${name}`).join(', ')} WHERE false`;
}
