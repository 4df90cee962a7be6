// Rewriting work ranges (src/gold/ranges.ts): the order state, events and current lines of
// their dates, merged with the new silver rows (or rebuilt from silver after a replay), cut into
// ranges of bounded size again, with each range's rollups and its files of the range tables
// (order_status_history). Small merges of a run go together in one pass (plan.ts
// groupRewrites). What the rewrite changes per customer is added to `customer_deltas` for the
// per-customer state.
import { sqlFile, lit } from './duck';
import { cutRanges, type WorkRange } from './ranges';
import { loadSilverRows, type SilverFiles } from './silver-source';
import { EVENT_COLUMNS, LINE_COLUMNS, ORDER_COLUMNS, emptyOf } from './work-schema';
import { GOLD_ROOT, WORK_ROOT } from './state';
import { GOLD_TABLES, type GoldTable } from './tables';
import type { GoldFiles } from './io';
import type { RewritePlan } from './plan';

/** Work files of a range, by kind; range tables' files are kept beside them. */
export const WORK_KINDS = ['orders', 'events', 'lines', 'region', 'hour', 'category', 'product'] as const;
export const RANGE_TABLES: readonly GoldTable[] = GOLD_TABLES.filter((t) => t.scope === 'range');

export interface RangeOutput {
  table: string;
  path: string;
  partitionValues: Record<string, string>;
  size: number;
  numRecords: number;
  stats?: string;
}

export interface RunContext {
  files: GoldFiles;
  run: number;
  maxOrders: number;
  progress(message: string): void;
}

/** The partition values of a YYYY-MM month (order_year, order_month, as unpadded numbers). */
export const monthParts = (month: string) => ({ order_year: String(Number(month.slice(0, 4))), order_month: String(Number(month.slice(5, 7))) });

/**
 * Rewrites the dates of a group of rewrites (disjoint date spans, all merges or all rebuilds;
 * plan.ts groupRewrites puts a rebuild alone):
 * returns the ranges that replace their `replaces`, with their files written. A group is merged
 * in one pass of DuckDB statements (a statement's fixed cost, not the rows, is most of a small
 * range's rewrite); an order's events still meet only within their own rewrite, as when each
 * was rewritten alone (docs/contract.md, section 7): the merge SQL keys by rewrite_of(order_date).
 */
export async function rewriteRanges(ctx: RunContext, group: readonly RewritePlan[], silver: SilverFiles): Promise<{ ranges: WorkRange[]; outputs: RangeOutput[] }> {
  const { files } = ctx;
  const duck = files.duck;
  const rebuild = group[0]?.rebuild ?? false;
  if (group.some((rw) => rw.rebuild !== rebuild)) throw new Error(`expected a group of rewrites to be all merges or all rebuilds, got ${group.map((rw) => `${rw.lo}..${rw.hi} ${rw.rebuild ? 'rebuild' : 'merge'}`).join(', ')}`);
  const old = (kind: string) => group.flatMap((rw) => rw.replaces.map((r) => r.files[kind]).filter((f): f is string => f !== undefined));
  await files.parquetView('old_orders', old('orders'), emptyOf(ORDER_COLUMNS));
  await files.parquetView('old_events', old('events'), emptyOf(EVENT_COLUMNS));
  await files.parquetView('old_lines', old('lines'), emptyOf(LINE_COLUMNS));
  // Merge: the new rows join the state so far. Rebuild (a replay may have removed events): silver alone.
  for (const kind of ['orders', 'events', 'lines'] as const) {
    const columns = { orders: ORDER_COLUMNS, events: EVENT_COLUMNS, lines: LINE_COLUMNS }[kind];
    await duck.run(`CREATE OR REPLACE TEMP VIEW base_${kind} AS ${rebuild ? emptyOf(columns) : `SELECT * FROM old_${kind}`}`);
  }
  await duck.run(`CREATE OR REPLACE MACRO rewrite_of(d) AS ${rewriteOf(group)}`);
  await loadSilverRows(files, silver, group);
  await duck.run(`CREATE OR REPLACE TEMP VIEW candidates AS ${await sqlFile('_candidates')}`);
  await duck.run(`CREATE OR REPLACE TEMP TABLE orders_new AS ${await sqlFile('_merge_orders')}`);
  await duck.run(`CREATE OR REPLACE TEMP TABLE lines_new AS ${await sqlFile('_merge_lines')}`);
  await duck.run(`CREATE OR REPLACE TEMP TABLE events_new AS ${await sqlFile('_merge_events')}`);
  await duck.run(`INSERT INTO customer_deltas ${await sqlFile('_customer_deltas')}`);

  const counts = (await duck.rows(`SELECT strftime(order_date, '%Y-%m-%d') AS d, count(*)::BIGINT AS n FROM orders_new GROUP BY order_date ORDER BY order_date`))
    .map((r) => [String(r['d']), Number(r['n'])] as const);
  const outside = counts.find(([d]) => !group.some((rw) => rw.lo <= d && d <= rw.hi));
  if (outside) throw new Error(`expected order dates within the rewrites' spans ${group.map((rw) => `${rw.lo}..${rw.hi}`).join(', ')}, got ${outside[0]}`);
  if (group.length > 1) ctx.progress(`gold: ${group.length} work range rewrites in one pass`);
  const ranges: WorkRange[] = [];
  const outputs: RangeOutput[] = [];
  for (const rw of group) {
    const mine = counts.filter(([d]) => rw.lo <= d && d <= rw.hi);
    for (const cut of cutRanges(rw.lo, rw.hi, mine, ctx.maxOrders)) {
      const made = await writeRange(ctx, rw.month, cut);
      ranges.push(made.range);
      outputs.push(...made.outputs);
    }
    ctx.progress(`gold: work ${rw.month} ${rw.lo}..${rw.hi} (${rw.rebuild ? 'rebuilt from silver' : 'merged'}, ${mine.reduce((s, [, n]) => s + n, 0).toLocaleString('en-US')} orders)`);
  }
  return { ranges, outputs };
}

