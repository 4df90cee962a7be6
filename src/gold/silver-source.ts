// Silver as gold reads it: which committed files hold rows of a range of order dates, and the
// rows themselves as DuckDB tables (new_events, new_lines) with money in cents. Only files named
// by live commits are read (a lost race or a crashed attempt leaves files no commit names).
// Silver is Parquet, one file per table per batch, each with its order_date range in its Delta
// statistics; batches written before silver became Delta are JSON lines, one file per date.
import { jsonObjectSizeOption, lit } from './duck';
import type { GoldFiles } from './io';
import type { BatchCommit } from '../pipeline/ports';
import type { DeltaSnapshot } from '../delta';
import type { DateSpan } from './ranges';
import { SILVER_TABLES } from '../pipeline/refine-batch';

export interface SilverFiles {
  events: string[];
  lines: string[];
  /** Files to read only for these order dates, by lake path (staged changes: src/gold/fold.ts stagedFor). */
  datesOf?: Record<string, readonly string[]>;
  /** The longest JSON event line among them (bytes, upper bound), when over DuckDB's 16 MB default. */
  longestLineBytes: number;
  /** Also read the rows preloadSilverRows read once for the run's merges (its tables; loadSilverRows takes the spans it loads from them). */
  preloaded?: boolean;
}

/** The tables preloadSilverRows fills, by kind. */
const PRELOADED = { events: 'silver_events_once', lines: 'silver_lines_once' } as const;

const JSON_FILE = /^silver\/(order_events|order_lines)\/order_date=(\d{4}-\d{2}-\d{2})\//;

/** The order_date range of a Parquet file from its statistics (undefined when they do not say). */
function dateRange(c: BatchCommit, file: string): { lo: string; hi: string } | undefined {
  const s = c.fileStats?.[file]?.stats;
  if (!s) return undefined;
  const stats = JSON.parse(s) as { minValues?: Record<string, unknown>; maxValues?: Record<string, unknown> };
  const lo = stats.minValues?.['order_date'];
  const hi = stats.maxValues?.['order_date'];
  return typeof lo === 'string' && typeof hi === 'string' ? { lo, hi } : undefined;
}

/** The silver files of these commits holding rows of an order date in any of the spans (each file looked at once). */
export function silverFilesOf(commits: readonly BatchCommit[], spans: readonly DateSpan[]): SilverFiles {
  const out: SilverFiles = { events: [], lines: [], longestLineBytes: 0 };
  const meets = (lo: string, hi: string) => spans.some((s) => !(hi < s.lo || lo > s.hi));
  for (const c of commits) {
    let usedJson = false;
    for (const f of c.files) {
      const json = JSON_FILE.exec(f);
      if (json) {
        if (!meets(json[2]!, json[2]!)) continue;
        (json[1] === 'order_events' ? out.events : out.lines).push(f);
        usedJson = true;
        continue;
      }
      const table = f.startsWith(`${SILVER_TABLES.events}/`) ? out.events : f.startsWith(`${SILVER_TABLES.lines}/`) ? out.lines : undefined;
      if (!table) continue;
      const range = dateRange(c, f);
      if (range && !meets(range.lo, range.hi)) continue;
      table.push(f);
    }
    if (usedJson && (c.longestLineBytes ?? 0) > out.longestLineBytes) out.longestLineBytes = c.longestLineBytes!;
  }
  return out;
}

/**
 * What a group of merges reads: the run's new silver rows (`fresh`: files, or the rows preloaded
 * for every group) and the changes staged for the deferred dates it covers (src/gold/fold.ts
 * stagedFor), each staged file read once, for the dates of every rewrite that takes it.
 */
export function mergeSource(fresh: SilverFiles, staged: ReadonlyArray<{ changes: Partial<Record<'events' | 'lines', string>>; dates: readonly string[] }>): SilverFiles {
  const events = [...fresh.events];
  const lines = [...fresh.lines];
  const datesOf: Record<string, string[]> = {};
  for (const { changes, dates } of staged) {
    for (const [kind, list] of [['events', events], ['lines', lines]] as const) {
      const f = changes[kind];
      if (!f) continue;
      if (!datesOf[f]) list.push(f);
      datesOf[f] = [...(datesOf[f] ?? []), ...dates].sort();
    }
  }
  return { ...fresh, events, lines, datesOf };
}

/**
 * The silver files holding rows of order dates lo..hi, for a rebuild: the Parquet files the
 * silver Delta tables hold now (compaction may have replaced the batches' own files), chosen by
 * their order_date statistics, and the JSON files of live batches written before silver was Delta.
 */
export function silverFilesOfTables(events: DeltaSnapshot | undefined, lines: DeltaSnapshot | undefined, legacy: readonly BatchCommit[], lo: string, hi: string): SilverFiles {
  const pick = (snap: DeltaSnapshot | undefined) => [...(snap?.files.values() ?? [])].filter((f) => {
    const min = f.stats?.minValues?.['order_date'];
    const max = f.stats?.maxValues?.['order_date'];
    return typeof min !== 'string' || typeof max !== 'string' || !(max < lo || min > hi);
  }).map((f) => `${snap!.table}/${f.key}`);
  const old = silverFilesOf(legacy.map((c) => ({ ...c, files: c.files.filter((f) => JSON_FILE.test(f)) })), [{ lo, hi }]);
  return { events: [...pick(events), ...old.events], lines: [...pick(lines), ...old.lines], longestLineBytes: old.longestLineBytes };
}

