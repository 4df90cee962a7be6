// One strategy per table scope (src/gold/tables.ts): given the plan and the work data after
// the run's rewrites, the files a table's commit adds and the files it removes. Each reads
// only what its scope needs: a year's rollups, a month's rollups, the per-customer state, the
// commits' data-quality rows; never every order of the lake.
import { lit, sqlFile } from './duck';
import { netDataQuality } from './data-quality';
import { GOLD_ROOT, type PublishedFile } from './state';
import { monthParts, outputSelect, writeRangeTable, type RunContext } from './work';
import type { GoldTable } from './tables';
import type { GoldPlan, RunRecord } from './plan';
import type { WorkRange } from './ranges';
import type { BatchCommit } from '../pipeline/ports';
import { EVENT_COLUMNS, ORDER_COLUMNS, emptyOf } from './work-schema';

export interface LiveFile {
  path: string;
  partitionValues: Record<string, string>;
  numRecords: number;
}

export interface StrategyInput {
  ctx: RunContext;
  table: GoldTable;
  plan: GoldPlan;
  /** Publish the whole table. */
  full: boolean;
  /** The table's live files now. */
  live: ReadonlyMap<string, LiveFile>;
  /** Work ranges after the run's rewrites, and the ones the rewrites replaced. */
  ranges: readonly WorkRange[];
  replaced: readonly WorkRange[];
  fresh: readonly BatchCommit[];
  asOf: string | null;
}

export interface StrategyOutput {
  add: PublishedFile[];
  remove: string[];
}

const rollupFiles = (ranges: readonly WorkRange[], kind: string, keep: (r: WorkRange) => boolean) =>
  ranges.filter(keep).map((r) => r.files[kind]).filter((f): f is string => f !== undefined);

/** Writes the whole output of `select` (already ordered) as one file of the table, unpartitioned. */
async function oneFile(input: StrategyInput, select: string, name: string): Promise<PublishedFile[]> {
  const w = await input.ctx.files.writeParquet(select, `${GOLD_ROOT}/${input.table.name}/${name}`, { partitionColumns: input.table.partitionBy });
  return w ? [{ path: name, partitionValues: {}, ...w }] : [];
}

/** range: each range's own file; the rewrites' files were written with their ranges. */
async function rangeStrategy(input: StrategyInput): Promise<StrategyOutput> {
  const { table } = input;
  if (input.full) {
    // A table that does not exist yet: every range's file, from its rollups and events.
    const add: PublishedFile[] = [];
    for (const r of input.ranges) {
      if (r.files[table.name] && input.plan.rewrites.some((w) => w.month === r.month && w.lo <= r.lo && r.hi <= w.hi)) {
        add.push(fromRange(r, table));
        continue;
      }
      await input.ctx.files.parquetView('region', r.files['region'] ? [r.files['region']] : [], `SELECT * FROM (${await sqlFile('_rollup_region')}) WHERE false`);
      await input.ctx.files.parquetView('hour', r.files['hour'] ? [r.files['hour']] : [], `SELECT * FROM (${await sqlFile('_rollup_hour')}) WHERE false`);
      await input.ctx.files.parquetView('events', r.files['events'] ? [r.files['events']] : [], emptyOf(EVENT_COLUMNS));
      await input.ctx.files.duck.run(`CREATE OR REPLACE TEMP VIEW history AS ${await sqlFile('_work_history')}`);
      const out = await writeRangeTable(input.ctx, table, r.month, r.lo, r.hi);
      if (out) {
        r.files[table.name] = out.path;
        (r.outputs ??= {})[table.name] = { size: out.size, numRecords: out.numRecords, ...(out.stats !== undefined ? { stats: out.stats } : {}) };
        add.push({ path: out.path, partitionValues: out.partitionValues, size: out.size, numRecords: out.numRecords, ...(out.stats !== undefined ? { stats: out.stats } : {}) });
      }
    }
    return { add, remove: [...input.live.keys()] };
  }
  const rewritten = input.ranges.filter((r) => input.plan.rewrites.some((w) => w.month === r.month && w.lo <= r.lo && r.hi <= w.hi));
  const replacedPaths = new Set(input.replaced.map((r) => r.files[table.name]).filter((f): f is string => f !== undefined));
  return {
    add: rewritten.filter((r) => r.files[table.name]).map((r) => fromRange(r, table)),
    remove: [...input.live.keys()].filter((p) => replacedPaths.has(p) || !isRangeFile(p)),
  };
}

