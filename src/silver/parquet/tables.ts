// Silver's three tables as Parquet: one file per table per batch, rows sorted by order_date
// (events, lines) or ingest_date (quarantine) so each file's date range is tight, with the
// file's Delta statistics. Same column names and values as the JSON rows (contract section 6).
import type { QuarantineRecord, SilverOrderEvent, SilverOrderLine } from '../rows';
import type { Decision } from '../refine';
import { toLeaves } from './leaves';
import { ByteSink } from './byte-sink';
import { writeParquet } from './file-writer';
import { deltaStats, type DeltaFileStats } from './delta-stats';
import { deltaField, type Column } from './schema';

export interface ParquetFile {
  bytes: Uint8Array;
  stats: DeltaFileStats;
}

export const SILVER_EVENT_COLUMNS: readonly Column<SilverOrderEvent>[] = [
  { name: 'event_id', type: 'string', get: (r) => r.event_id },
  { name: 'order_id', type: 'string', get: (r) => r.order_id },
  { name: 'schema_version', type: 'integer', get: (r) => r.schema_version },
  { name: 'status', type: 'string', dictionary: true, get: (r) => r.status },
  { name: 'status_rank', type: 'integer', get: (r) => r.status_rank },
  { name: 'event_time', type: 'timestamp', get: (r) => r.event_time },
  { name: 'order_time', type: 'timestamp', get: (r) => r.order_time },
  { name: 'order_date', type: 'date', get: (r) => r.order_date },
  { name: 'order_year', type: 'integer', get: (r) => r.order_year },
  { name: 'order_month', type: 'integer', get: (r) => r.order_month },
  { name: 'order_dayofweek', type: 'integer', get: (r) => r.order_dayofweek },
  { name: 'customer_id', type: 'string', get: (r) => r.customer_id },
  { name: 'customer_email_sha256', type: 'string', get: (r) => r.customer_email_sha256 },
  { name: 'region', type: 'string', dictionary: true, get: (r) => r.region },
  { name: 'country', type: 'string', dictionary: true, get: (r) => r.country },
  { name: 'city', type: 'string', dictionary: true, get: (r) => r.city },
  { name: 'channel', type: 'string', dictionary: true, get: (r) => r.channel },
  { name: 'payment_method', type: 'string', dictionary: true, get: (r) => r.payment_method },
  { name: 'currency', type: 'string', dictionary: true, get: (r) => r.currency },
  { name: 'item_count', type: 'long', get: (r) => r.item_count },
  { name: 'line_count', type: 'integer', get: (r) => r.line_count },
  { name: 'shipping_cost', type: 'double', get: (r) => r.shipping_cost },
  { name: 'discount', type: 'double', get: (r) => r.discount },
  { name: 'total_amount', type: 'double', get: (r) => r.total_amount },
  { name: 'order_total_usd', type: 'double', get: (r) => r.order_total_usd },
  { name: 'is_high_value_order', type: 'boolean', get: (r) => r.is_high_value_order },
  { name: 'dq_warnings', type: 'list<string>', get: (r) => r.dq_warnings },
  { name: '_rescued', type: 'string', get: (r) => r._rescued },
  { name: 'ingestion_time', type: 'timestamp', get: (r) => r.ingestion_time },
  { name: 'source_partition', type: 'string', dictionary: true, get: (r) => r.source_partition },
  { name: 'source_offset', type: 'string', get: (r) => r.source_offset },
  { name: 'source_sequence_number', type: 'long', get: (r) => r.source_sequence_number },
  { name: 'bronze_file', type: 'string', dictionary: true, get: (r) => r.bronze_file },
];

export const SILVER_LINE_COLUMNS: readonly Column<SilverOrderLine>[] = [
  { name: 'event_id', type: 'string', get: (l) => l.event_id },
  { name: 'order_id', type: 'string', get: (l) => l.order_id },
  { name: 'line_number', type: 'integer', get: (l) => l.line_number },
  { name: 'product_id', type: 'string', dictionary: true, get: (l) => l.product_id },
  { name: 'product_name', type: 'string', dictionary: true, get: (l) => l.product_name },
  { name: 'category', type: 'string', dictionary: true, get: (l) => l.category },
  { name: 'quantity', type: 'integer', get: (l) => l.quantity },
  { name: 'unit_price', type: 'double', get: (l) => l.unit_price },
  { name: 'currency', type: 'string', dictionary: true, get: (l) => l.currency },
  { name: 'line_total_usd', type: 'double', get: (l) => l.line_total_usd },
  { name: 'order_date', type: 'date', get: (l) => l.order_date },
  { name: 'bronze_file', type: 'string', dictionary: true, get: (l) => l.bronze_file },
];