const EVENT_JSON = `{event_id: 'VARCHAR', order_id: 'VARCHAR', status: 'VARCHAR', status_rank: 'INTEGER', event_time: 'TIMESTAMPTZ', order_time: 'TIMESTAMPTZ', order_date: 'DATE', order_year: 'INTEGER', order_month: 'INTEGER', customer_id: 'VARCHAR', region: 'VARCHAR', item_count: 'BIGINT', order_total_usd: 'DOUBLE', is_high_value_order: 'BOOLEAN'}`;
const LINE_JSON = `{event_id: 'VARCHAR', order_id: 'VARCHAR', line_number: 'INTEGER', product_id: 'VARCHAR', product_name: 'VARCHAR', category: 'VARCHAR', quantity: 'BIGINT', line_total_usd: 'DOUBLE', order_date: 'DATE'}`;
const EVENT_FIELDS = 'event_id, order_id, status, status_rank, event_time, order_time, order_date, order_year, order_month, customer_id, region, item_count, order_total_usd, is_high_value_order';
const LINE_FIELDS = 'event_id, order_id, line_number, product_id, product_name, category, quantity, line_total_usd, order_date';

/** No silver rows, typed as silver's columns. */
const EVENTS_NONE = `(SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS order_id, NULL::VARCHAR AS status, NULL::INTEGER AS status_rank, NULL::TIMESTAMPTZ AS event_time, NULL::TIMESTAMPTZ AS order_time, NULL::DATE AS order_date, NULL::INTEGER AS order_year, NULL::INTEGER AS order_month, NULL::VARCHAR AS customer_id, NULL::VARCHAR AS region, NULL::BIGINT AS item_count, NULL::DOUBLE AS order_total_usd, NULL::BOOLEAN AS is_high_value_order WHERE false)`;
const LINES_NONE = `(SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS order_id, NULL::INTEGER AS line_number, NULL::VARCHAR AS product_id, NULL::VARCHAR AS product_name, NULL::VARCHAR AS category, NULL::BIGINT AS quantity, NULL::DOUBLE AS line_total_usd, NULL::DATE AS order_date WHERE false)`;

/** A SQL condition: order_date is in one of the spans. */
const orderDateWithin = (spans: readonly DateSpan[]) => `(${spans.map(({ lo, hi }) => `order_date BETWEEN DATE ${lit(lo)} AND DATE ${lit(hi)}`).join(' OR ') || 'false'})`;

/** A SQL condition: order_date is one of `dates`. */
const orderDateIn = (dates: readonly string[]) => `order_date IN (${dates.map((d) => `DATE ${lit(d)}`).join(', ')})`;

/** DuckDB's read_json option for the longest JSON line among the files, when over its default. */
function jsonLineLimit(src: SilverFiles): string {
  return jsonObjectSizeOption(src.longestLineBytes);
}

/**
 * The columns gold needs from silver files, Parquet and (older) JSON lines alike, as one
 * relation: one read per format and date restriction (`src.datesOf`), and the `preloaded`
 * table's rows when given.
 */
