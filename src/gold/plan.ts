// The gold planner: pure, no I/O and no DuckDB. From gold's state, the silver commits since
// its cursor and which tables exist, it decides what a run does: which work ranges to rewrite
// (merged with the new events, or rebuilt from silver after a replay), which years and months
// the month-level tables recompute, and which tables to publish, in full or in part.
import { netCounts } from '../pipeline/heads';
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';
import type { BatchCommit } from '../pipeline/ports';
import { planRewrites, type RangeRewrite } from './ranges';
import { GOLD_TABLES, type Scope } from './tables';
import type { GoldManifest } from './state';

export interface RangeLimits {
  /** A range holds at most this many orders (a single date may hold more, alone). */
  maxOrders: number;
  /** A range below this many orders is folded into a neighbour that is rewritten anyway. */
  minOrders: number;
}

export interface PlanInput {
  manifest: GoldManifest;
  /** True when gold has no work data of this version yet: every date silver holds is rebuilt. */
  firstBuild: boolean;
  /** Commits since the manifest's cursor, in commit order. */
  fresh: readonly BatchCommit[];
  /** Every order date silver holds; only read when `firstBuild`. */
  allDates: readonly string[];
  /** Tables that exist (a table missing is published whole from the work data). */
  existingTables: ReadonlySet<string>;
  asOf: string | null;
  limits: RangeLimits;
  now: Date;
}

export interface RunRecord extends BatchCounts {
  run: number;
  at: string;
  /** New batches this run took in. */
  batches: number;
  /** Replays among this run's commits: their counts are net of the commits they replaced. */
  replayedBatches: number;
}

export interface RewritePlan extends RangeRewrite {
  /** Rebuild the dates from silver instead of merging new events into the work data (a replay may have removed events). */
  rebuild: boolean;
}

export interface TablePlan {
  name: string;
  scope: Scope;
  /** Publish the whole table from the work data (it does not exist yet). */
  full: boolean;
}

export interface GoldPlan {
  run: number;
  rewrites: RewritePlan[];
  /**
   * Orders the ranges to rewrite hold now: a range is rewritten whole, so this (with the new
   * orders) is the run's work, known before any of it is done.
   */
  ordersToRewrite: number;
  /** order_year values whose monthly rows change. */
  years: string[];
  /** YYYY-MM of months whose rows change: category and product rows, and the month partitions of daily_region_metrics and hourly_sales. */
  months: string[];
  /** Whether the per-customer state and the customer tables change. */
  customers: boolean;
  tables: TablePlan[];
  /** The run's row of data_quality_runs (undefined when no commit is new). */
  runRecord: RunRecord | undefined;
  /** The silver position after this run, per source partition. */
  positions: Record<string, number>;
}

/** Nothing to do: no new commit, every table exists, the as-of date is the same. */
export function isIdle(input: PlanInput): boolean {
  return !input.firstBuild && !input.fresh.length && GOLD_TABLES.every((t) => input.existingTables.has(t.name)) && input.asOf === input.manifest.asOf;
}

export function planRun(input: PlanInput): GoldPlan {
  const { manifest, fresh } = input;
  const run = manifest.runs + 1;
  const changed = new Set<string>();
  const rebuild = new Set<string>();
  for (const c of fresh) {
    for (const d of c.orderDates) {
      changed.add(d);
      if (c.replaces) rebuild.add(d);
    }
  }
  if (input.firstBuild) for (const d of input.allDates) {
    changed.add(d);
    rebuild.add(d);
  }
  const ranges = input.firstBuild ? [] : manifest.ranges;
  const rewrites: RewritePlan[] = planRewrites(ranges, changed, input.limits.minOrders).map((r) => ({
    ...r,
    rebuild: [...rebuild].some((d) => d >= r.lo && d <= r.hi),
  }));
  const months = [...new Set(rewrites.map((r) => r.month))].sort();
  const years = [...new Set(months.map((m) => m.slice(0, 4)))].sort();
  const asOfChanged = input.asOf !== manifest.asOf;

  const tables: TablePlan[] = [];
  for (const t of GOLD_TABLES) {
    const full = input.firstBuild || !input.existingTables.has(t.name);
    const touched = {
      range: rewrites.length > 0,
      month: months.length > 0,
      year: years.length > 0,
      months: months.length > 0,
      // The as-of date only moves the tables built on it (rfm_base).
      customers: rewrites.length > 0 || (asOfChanged && t.reads.includes('rfm_base')),
      dq: fresh.length > 0,
      runs: fresh.length > 0,
    }[t.scope];
    if (full || touched) tables.push({ name: t.name, scope: t.scope, full });
  }

  const positions = { ...(input.firstBuild ? {} : manifest.positions) };
  for (const c of fresh) if (c.seq !== undefined && c.seq > (positions[c.partition] ?? 0)) positions[c.partition] = c.seq;

  let runRecord: RunRecord | undefined;
  if (fresh.length) {
    const counts = emptyCounts();
    for (const c of fresh) addCounts(counts, netCounts(c));
    const replayedBatches = fresh.filter((c) => c.replaces).length;
    runRecord = { ...counts, run, at: input.now.toISOString(), batches: fresh.length - replayedBatches, replayedBatches };
  }
  const ordersToRewrite = rewrites.reduce((n, r) => n + r.replaces.reduce((m, x) => m + x.orders, 0), 0);
  return { run, rewrites, ordersToRewrite, years, months, customers: rewrites.length > 0 || asOfChanged || tables.some((t) => t.scope === 'customers' && t.full), tables, runRecord, positions };
}
