// The gold tables of contract section 5: how each is partitioned, which work data it
// reads, how far a change in one order date reaches, and how `export` prints it.
// The formulas are in sql/<table>.sql.

/**
 * What a gold run recomputes when order dates change:
 * - year / date: the partitions (of that grain) containing a changed date, from the work data of those partitions;
 * - date-file: rows that depend on one order_date only, in coarser (month) partitions holding one file per
 *   order_date: a changed date replaces its own file, not its month;
 * - month-merge: an unpartitioned table whose rows for the changed months are recomputed and merged with the rest;
 * - all: recomputed from the work data of every date (tables with global ranks: customers, RFM);
 * - commits: recomputed from the commit records (data quality), not from silver.
 */
export type Scope = 'year' | 'date' | 'date-file' | 'month-merge' | 'all' | 'commits';

export interface GoldTable {
  name: string;
  scope: Scope;
  /** Hive partition columns, outermost first (also kept inside every file). */
  partitionBy: string[];
  /** Work datasets the SQL reads as views: orders, lines, history, dq, runs. */
  reads: Array<'orders' | 'lines' | 'history' | 'dq' | 'runs'>;
  /** The contract's columns, in order: what `export` prints. */
  columns: string[];
  /** Row order of `export`: the table's key. */
  orderBy: string[];
}

export const GOLD_TABLES: readonly GoldTable[] = [
  {
    name: 'monthly_revenue', scope: 'year', partitionBy: ['order_year'], reads: ['orders'],
    columns: ['order_year', 'order_month', 'total_orders', 'gross_revenue_usd', 'net_revenue_usd', 'units', 'avg_order_value_usd', 'cancelled_orders', 'returned_orders', 'return_rate_pct', 'cancellation_rate_pct', 'high_value_orders'],
    orderBy: ['order_year', 'order_month'],
  },
  {
    name: 'daily_region_metrics', scope: 'date-file', partitionBy: ['order_year', 'order_month'], reads: ['orders'],
    columns: ['order_date', 'region', 'total_orders', 'cancelled_orders', 'returned_orders', 'units', 'gross_revenue_usd', 'net_revenue_usd', 'avg_order_value_usd', 'distinct_customers'],
    orderBy: ['order_date', 'region'],
  },
  {
    name: 'category_sales', scope: 'month-merge', partitionBy: [], reads: ['lines'],
    columns: ['order_year', 'order_month', 'category', 'orders', 'units', 'revenue_usd', 'returned_units'],
    orderBy: ['order_year', 'order_month', 'category'],
  },
  {
    name: 'product_sales', scope: 'month-merge', partitionBy: [], reads: ['lines'],
    columns: ['order_year', 'order_month', 'product_id', 'product_name', 'category', 'orders', 'units', 'revenue_usd', 'rank_by_units'],
    orderBy: ['order_year', 'order_month', 'rank_by_units'],
  },
  {
    name: 'customer_spend', scope: 'all', partitionBy: [], reads: ['orders'],
    columns: ['customer_id', 'orders', 'units', 'gross_spend_usd', 'avg_order_value_usd', 'first_order_date', 'last_order_date', 'rank_by_spend'],
    orderBy: ['rank_by_spend'],
  },
  {
    name: 'rfm_segments', scope: 'all', partitionBy: [], reads: ['orders'],
    columns: ['customer_id', 'as_of_date', 'recency_days', 'frequency', 'monetary_usd', 'r_score', 'f_score', 'm_score', 'rfm_score', 'segment'],
    orderBy: ['customer_id'],
  },
  {
    name: 'hourly_sales', scope: 'date', partitionBy: ['order_date'], reads: ['orders'],
    columns: ['order_hour', 'region', 'orders', 'gross_revenue_usd', 'order_date'],
    orderBy: ['order_hour', 'region'],
  },
  {
    name: 'order_status_history', scope: 'date-file', partitionBy: ['order_year', 'order_month'], reads: ['history'],
    columns: ['order_id', 'status', 'valid_from', 'valid_to', 'is_current', 'customer_id', 'order_date'],
    orderBy: ['order_id', 'valid_from'],
  },
  {
    name: 'data_quality', scope: 'commits', partitionBy: [], reads: ['dq'],
    columns: ['ingest_date', 'code', 'action', 'records'],
    orderBy: ['ingest_date', 'code', 'action'],
  },
  {
    // The contract's "per-run counts" that go with data_quality: one row per gold run.
    name: 'data_quality_runs', scope: 'commits', partitionBy: [], reads: ['runs'],
    columns: ['run', 'run_at', 'batches', 'received', 'written', 'quarantined', 'dropped', 'duplicates', 'warned', 'malformed', 'replayed_batches'],
    orderBy: ['run'],
  },
];

export function goldTable(name: string): GoldTable {
  const t = GOLD_TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`unknown gold table ${JSON.stringify(name)}; tables: ${GOLD_TABLES.map((x) => x.name).join(', ')}`);
  return t;
}
