// The gold tables of contract section 5: how each is partitioned, which work data it
// reads, how far a change in one order date reaches, and how `export` prints it.
// The formulas are in sql/<table>.sql.

import { STATUS_RANK } from '../contract/reference';

/**
 * How a gold table follows a change (each scope is one strategy in strategies.ts):
 * - range: rows of orders (order_status_history), written one file per work range (a month,
 *   or a part of a dense month) inside month partitions: a changed date rewrites its range's
 *   file;
 * - month: rows per date or hour summed from the rollups, one file per month partition: a
 *   changed date rewrites its month's file from the rollups of the month's ranges (small),
 *   so a month partition is one file however many ranges the month has;
 * - year: rows per month summed from the per-date rollups, one file per order_year partition;
 * - months: an unpartitioned table whose changed months are recomputed from the rollups and
 *   merged with the other months' rows;
 * - customers: global ranks over customers, rewritten whole from the per-customer state (cost
 *   follows the number of customers, not of events or runs);
 * - dq: running sums of the commits' data-quality rows;
 * - runs: one row appended per gold run.
 */
export type Scope = 'range' | 'month' | 'year' | 'months' | 'customers' | 'dq' | 'runs';

/** Views a table's SQL reads: rollups and state of the work data, or the commit records. */
export type GoldView = 'region' | 'hour' | 'category' | 'product' | 'history' | 'customers' | 'rfm_base' | 'dq' | 'runs';

export interface GoldTable {
  name: string;
  scope: Scope;
  /** Hive partition columns, outermost first (also kept inside every file). */
  partitionBy: string[];
  /** Views the SQL reads. */
  reads: GoldView[];
  /** The contract's columns, in order: what `export` prints. */
  columns: string[];
  /** Row order of `export`: the table's key. */
  orderBy: string[];
}

export const GOLD_TABLES: readonly GoldTable[] = [
  {
    name: 'monthly_revenue', scope: 'year', partitionBy: ['order_year'], reads: ['region'],
    columns: ['order_year', 'order_month', 'total_orders', 'gross_revenue_usd', 'net_revenue_usd', 'units', 'avg_order_value_usd', 'cancelled_orders', 'returned_orders', 'return_rate_pct', 'cancellation_rate_pct', 'high_value_orders'],
    orderBy: ['order_year', 'order_month'],
  },
  {
    name: 'daily_region_metrics', scope: 'month', partitionBy: ['order_year', 'order_month'], reads: ['region'],
    columns: ['order_date', 'region', 'total_orders', 'cancelled_orders', 'returned_orders', 'units', 'gross_revenue_usd', 'net_revenue_usd', 'avg_order_value_usd', 'distinct_customers'],
    orderBy: ['order_date', 'region'],
  },
  {
    name: 'category_sales', scope: 'months', partitionBy: [], reads: ['category'],
    columns: ['order_year', 'order_month', 'category', 'orders', 'units', 'revenue_usd', 'returned_units'],
    orderBy: ['order_year', 'order_month', 'category'],
  },
  {
    name: 'product_sales', scope: 'months', partitionBy: [], reads: ['product'],
    columns: ['order_year', 'order_month', 'product_id', 'product_name', 'category', 'orders', 'units', 'revenue_usd', 'rank_by_units'],
    orderBy: ['order_year', 'order_month', 'rank_by_units'],
  },
  {
    name: 'customer_spend', scope: 'customers', partitionBy: [], reads: ['customers'],
    columns: ['customer_id', 'orders', 'units', 'gross_spend_usd', 'avg_order_value_usd', 'first_order_date', 'last_order_date', 'rank_by_spend'],
    orderBy: ['rank_by_spend'],
  },
  {
    name: 'rfm_segments', scope: 'customers', partitionBy: [], reads: ['rfm_base'],
    columns: ['customer_id', 'as_of_date', 'recency_days', 'frequency', 'monetary_usd', 'r_score', 'f_score', 'm_score', 'rfm_score', 'segment'],
    orderBy: ['customer_id'],
  },
  {
    name: 'hourly_sales', scope: 'month', partitionBy: ['order_year', 'order_month'], reads: ['hour'],
    columns: ['order_hour', 'region', 'orders', 'gross_revenue_usd', 'order_date'],
    orderBy: ['order_hour', 'region'],
  },
  {
    name: 'order_status_history', scope: 'range', partitionBy: ['order_year', 'order_month'], reads: ['history'],
    columns: ['order_id', 'status', 'valid_from', 'valid_to', 'is_current', 'customer_id', 'order_date'],
    // Two changes at one instant share a valid_from: in state order (contract section 3), so the
    // rows come in one order however the sort meets them.
    orderBy: ['order_id', 'valid_from', 'valid_to NULLS LAST', `CASE status ${Object.entries(STATUS_RANK).map(([s, r]) => `WHEN '${s}' THEN ${r}`).join(' ')} END`],
  },
  {
    name: 'data_quality', scope: 'dq', partitionBy: [], reads: ['dq'],
    columns: ['ingest_date', 'code', 'action', 'records'],
    orderBy: ['ingest_date', 'code', 'action'],
  },
  {
    // The contract's "per-run counts" that go with data_quality: one row per gold run.
    name: 'data_quality_runs', scope: 'runs', partitionBy: [], reads: ['runs'],
    columns: ['run', 'run_at', 'batches', 'received', 'written', 'quarantined', 'dropped', 'duplicates', 'warned', 'malformed', 'replayed_batches'],
    orderBy: ['run'],
  },
];

export function goldTable(name: string): GoldTable {
  const t = GOLD_TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`unknown gold table ${JSON.stringify(name)}; tables: ${GOLD_TABLES.map((x) => x.name).join(', ')}`);
  return t;
}
