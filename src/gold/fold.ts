// Hot and cold order dates (docs/performance-notes.md, "Gold for a year at 1,000 events/s"). A
// run rewrites every work range its events reach, whole, and a steady stream's later lifecycle
// events reach the past month's dates: at high rates that is more than a run can do. With a
// fold policy, a run applies the changes to hot dates (today's orders) at once, and defers the
// changes to cold dates: each run stages the new silver rows of the dates that wait (one small
// file pair a run), and each run folds the oldest deferred dates, up to a budget of orders
// rewritten, from the changes staged since they were deferred. Merging is exact and idempotent
// (sql/_candidates.sql), so a change applied again, or in another order, gives the same state.
// Pure functions.
import type { WorkRange } from './ranges';

/** The policy as configured: how many days are hot, and the budget. */
export interface FoldSettings {
  /** Orders placed in the last this many days (0: today, UTC) are applied at once. */
  hotDays: number;
  /** A run folds deferred dates until the ranges it rewrites for them hold this many orders (at least one date a run). */
  coldOrdersPerRun: number;
}

/** The policy as a run applies it. */
export interface FoldPolicy {
  /** Order dates on or after this (YYYY-MM-DD) are hot: their changes are applied in the run that takes them in. */
  hotFrom: string;
  /** A run folds deferred dates while the ranges it rewrites, hot ones first, hold at most this many orders (chooseFolds). */
  coldOrdersPerRun: number;
  /** A date deferred before this time (ISO) is folded even when the hot ranges fill the budget, one a run: none waits much over a day. */
  overdueBefore?: string;
}

export interface DeferredDate {
  date: string;
  /** The run that deferred it: the oldest are folded first. */
  since: number;
  /** When it was deferred (ISO): a date waiting longer than a day is folded whatever the budget. */
  at?: string;
  /**
   * A replay (a batch committed again, which may have removed events) touched the date while it
   * waited: merging could keep removed events, so its fold rebuilds the date from silver.
   */
  rebuild?: boolean;
  /**
   * Orders staged for the date while it waited (an order staged by two runs counts twice): what
   * folding it costs when no range holds it. Unknown (the planner leaves it out) for a date this
   * run's commits touch or a replay marked for a rebuild: its fold reads more than was staged.
   */
  orders?: number;
  /** Written by versions that folded from the commit log (cursor, positions): such a date is rebuilt from silver. */
  cursor?: string;
  after?: Record<string, number>;
}

/**
 * The silver rows of one run's new commits for the dates that waited after it (events and lines
 * files under gold/_work/staged/). A fold reads the staged changes of the runs since its date
 * was deferred, not the batch files of every commit since: at high rates those are tens of
 * thousands of files a fold, and vacuum would have to keep them all.
 */
export interface StagedChanges {
  run: number;
  /** The first and last order date staged. */
  lo: string;
  hi: string;
  events?: string;
  lines?: string;
}

/** How long a date may wait before a run folds it whatever the budget. */
export const MAX_WAIT_MS = 86_400_000;

/** The settings at `now`: hot from the UTC date `hotDays` days before it. */
export function policyAt(settings: FoldSettings, now: Date): FoldPolicy {
  return {
    hotFrom: new Date(now.getTime() - settings.hotDays * 86_400_000).toISOString().slice(0, 10),
    coldOrdersPerRun: settings.coldOrdersPerRun,
    overdueBefore: new Date(now.getTime() - MAX_WAIT_MS).toISOString(),
  };
}

/** Oldest deferral first (then the earliest date): the order folds take. */
export const byAge = (a: DeferredDate, b: DeferredDate): number => a.since - b.since || a.date.localeCompare(b.date);

/** A deferred date a fold brings up to date, and the run that deferred it. */
export interface DeferredSince {
  date: string;
  since: number;
}

/**
 * The staged changes a fold reads, each with the dates to take from it: the waiting dates it
 * may hold that were deferred by its run or earlier. Rows of other dates, or of a date from
 * before its deferral, are already in the work data or were removed since (a date rebuilt from
 * silver after a replay): applying them again could bring a removed event back.
 */
export function stagedFor(staged: readonly StagedChanges[], waiting: readonly DeferredSince[]): Array<{ changes: StagedChanges; dates: string[] }> {
  const out: Array<{ changes: StagedChanges; dates: string[] }> = [];
  for (const changes of staged) {
    const dates = waiting.filter((w) => w.since <= changes.run && changes.lo <= w.date && w.date <= changes.hi).map((w) => w.date).sort();
    if (dates.length) out.push({ changes, dates });
  }
  return out;
}

/**
 * The deferred dates a run folds. The budget is the run's: the ranges it rewrites for hot dates
 * (`hot`) count first, then the oldest deferred dates, each range once, while the total stays
 * within the budget. A date costs the ranges its rewrite replaces (`replacedBy`: the range
 * holding it, or the neighbour a date in a gap joins, and small neighbours folded in); a range
 * rewritten anyway costs nothing more, and a date that costs nothing more is folded even past
 * the first date that does not fit (dates after a month's last range join it one by one
 * otherwise: one fold run each). A date no range holds costs its own orders too (every one is
 * new: a whole day's after an outage), as staged while it waited; unknown, it is only ever a
 * run's one date. At least one date is folded while the hot ranges hold less than the budget,
 * so folding moves on every run early in each day, when today's range is small: at high rates one date is larger than the budget, and folding it
 * beside today's full range would double a run's work. The oldest date, when deferred before
 * `overdueBefore` (or at an unknown time), is folded whatever the budget, and only it: one such
 * date a run keeps a run within today's range plus one date, and at one run a minute drains any
 * backlog of overdue dates within the hour.
 */
export function chooseFolds(deferred: readonly DeferredDate[], replacedBy: (date: string) => readonly WorkRange[], budget: number, hot: ReadonlySet<WorkRange> = new Set(), overdueBefore?: string): string[] {
  const chosen: string[] = [];
  const counted = new Set<WorkRange>(hot);
  const hotOrders = [...hot].reduce((n, r) => n + r.orders, 0);
  const overdue = (d: DeferredDate) => overdueBefore !== undefined && (d.at === undefined || d.at < overdueBefore);
  let orders = hotOrders;
  let full = false;
  // The one date a run folds at least is one that costs something: free dates come anyway.
  let paid = false;
  for (const d of [...deferred].sort(byAge)) {
    const replaced = replacedBy(d.date);
    const more = replaced.filter((r) => !counted.has(r));
    // A date no range holds is one gold never held: all its orders are new, up to a whole day's
    // after an outage. They cost what was staged for it, and when that is unknown (first seen
    // this run) the date is folded only as a run's one date.
    const held = replaced.some((r) => r.lo <= d.date && d.date <= r.hi);
    const cost = (held ? 0 : (d.orders ?? Infinity)) + more.reduce((n, r) => n + r.orders, 0);
    // A date whose ranges are rewritten anyway comes along, wherever it stands: it costs nothing
    // more. Past the first date that does not fit, only such dates.
    if (cost > 0 && (full || (orders + cost > budget && (paid || (hotOrders >= budget && !overdue(d)))))) {
      full = true;
      continue;
    }
    chosen.push(d.date);
    if (cost > 0) paid = true;
    for (const r of more) counted.add(r);
    orders += cost;
  }
  return chosen;
}