/** `errors` is a list of records {code, message}: queryable as errors[1].code in SQL. */
export const QUARANTINE_COLUMNS: readonly Column<QuarantineRecord>[] = [
  { name: 'codes', type: 'list<string>', get: (q) => q.codes },
  { name: 'errors', type: 'list<record>', fields: ['code', 'message'], get: (q) => q.errors },
  { name: 'event_id', type: 'string', get: (q) => q.event_id },
  { name: 'order_id', type: 'string', get: (q) => q.order_id },
  { name: 'ingest_date', type: 'date', get: (q) => q.ingest_date },
  { name: 'ingestion_time', type: 'timestamp', get: (q) => q.ingestion_time },
  { name: 'partition', type: 'string', dictionary: true, get: (q) => q.partition },
  { name: 'offset', type: 'string', get: (q) => q.offset },
  { name: 'sequence_number', type: 'long', get: (q) => q.sequence_number },
  { name: 'bronze_file', type: 'string', dictionary: true, get: (q) => q.bronze_file },
  { name: 'body', type: 'string', get: (q) => q.body },
  { name: 'body_base64', type: 'string', get: (q) => q.body_base64 ?? null },
];

/** The table's Delta schema (the schemaString of its metaData action, parsed). */
export function deltaSchema(columns: readonly Column<never>[]): { type: 'struct'; fields: Array<ReturnType<typeof deltaField>> } {
  return { type: 'struct', fields: columns.map(deltaField) };
}

export function silverEventsParquet(rows: readonly SilverOrderEvent[]): ParquetFile {
  return tableFile(SILVER_EVENT_COLUMNS, sortedBy(rows, (r) => r.order_date));
}

export function silverLinesParquet(rows: readonly SilverOrderLine[]): ParquetFile {
  return tableFile(SILVER_LINE_COLUMNS, sortedBy(rows, (l) => l.order_date));
}

export function quarantineParquet(rows: readonly QuarantineRecord[]): ParquetFile {
  return tableFile(QUARANTINE_COLUMNS, sortedBy(rows, (q) => q.ingest_date));
}

/** A batch's silver files: one per table that has rows (at most 3). */
export function silverParquetFiles(final: readonly Decision[]): { events?: ParquetFile; lines?: ParquetFile; quarantine?: ParquetFile } {
  const silver: Array<Extract<Decision, { kind: 'silver' }>> = [];
  const quarantine: QuarantineRecord[] = [];
  for (const d of final) {
    if (d.kind === 'silver') silver.push(d);
    else if (d.kind === 'quarantine') quarantine.push(d.record);
  }
  // Sorted once: an event's lines carry its order_date, so its lines in event order are sorted too.
  const events: SilverOrderEvent[] = [];
  const lines: SilverOrderLine[] = [];
  for (const d of sortedBy(silver, (s) => s.row.order_date)) {
    events.push(d.row);
    for (const l of d.lines) lines.push(l);
  }
  return {
    ...(events.length ? { events: tableFile(SILVER_EVENT_COLUMNS, events) } : {}),
    ...(lines.length ? { lines: tableFile(SILVER_LINE_COLUMNS, lines) } : {}),
    ...(quarantine.length ? { quarantine: quarantineParquet(quarantine) } : {}),
  };
}

/** The strings of the file being written; reused from file to file, like the writer's buffers. */
const ARENA = new ByteSink(1 << 20);

function tableFile<R>(columns: readonly Column<R>[], rows: readonly R[]): ParquetFile {
  ARENA.reset();
  const leaves = toLeaves(columns, rows, ARENA);
  const file = { bytes: writeParquet(columns, leaves, rows.length), stats: deltaStats(columns, leaves, rows.length) };
  ARENA.release(16 << 20);
  return file;
}

const INDEX_SPAN = 2 ** 21;

/**
 * Rows in order of a 'YYYY-MM-DD' key, arrival order kept within a key: each row becomes the
 * number key * 2^21 + index, and a Float64Array sorts those natively (a comparator sort of the
 * rows costs several times more on the silver hot path).
 */
function sortedBy<R>(rows: readonly R[], key: (r: R) => string): readonly R[] {
  const n = rows.length;
  if (n >= INDEX_SPAN) return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const order = new Float64Array(n);
  // A batch holds a few hundred dates at most: each is read once, then found by its hash.
  const numbers = new Map<string, number>();
  let sorted = true;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const text = key(rows[i]!);
    let k = numbers.get(text);
    if (k === undefined) numbers.set(text, (k = dateNumber(text)));
    if (k < prev) sorted = false;
    prev = k;
    order[i] = k * INDEX_SPAN + i;
  }
  if (sorted) return rows;
  order.sort();
  const out: R[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = order[i]!;
    out[i] = rows[x - Math.floor(x / INDEX_SPAN) * INDEX_SPAN]!; // x % INDEX_SPAN, without a float modulo call
  }
  return out;
}

/** YYYYMMDD as a number, for ordering; text that is not a date sorts first (the date column then refuses it). */
function dateNumber(s: string): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) k = k * 10 + c;
    else if (c !== -3) return 0; // '-'
  }
  return s.length === 10 ? k : 0;
}