async function silverSource(files: GoldFiles, src: SilverFiles, paths: readonly string[], fields: string, jsonColumns: string, limit: string, empty: string, preloaded?: string): Promise<string> {
  const local = await files.local(paths);
  const groups = new Map<string, { json: boolean; dates: readonly string[] | undefined; files: string[] }>();
  paths.forEach((p, i) => {
    const json = !p.endsWith('.parquet');
    const dates = src.datesOf?.[p];
    const key = `${json}|${dates?.join(',') ?? '*'}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { json, dates, files: [] }));
    g.files.push(local[i]!);
  });
  const parts = [...groups.values()].map((g) => {
    const read = g.json
      ? `read_json([${g.files.map(lit).join(', ')}], format = 'newline_delimited', columns = ${jsonColumns}${limit})`
      : `read_parquet([${g.files.map(lit).join(', ')}], hive_partitioning = false)`;
    return `SELECT ${fields} FROM ${read}${g.dates ? ` WHERE ${orderDateIn(g.dates)}` : ''}`;
  });
  if (preloaded) parts.push(`SELECT ${fields} FROM ${preloaded}`);
  return parts.length ? `(${parts.join(' UNION ALL BY NAME ')})` : empty;
}

/**
 * new_events and new_lines: the silver rows of order dates in the spans in these files. A JSON silver
 * line may hold a megabyte extra field (contract v1.1); DuckDB reads 16 MB per line unless told,
 * and a larger limit costs buffers of that size, so it is raised only when a commit recorded more.
 */
export async function loadSilverRows(files: GoldFiles, src: SilverFiles, spans: readonly DateSpan[]): Promise<void> {
  const limit = jsonLineLimit(src);
  const inRange = orderDateWithin(spans);
  const events = await silverSource(files, src, src.events, EVENT_FIELDS, EVENT_JSON, limit,
    EVENTS_NONE, src.preloaded ? PRELOADED.events : undefined);
  // Money becomes integer cents here: silver holds 2-decimal USD, so the rounding is exact
  // (sql/_macros.sql: cents and big cents, so no value can overflow a sum).
  await files.duck.run(`CREATE OR REPLACE TEMP TABLE new_events AS SELECT event_id, order_id, status, status_rank,
    CAST(event_time AS TIMESTAMPTZ) AS event_time, CAST(order_time AS TIMESTAMPTZ) AS order_time,
    order_date, order_year, order_month, customer_id, region, CAST(item_count AS BIGINT) AS item_count,
    cents_of(order_total_usd) AS total_cents, big_cents_of(order_total_usd) AS total_big, is_high_value_order AS is_high_value
    FROM ${events} WHERE ${inRange}`);
  const lines = await silverSource(files, src, src.lines, LINE_FIELDS, LINE_JSON, '',
    LINES_NONE, src.preloaded ? PRELOADED.lines : undefined);
  // A line total is at most 1000 x 100000 x 1.27 USD (the quantity and price rules): BIGINT cents hold it.
  await files.duck.run(`CREATE OR REPLACE TEMP TABLE new_lines AS SELECT event_id, order_id, line_number, product_id, product_name, category, CAST(quantity AS BIGINT) AS quantity,
    CAST(round(line_total_usd * 100) AS BIGINT) AS line_cents, order_date FROM ${lines} WHERE ${inRange}`);
}

/**
 * Reads the rows of these commits' silver files within any of `spans` (order dates, inclusive)
 * once, into tables sorted by order_date, and returns the source that reads them back: a run
 * whose merges rewrite several ranges (two months, or a dense month's ranges) then reads each
 * new silver file once, not once per range it reaches. DuckDB skips a range's other dates by
 * the tables' zone maps. They hold at most a step's new rows (build-gold.ts MAX_COMMITS_PER_STEP),
 * spilled to disk beyond DuckDB's memory limit. Dropped by dropPreloadedSilver.
 */
export async function preloadSilverRows(files: GoldFiles, commits: readonly BatchCommit[], spans: readonly DateSpan[]): Promise<SilverFiles> {
  const src = silverFilesOf(commits, spans);
  const inSpans = orderDateWithin(spans);
  for (const [kind, fields, json, none] of [['events', EVENT_FIELDS, EVENT_JSON, EVENTS_NONE], ['lines', LINE_FIELDS, LINE_JSON, LINES_NONE]] as const) {
    const from = await silverSource(files, src, src[kind], fields, json, kind === 'events' ? jsonLineLimit(src) : '', none);
    await files.duck.run(`CREATE OR REPLACE TEMP TABLE ${PRELOADED[kind]} AS SELECT ${fields} FROM ${from} WHERE ${inSpans} ORDER BY order_date`);
  }
  return { events: [], lines: [], longestLineBytes: 0, preloaded: true };
}

/** Frees what preloadSilverRows read. */
export async function dropPreloadedSilver(files: GoldFiles): Promise<void> {
  for (const table of Object.values(PRELOADED)) await files.duck.run(`DROP TABLE IF EXISTS ${table}`);
}

/**
 * Writes the silver rows of `dates` in these files, columns as silver has them, to one events
 * and one lines file (sorted by order_date); returns the paths written (none for no rows).
 * Read back like silver's own files (loadSilverRows), by a later fold.
 */
export async function writeSilverRows(files: GoldFiles, src: SilverFiles, dates: readonly string[], to: { events: string; lines: string }): Promise<{ events?: string; lines?: string; orders: Record<string, number> }> {
  const limit = jsonLineLimit(src);
  const inDates = orderDateIn(dates);
  const out: { events?: string; lines?: string; orders: Record<string, number> } = { orders: {} };
  for (const [kind, fields, json, paths, order] of [
    ['events', EVENT_FIELDS, EVENT_JSON, src.events, 'order_date, order_id, event_time'],
    ['lines', LINE_FIELDS, LINE_JSON, src.lines, 'order_date, order_id, line_number'],
  ] as const) {
    if (!paths.length) continue;
    const from = await silverSource(files, src, paths, fields, json, kind === 'events' ? limit : '', '');
    // The silver files are read once: the rows to stage are kept, then written and counted.
    await files.duck.run(`CREATE OR REPLACE TEMP TABLE staging AS SELECT ${fields} FROM ${from} WHERE ${inDates}`);
    if (await files.writeParquet(`SELECT * FROM staging ORDER BY ${order}`, to[kind], { stats: false })) out[kind] = to[kind];
    if (kind === 'events') {
      // Orders per date among the rows staged: what folding a date gold never held will cost.
      const rows = await files.duck.rows(`SELECT strftime(order_date, '%Y-%m-%d') AS d, count(DISTINCT order_id)::BIGINT AS n FROM staging GROUP BY order_date`);
      for (const r of rows) out.orders[String(r['d'])] = Number(r['n']);
    }
  }
  await files.duck.run('DROP TABLE IF EXISTS staging');
  return out;
}
