// The gold planner: pure, no I/O and no DuckDB. From gold's state, the silver commits since
// its cursor and which tables exist, it decides what a run does: which work ranges to rewrite
// (merged with the new events, or rebuilt from silver after a replay), which years and months
// the month-level tables recompute, and which tables to publish, in full or in part.
import { netCounts } from '../pipeline/heads';
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';
import type { BatchCommit } from '../pipeline/ports';
import { overlappingMonths, planRewrites, type RangeRewrite } from './ranges';
import { byAge, chooseFolds, type DeferredDate, type DeferredSince, type FoldPolicy } from './fold';
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
  /** Hot and cold dates (src/gold/fold.ts); without one, every change is applied in the run that takes it in. */
  fold?: FoldPolicy;
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
  /**
   * Set when the rewrite covers deferred dates (and merges): each date with the run that deferred
   * it. Its new rows are also the changes staged for those dates, each from its own run on: a
   * staged file may hold rows of another date of the span from before that date was rebuilt.
   */
  staged?: DeferredSince[];
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
  /**
   * Rebuild the per-customer state from every range's orders: a month's ranges overlapped, so
   * the deltas that kept it may have counted orders twice.
   */
  rebuildCustomers: boolean;
  tables: TablePlan[];
  /** The run's row of data_quality_runs (undefined when no commit is new). */
  runRecord: RunRecord | undefined;
  /** The silver position after this run, per source partition. */
  positions: Record<string, number>;
  /** Cold dates whose changes still wait after this run (src/gold/fold.ts). */
  deferred: DeferredDate[];
  /** Dates of `deferred` that the run's new commits change: their new rows are staged for the fold. */
  stage: string[];
  /** Staged changes of this run and later are still needed (undefined: none are). */
  keepStagedFrom: number | undefined;
}

/** Nothing to do: no new commit, every table exists, the as-of date is the same. */
export function isIdle(input: PlanInput): boolean {
  return !input.firstBuild && !input.fresh.length && !input.manifest.deferred?.length && !overlappingMonths(input.manifest.ranges).size && GOLD_TABLES.every((t) => input.existingTables.has(t.name)) && input.asOf === input.manifest.asOf;
}

/** The date with its staged orders left out (unknown to the fold's cost). */
function withoutOrders({ orders: _unknown, ...d }: DeferredDate): DeferredDate {
  return d;
}