function fromRange(r: WorkRange, table: GoldTable): PublishedFile {
  const meta = r.outputs?.[table.name];
  if (!meta) throw new Error(`gold: expected the size of ${table.name}'s file of range ${r.lo}..${r.hi} to be recorded`);
  return { path: r.files[table.name]!, partitionValues: monthParts(r.month), size: meta.size, numRecords: meta.numRecords, ...(meta.stats !== undefined ? { stats: meta.stats } : {}) };
}

/** Files of older versions held a date or a whole partition, not a range: the first rewrite of their table replaces them all. */
function isRangeFile(p: string): boolean {
  return /\/part-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}-r\d+\.parquet$/.test(p);
}

/**
 * Where a partition's new rows come from: every range's rollups, or, when that is fewer files,
 * the partition's current rows outside what changed plus the rollups of the ranges that did
 * (the rows are per date, or per month, so a row depends only on its own dates' rollups). A run
 * late in a dense month or year then reads what changed, not every range since the month's or
 * year's start (at 1,000 events/s a date is a range: up to 365 files a run for monthly_revenue).
 */
export function partitionSources(all: readonly string[], changed: readonly string[], live: readonly string[]): { rollups: string[]; keep: string[] } {
  if (!live.length || live.length + changed.length >= all.length) return { rollups: [...all], keep: [] };
  return { rollups: [...changed], keep: [...live] };
}

/** The rows of `table` from the view `kind` over `rollups`, with the current rows of `keep` (table-relative paths) where `kept` holds. */
async function rowsFrom(input: StrategyInput, kind: 'region' | 'hour' | 'category' | 'product', src: { rollups: string[]; keep: string[] }, kept: string): Promise<string> {
  const { table, ctx } = input;
  await ctx.files.parquetView(kind, src.rollups, `SELECT * FROM (${await sqlFile(`_rollup_${kind}`)}) WHERE false`);
  const fresh = await outputSelect(ctx.files, table);
  if (!src.keep.length) return `${fresh} ORDER BY ${table.orderBy.join(', ')}`;
  await ctx.files.parquetView('current_rows', src.keep.map((p) => `${GOLD_ROOT}/${table.name}/${p}`), `${fresh} LIMIT 0`);
  return `SELECT * FROM (SELECT * FROM current_rows WHERE ${kept} UNION ALL BY NAME ${fresh}) ORDER BY ${table.orderBy.join(', ')}`;
}

const livePaths = (input: StrategyInput, keep: (f: LiveFile) => boolean) => [...input.live.values()].filter(keep).map((f) => f.path);

/** month: one file per month partition, from the rollups of the month's ranges; the changed months only (every month when full). */
async function monthStrategy(input: StrategyInput): Promise<StrategyOutput> {
  const { table, ctx } = input;
  const kind = table.reads[0] as 'region' | 'hour';
  const months = input.full ? [...new Set(input.ranges.map((r) => r.month))].sort() : input.plan.months;
  const add: PublishedFile[] = [];
  for (const m of months) {
    const partitionValues = monthParts(m);
    const spans = input.plan.rewrites.filter((w) => w.month === m);
    const rewritten = (r: WorkRange) => spans.some((w) => w.lo <= r.lo && r.hi <= w.hi);
    const inPartition = (f: LiveFile) => f.partitionValues['order_year'] === partitionValues.order_year && f.partitionValues['order_month'] === partitionValues.order_month;
    const all = rollupFiles(input.ranges, kind, (r) => r.month === m);
    const src = input.full ? { rollups: all, keep: [] } : partitionSources(all, rollupFiles(input.ranges, kind, (r) => r.month === m && rewritten(r)), livePaths(input, inPartition));
    const outside = spans.map((w) => `order_date NOT BETWEEN DATE ${lit(w.lo)} AND DATE ${lit(w.hi)}`).join(' AND ') || 'true';
    const rel = `order_year=${partitionValues.order_year}/order_month=${partitionValues.order_month}/part-r${ctx.run}.parquet`;
    const w = await ctx.files.writeParquet(await rowsFrom(input, kind, src, outside), `${GOLD_ROOT}/${table.name}/${rel}`, { partitionColumns: table.partitionBy });
    if (w) add.push({ path: rel, partitionValues, ...w });
  }
  const changed = new Set(months.map((m) => `${monthParts(m).order_year}-${monthParts(m).order_month}`));
  const inChanged = (f: LiveFile) => changed.has(`${f.partitionValues['order_year']}-${f.partitionValues['order_month']}`);
  return { add, remove: [...input.live.values()].filter((f) => input.full || inChanged(f)).map((f) => f.path) };
}

