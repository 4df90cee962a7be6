// Silver as gold reads it: which committed files hold rows of a range of order dates, and the
// rows themselves as DuckDB tables (new_events, new_lines) with money in cents. Only files named
// by live commits are read (a lost race or a crashed attempt leaves files no commit names).
import { lit } from './duck';
import type { GoldFiles } from './io';
import type { BatchCommit } from '../pipeline/ports';
import { DEFAULT_JSON_OBJECT_BYTES } from '../pipeline/refine-batch';

export interface SilverFiles {
  events: string[];
  lines: string[];
  /** The longest silver event line among them (bytes, upper bound), when over DuckDB's 16 MB default. */
  longestLineBytes: number;
}

const SILVER_FILE = /^silver\/(order_events|order_lines)\/order_date=(\d{4}-\d{2}-\d{2})\//;

/** The silver files of these commits holding rows of order dates lo..hi. */
export function silverFilesOf(commits: readonly BatchCommit[], lo: string, hi: string): SilverFiles {
  const out: SilverFiles = { events: [], lines: [], longestLineBytes: 0 };
  for (const c of commits) {
    let used = false;
    for (const f of c.files) {
      const m = SILVER_FILE.exec(f);
      if (!m || m[2]! < lo || m[2]! > hi) continue;
      (m[1] === 'order_events' ? out.events : out.lines).push(f);
      used = true;
    }
    if (used && (c.longestLineBytes ?? 0) > out.longestLineBytes) out.longestLineBytes = c.longestLineBytes!;
  }
  return out;
}

const EVENT_JSON = `{event_id: 'VARCHAR', order_id: 'VARCHAR', status: 'VARCHAR', status_rank: 'INTEGER', event_time: 'VARCHAR', order_time: 'VARCHAR', order_date: 'DATE', order_year: 'INTEGER', order_month: 'INTEGER', customer_id: 'VARCHAR', region: 'VARCHAR', item_count: 'BIGINT', order_total_usd: 'DOUBLE', is_high_value_order: 'BOOLEAN'}`;
const LINE_JSON = `{event_id: 'VARCHAR', order_id: 'VARCHAR', line_number: 'INTEGER', product_id: 'VARCHAR', product_name: 'VARCHAR', category: 'VARCHAR', quantity: 'BIGINT', line_total_usd: 'DOUBLE', order_date: 'DATE'}`;

/**
 * new_events and new_lines: the silver rows of order dates lo..hi in these files. A silver line
 * may hold a megabyte extra field (contract v1.1); DuckDB reads 16 MB per line unless told, and
 * a larger limit costs buffers of that size, so it is raised only when a commit recorded more.
 */
export async function loadSilverRows(files: GoldFiles, src: SilverFiles, lo: string, hi: string): Promise<void> {
  const limit = src.longestLineBytes > DEFAULT_JSON_OBJECT_BYTES ? `, maximum_object_size = ${src.longestLineBytes + 1}` : '';
  const events = await files.local(src.events);
  const lines = await files.local(src.lines);
  const inRange = `order_date BETWEEN DATE ${lit(lo)} AND DATE ${lit(hi)}`;
  const eventSource = events.length
    ? `read_json([${events.map(lit).join(', ')}], format = 'newline_delimited', columns = ${EVENT_JSON}${limit})`
    : `(SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS order_id, NULL::VARCHAR AS status, NULL::INTEGER AS status_rank, NULL::VARCHAR AS event_time, NULL::VARCHAR AS order_time, NULL::DATE AS order_date, NULL::INTEGER AS order_year, NULL::INTEGER AS order_month, NULL::VARCHAR AS customer_id, NULL::VARCHAR AS region, NULL::BIGINT AS item_count, NULL::DOUBLE AS order_total_usd, NULL::BOOLEAN AS is_high_value_order WHERE false)`;
  // Money becomes integer cents here: silver holds 2-decimal USD, so the rounding is exact
  // (sql/_macros.sql: cents and big cents, so no value can overflow a sum).
  await files.duck.run(`CREATE OR REPLACE TEMP TABLE new_events AS SELECT event_id, order_id, status, status_rank,
    CAST(event_time AS TIMESTAMPTZ) AS event_time, CAST(order_time AS TIMESTAMPTZ) AS order_time,
    order_date, order_year, order_month, customer_id, region, item_count,
    cents_of(order_total_usd) AS total_cents, big_cents_of(order_total_usd) AS total_big, is_high_value_order AS is_high_value
    FROM ${eventSource} WHERE ${inRange}`);
  const lineSource = lines.length
    ? `read_json([${lines.map(lit).join(', ')}], format = 'newline_delimited', columns = ${LINE_JSON})`
    : `(SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS order_id, NULL::INTEGER AS line_number, NULL::VARCHAR AS product_id, NULL::VARCHAR AS product_name, NULL::VARCHAR AS category, NULL::BIGINT AS quantity, NULL::DOUBLE AS line_total_usd, NULL::DATE AS order_date WHERE false)`;
  // A line total is at most 1000 x 100000 x 1.27 USD (the quantity and price rules): BIGINT cents hold it.
  await files.duck.run(`CREATE OR REPLACE TEMP TABLE new_lines AS SELECT event_id, order_id, line_number, product_id, product_name, category, quantity,
    CAST(round(line_total_usd * 100) AS BIGINT) AS line_cents FROM ${lineSource} WHERE ${inRange}`);
}