/** The SQL of rewrite_of(d): which rewrite of the group an order date belongs to (its index). */
function rewriteOf(group: readonly RewritePlan[]): string {
  if (group.length < 2) return '0';
  return `CASE ${group.map((rw, i) => `WHEN d BETWEEN DATE ${lit(rw.lo)} AND DATE ${lit(rw.hi)} THEN ${i}`).join(' ')} END`;
}

/** One new range of the merged state (orders_new, lines_new, events_new): its work files, rollups and range tables' files. */
async function writeRange(ctx: RunContext, month: string, cut: { lo: string; hi: string; orders: number }): Promise<{ range: WorkRange; outputs: RangeOutput[] }> {
  const { files } = ctx;
  const duck = files.duck;
  const range: WorkRange = { month, lo: cut.lo, hi: cut.hi, orders: cut.orders, files: {} };
  const outputs: RangeOutput[] = [];
  const within = `order_date BETWEEN DATE ${lit(cut.lo)} AND DATE ${lit(cut.hi)}`;
  await duck.run(`CREATE OR REPLACE TEMP VIEW orders AS SELECT * FROM orders_new WHERE ${within}`);
  await duck.run(`CREATE OR REPLACE TEMP VIEW lines AS SELECT * FROM lines_new WHERE ${within}`);
  await duck.run(`CREATE OR REPLACE TEMP VIEW events AS SELECT * FROM events_new WHERE ${within}`);
  // The order state, events and lines are written unsorted: every reader joins, groups or
  // windows them, and sorting was 16% of an incremental run (docs/performance-notes.md).
  const sources: Record<(typeof WORK_KINDS)[number], string> = {
    orders: 'SELECT * FROM orders',
    events: 'SELECT * FROM events',
    lines: 'SELECT * FROM lines',
    region: `SELECT * FROM (${await sqlFile('_rollup_region')}) ORDER BY order_date, region`,
    hour: `SELECT * FROM (${await sqlFile('_rollup_hour')}) ORDER BY order_hour, region`,
    category: `SELECT * FROM (${await sqlFile('_rollup_category')}) ORDER BY order_date, category`,
    product: `SELECT * FROM (${await sqlFile('_rollup_product')}) ORDER BY order_date, product_id`,
  };
  for (const kind of WORK_KINDS) {
    const p = `${WORK_ROOT}/${kind}/month=${month}/${cut.lo}_${cut.hi}-r${ctx.run}.parquet`;
    if (await files.writeParquet(sources[kind], p, { stats: false })) range.files[kind] = p;
  }
  // The range tables' files of this range (order_status_history), from its events.
  await duck.run(`CREATE OR REPLACE TEMP VIEW history AS ${await sqlFile('_work_history')}`);
  for (const t of RANGE_TABLES) {
    const out = await writeRangeTable(ctx, t, month, cut.lo, cut.hi);
    if (out) {
      range.files[t.name] = out.path;
      (range.outputs ??= {})[t.name] = { size: out.size, numRecords: out.numRecords, ...(out.stats !== undefined ? { stats: out.stats } : {}) };
      outputs.push(out);
    }
  }
  return { range, outputs };
}

/** One range's file of a range table, from the views `region`, `hour` and `history` over that range. */
export async function writeRangeTable(ctx: RunContext, t: GoldTable, month: string, lo: string, hi: string): Promise<RangeOutput | undefined> {
  const rel = `${t.partitionBy.map((c) => `${c}=${monthParts(month)[c as 'order_year' | 'order_month']}`).join('/')}/part-${lo}_${hi}-r${ctx.run}.parquet`;
  const written = await ctx.files.writeParquet(`${await outputSelect(ctx.files, t)} ORDER BY ${t.orderBy.join(', ')}`, `${GOLD_ROOT}/${t.name}/${rel}`, { partitionColumns: t.partitionBy });
  return written && { table: t.name, path: rel, partitionValues: monthParts(month), ...written };
}

/**
 * A table's SQL with its output columns: the contract's first, then partition helpers. Sums of
 * counts come out as HUGEINT, which Parquet has not (DuckDB would write a double): back to BIGINT.
 */
export async function outputSelect(files: GoldFiles, t: GoldTable): Promise<string> {
  const sql = await sqlFile(t.name);
  const types = new Map((await files.duck.columns(`(${sql})`)).map((c) => [c.name, c.type]));
  const ordered = [...t.columns, ...t.partitionBy.filter((c) => !t.columns.includes(c))];
  for (const c of ordered) if (!types.has(c)) throw new Error(`gold table ${t.name}: expected column ${c} from sql/${t.name}.sql, got ${[...types.keys()].join(', ')}`);
  return `SELECT ${ordered.map((c) => (types.get(c) === 'HUGEINT' ? `CAST(${c} AS BIGINT) AS ${c}` : c)).join(', ')} FROM (${sql})`;
}