/** year: one file per order_year partition, summed from the rollups of the year's ranges (or the changed months', with the other months' rows kept). */
async function yearStrategy(input: StrategyInput): Promise<StrategyOutput> {
  const { table, ctx } = input;
  const years = input.full ? [...new Set(input.ranges.map((r) => r.month.slice(0, 4)))].sort() : input.plan.years;
  const add: PublishedFile[] = [];
  for (const y of years) {
    const changed = input.plan.months.filter((m) => m.startsWith(`${y}-`));
    const all = rollupFiles(input.ranges, 'region', (r) => r.month.startsWith(`${y}-`));
    const src = input.full
      ? { rollups: all, keep: [] }
      : partitionSources(all, rollupFiles(input.ranges, 'region', (r) => changed.includes(r.month)), livePaths(input, (f) => f.partitionValues['order_year'] === String(Number(y))));
    const kept = changed.length ? `order_month NOT IN (${changed.map((m) => Number(m.slice(5, 7))).join(', ')})` : 'true';
    const rel = `order_year=${Number(y)}/part-r${ctx.run}.parquet`;
    const w = await ctx.files.writeParquet(await rowsFrom(input, 'region', src, kept), `${GOLD_ROOT}/${table.name}/${rel}`, { partitionColumns: table.partitionBy });
    if (w) add.push({ path: rel, partitionValues: { order_year: String(Number(y)) }, ...w });
  }
  const yearSet = new Set(years.map((y) => String(Number(y))));
  return { add, remove: [...input.live.values()].filter((f) => input.full || yearSet.has(f.partitionValues['order_year'] ?? '')).map((f) => f.path) };
}

/** months: the changed months recomputed from their rollups, the other months' rows kept. */
async function monthsStrategy(input: StrategyInput): Promise<StrategyOutput> {
  const { table, ctx } = input;
  const kind = table.reads[0] as 'category' | 'product';
  const months = new Set(input.full ? input.ranges.map((r) => r.month) : input.plan.months);
  const keys = [...months].map((m) => Number(m.slice(0, 4)) * 100 + Number(m.slice(5, 7)));
  const src = { rollups: rollupFiles(input.ranges, kind, (r) => months.has(r.month)), keep: input.full ? [] : [...input.live.keys()] };
  const kept = keys.length ? `NOT list_contains([${keys.join(', ')}], order_year * 100 + order_month)` : 'true';
  return { add: await oneFile(input, await rowsFrom(input, kind, src, kept), `part-r${ctx.run}.parquet`), remove: [...input.live.keys()] };
}

/** customers: rewritten whole from the per-customer state (the view `customers`). */
async function customersStrategy(input: StrategyInput): Promise<StrategyOutput> {
  const { table, ctx } = input;
  const duck = ctx.files.duck;
  if (table.name === 'rfm_segments') {
    if (input.asOf) {
      // An explicit as-of date leaves later orders out: from the order state of every range.
      await ctx.files.parquetView('orders', rollupFiles(input.ranges, 'orders', () => true), emptyOf(ORDER_COLUMNS));
      await duck.run(`CREATE OR REPLACE TEMP VIEW rfm_base AS ${await sqlFile('_rfm_base_orders')}`);
      await duck.run(`SET VARIABLE as_of = DATE ${lit(input.asOf)}`);
    } else {
      await duck.run(`CREATE OR REPLACE TEMP VIEW rfm_base AS ${await sqlFile('_rfm_base_customers')}`);
      await duck.run(`SET VARIABLE as_of = (SELECT max(last_order_date) FROM customers WHERE orders > 0)`);
    }
  }
  return { add: await oneFile(input, `${await outputSelect(ctx.files, table)} ORDER BY ${table.orderBy.join(', ')}`, `part-r${ctx.run}.parquet`), remove: [...input.live.keys()] };
}