export function planRun(input: PlanInput): GoldPlan {
  const { manifest, fresh } = input;
  const run = manifest.runs + 1;
  const positions = { ...(input.firstBuild ? {} : manifest.positions) };
  for (const c of fresh) if (c.seq !== undefined && c.seq > (positions[c.partition] ?? 0)) positions[c.partition] = c.seq;

  const changed = new Set<string>();
  for (const c of fresh) for (const d of c.orderDates) changed.add(d);
  if (input.firstBuild) for (const d of input.allDates) changed.add(d);
  // A replay may have removed events: a date it touches cannot be merged, only rebuilt from silver.
  const replayed = new Set(fresh.filter((c) => c.replaces).flatMap((c) => c.orderDates));
  // Cold dates wait (a first build takes everything); without a policy every date is hot. A
  // date deferred by a version that folded from the commit log is rebuilt from silver.
  const deferred = new Map((input.firstBuild ? [] : manifest.deferred ?? []).map((d) => [d.date, d.after ? { date: d.date, since: d.since, at: d.at, rebuild: true } : d] as const));
  const now = new Set<string>();
  for (const d of changed) {
    if (input.firstBuild || !input.fold || d >= input.fold.hotFrom) {
      now.add(d);
      continue;
    }
    const was = deferred.get(d);
    const rebuild = replayed.has(d) || was?.rebuild === true;
    deferred.set(d, { date: d, since: was?.since ?? run, at: was ? was.at : input.now.toISOString(), ...(was?.orders !== undefined ? { orders: was.orders } : {}), ...(rebuild ? { rebuild: true } : {}) });
  }
  const ranges = input.firstBuild ? [] : manifest.ranges;
  const { minOrders, maxOrders } = input.limits;
  // A month whose ranges overlap (an older version's bug) is rebuilt from silver whole, changed or not.
  const damaged = overlappingMonths(ranges);
  // What the run rewrites anyway counts against its budget first: the ranges the hot dates'
  // rewrites replace (small neighbours included) and the damaged months.
  const hot = new Set([...planRewrites(ranges, now, minOrders, maxOrders).flatMap((r) => r.replaces), ...ranges.filter((r) => damaged.has(r.month))]);
  const replacedBy = (d: string) => planRewrites(ranges, [d], minOrders, maxOrders).flatMap((r) => r.replaces);
  // A date's staged orders are its cost only when this run brings it nothing more: a fold also
  // merges this run's rows of it (a day's bulk after an outage), and a rebuild reads it whole.
  const costed = [...deferred.values()].map((d) => (changed.has(d.date) || d.rebuild ? withoutOrders(d) : d));
  const folds = input.fold ? chooseFolds(costed, replacedBy, input.fold.coldOrdersPerRun, hot, input.fold.overdueBefore) : [...deferred.keys()];
  for (const d of folds) now.add(d);

  const repairs: RangeRewrite[] = [...damaged].sort().map((month) => {
    const replaces = ranges.filter((r) => r.month === month);
    const span = [...replaces.flatMap((r) => [r.lo, r.hi]), ...[...now].filter((d) => d.startsWith(`${month}-`))].sort();
    return { month, replaces, lo: span[0]!, hi: span[span.length - 1]! };
  });
  // A rewrite never spans a date left waiting: it would fold it, uncounted (a whole day's orders after an outage).
  const waiting = new Set([...deferred.keys()].filter((d) => !now.has(d)));
  const planned = planRewrites(ranges.filter((r) => !damaged.has(r.month)), [...now].filter((d) => !damaged.has(d.slice(0, 7))), minOrders, maxOrders, waiting);
  const rewrites: RewritePlan[] = [...planned, ...repairs].sort((a, b) => a.lo.localeCompare(b.lo)).map((r) => {
    // Every deferred date the rewrite covers is brought up to date by it, with the changes staged for it since it was deferred.
    const covered = [...deferred.values()].filter((d) => d.date >= r.lo && d.date <= r.hi);
    for (const d of covered) deferred.delete(d.date);
    const rebuild = input.firstBuild || damaged.has(r.month) || covered.some((d) => d.rebuild) || fresh.some((c) => c.replaces && c.orderDates.some((d) => d >= r.lo && d <= r.hi));
    const staged = covered.length && !rebuild ? covered.map((d) => ({ date: d.date, since: d.since })).sort((a, b) => a.date.localeCompare(b.date)) : undefined;
    return { ...r, rebuild, ...(staged ? { staged } : {}) };
  });
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

  let runRecord: RunRecord | undefined;
  if (fresh.length) {
    const counts = emptyCounts();
    for (const c of fresh) addCounts(counts, netCounts(c));
    const replayedBatches = fresh.filter((c) => c.replaces).length;
    runRecord = { ...counts, run, at: input.now.toISOString(), batches: fresh.length - replayedBatches, replayedBatches };
  }
  const ordersToRewrite = rewrites.reduce((n, r) => n + r.replaces.reduce((m, x) => m + x.orders, 0), 0);
  return {
    run, rewrites, ordersToRewrite, years, months, tables, runRecord, positions,
    customers: rewrites.length > 0 || asOfChanged || tables.some((t) => t.scope === 'customers' && t.full),
    deferred: [...deferred.values()].sort(byAge),
    // A date to be rebuilt reads silver whole: its changes need no staging.
    stage: [...changed].filter((d) => deferred.has(d) && !deferred.get(d)!.rebuild).sort(),
    keepStagedFrom: deferred.size ? Math.min(...[...deferred.values()].map((d) => d.since)) : undefined,
    rebuildCustomers: damaged.size > 0,
  };
}

/**
 * The rewrites a run applies together (rewriteRanges): merges in plan order, while the orders
 * their replaced ranges hold and the orders they may take in (`incoming`, an upper bound) stay
 * within `maxOrders`, so a group's DuckDB work stays as bounded as one range's. A rebuild goes
 * alone: it reads silver's tables, not the run's new files.
 */
export function groupRewrites(rewrites: readonly RewritePlan[], maxOrders: number, incoming: (rw: RewritePlan) => number = () => 0): RewritePlan[][] {
  const out: RewritePlan[][] = [];
  let held = 0;
  for (const rw of rewrites) {
    const orders = rw.replaces.reduce((n, r) => n + r.orders, 0) + incoming(rw);
    const last = out[out.length - 1];
    if (last && !rw.rebuild && !last[0]!.rebuild && held + orders <= maxOrders) {
      last.push(rw);
      held += orders;
    } else {
      out.push([rw]);
      held = orders;
    }
  }
  return out;
}

/**
 * An upper bound of the orders a merge takes in: the events written by the new commits that
 * touch its dates, and the orders staged for the waiting dates it folds (`waiting`: the
 * manifest's deferred dates; a count unknown is unbounded).
 */
export function incomingOrders(rw: RewritePlan, fresh: readonly BatchCommit[], waiting: readonly DeferredDate[]): number {
  let n = 0;
  for (const c of fresh) if (c.orderDates.some((d) => rw.lo <= d && d <= rw.hi)) n += c.counts.written;
  for (const s of rw.staged ?? []) {
    const orders = waiting.find((w) => w.date === s.date)?.orders;
    if (orders === undefined) return Infinity;
    n += orders;
  }
  return n;
}