/** dq: the table's rows so far plus the new commits' data-quality rows (a replay's net of what it replaced). */
async function dqStrategy(input: StrategyInput): Promise<StrategyOutput> {
  const { table, ctx } = input;
  const rows = netDataQuality(input.fresh).map((r) => `(DATE ${lit(r.ingest_date)}, ${lit(r.code)}, ${lit(r.action)}, ${r.records}::BIGINT)`);
  const empty = `SELECT NULL::DATE AS ingest_date, NULL::VARCHAR AS code, NULL::VARCHAR AS action, NULL::BIGINT AS records WHERE false`;
  const fresh = rows.length ? `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(ingest_date, code, action, records)` : empty;
  await ctx.files.parquetView('dq_current', input.full ? [] : [...input.live.keys()].map((p) => `${GOLD_ROOT}/${table.name}/${p}`), empty);
  await ctx.files.duck.run(`CREATE OR REPLACE TEMP VIEW dq AS SELECT ingest_date, code, action, records FROM dq_current UNION ALL ${fresh}`);
  const select = `SELECT * FROM (${await outputSelect(ctx.files, table)}) WHERE records <> 0 ORDER BY ${table.orderBy.join(', ')}`;
  return { add: await oneFile(input, select, `part-r${ctx.run}.parquet`), remove: [...input.live.keys()] };
}

/** Runs' small files are merged once this many pile up (the merged file is then left alone). */
const RUN_FILES_BEFORE_MERGE = 32;

/** runs: one small file per run; small files merged from time to time, so a run costs one row. */
async function runsStrategy(input: StrategyInput): Promise<StrategyOutput> {
  const { table, ctx } = input;
  const r: RunRecord | undefined = input.plan.runRecord;
  const row = r ? `SELECT ${r.run}::BIGINT AS run, TIMESTAMPTZ ${lit(r.at)} AS run_at, ${r.batches}::BIGINT AS batches, ${r.received}::BIGINT AS received, ${r.written}::BIGINT AS written, ${r.quarantined}::BIGINT AS quarantined, ${r.dropped}::BIGINT AS dropped, ${r.duplicates}::BIGINT AS duplicates, ${r.warned}::BIGINT AS warned, ${r.malformed}::BIGINT AS malformed, ${r.replayedBatches}::BIGINT AS replayed_batches`
    : `SELECT NULL::BIGINT AS run, NULL::TIMESTAMPTZ AS run_at, NULL::BIGINT AS batches, NULL::BIGINT AS received, NULL::BIGINT AS written, NULL::BIGINT AS quarantined, NULL::BIGINT AS dropped, NULL::BIGINT AS duplicates, NULL::BIGINT AS warned, NULL::BIGINT AS malformed, NULL::BIGINT AS replayed_batches WHERE false`;
  const small = input.full ? [] : [...input.live.values()].filter((f) => f.numRecords < RUN_FILES_BEFORE_MERGE);
  const merge = small.length + 1 >= RUN_FILES_BEFORE_MERGE ? small : [];
  await ctx.files.parquetView('runs_old', merge.map((f) => `${GOLD_ROOT}/${table.name}/${f.path}`), `${row} LIMIT 0`);
  await ctx.files.duck.run(`CREATE OR REPLACE TEMP VIEW runs AS SELECT * FROM runs_old UNION ALL BY NAME ${row}`);
  const add = await oneFile(input, `${await outputSelect(ctx.files, table)} ORDER BY run`, `part-r${ctx.run}.parquet`);
  return { add, remove: input.full ? [...input.live.keys()] : merge.map((f) => f.path) };
}

export const STRATEGIES: Record<GoldTable['scope'], (input: StrategyInput) => Promise<StrategyOutput>> = {
  range: rangeStrategy,
  month: monthStrategy,
  year: yearStrategy,
  months: monthsStrategy,
  customers: customersStrategy,
  dq: dqStrategy,
  runs: runsStrategy,
};
