// Hot and cold order dates (docs/performance-notes.md, "Gold for a year at 1,000 events/s"). A
// run rewrites every work range its events reach, whole, and a steady stream's later lifecycle
// events reach the past month's dates: at high rates that is more than a run can do. With a
// fold policy, a run applies the changes to hot dates (today's orders) at once, and defers the
// changes to cold dates: each deferred date keeps the position after which its changes wait,
// and each run folds the oldest deferred dates, up to a budget of orders rewritten, from the
// commits after that position. Merging is exact and idempotent (sql/_candidates.sql), so a
// commit applied again, or in another order, gives the same state. Pure functions.
import type { BatchCommit } from '../pipeline/ports';
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
  /** A run folds deferred dates until the ranges it rewrites for them hold this many orders (at least one range a run). */
  coldOrdersPerRun: number;
}

export interface DeferredDate {
  date: string;
  /** The run that deferred it: the oldest are folded first. */
  since: number;
  /** The commit-log cursor and silver positions before the first commit whose change to the date waits. */
  cursor: string | undefined;
  after: Record<string, number>;
}

/** The settings at `now`: hot from the UTC date `hotDays` days before it. */
export function policyAt(settings: FoldSettings, now: Date): FoldPolicy {
  return { hotFrom: new Date(now.getTime() - settings.hotDays * 86_400_000).toISOString().slice(0, 10), coldOrdersPerRun: settings.coldOrdersPerRun };
}

/** Oldest deferral first (then the earliest date): the order folds take. */
export const byAge = (a: DeferredDate, b: DeferredDate): number => a.since - b.since || a.date.localeCompare(b.date);

/** The commits after positions `after` and up to positions `upTo` (a commit without a number is kept: merging it again is harmless). */
export function commitsBetween(commits: readonly BatchCommit[], after: Record<string, number>, upTo: Record<string, number>): BatchCommit[] {
  return commits.filter((c) => c.seq === undefined || (c.seq > (after[c.partition] ?? 0) && c.seq <= (upTo[c.partition] ?? 0)));
}

/** Per partition, the lower of the positions: commits after it are after every one of them. */
export function earliestPositions(positions: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  const partitions = new Set(positions.flatMap((p) => Object.keys(p)));
  for (const p of partitions) out[p] = Math.min(...positions.map((x) => x[p] ?? 0));
  return out;
}

/** The deferred date whose commits start earliest (the oldest run's), whose cursor a run reads the pending commits from. */
export function oldestDeferred(deferred: readonly DeferredDate[]): DeferredDate | undefined {
  return [...deferred].sort(byAge)[0];
}

/**
 * Where the commits a lake may still need start: the oldest deferred date's cursor (a fold reads
 * every commit since it), else gold's own cursor.
 */
export function neededFrom(deferred: readonly DeferredDate[], cursor: string | undefined): string | undefined {
  const oldest = oldestDeferred(deferred);
  return oldest ? oldest.cursor : cursor;
}

/**
 * The deferred dates a run folds: the oldest first, until the ranges they fall in hold
 * `budget` orders (each range counted once; a date in no range costs nothing yet), and at
 * least one date, so folding always moves on.
 */
export function chooseFolds(deferred: readonly DeferredDate[], ranges: readonly WorkRange[], budget: number): string[] {
  const chosen: string[] = [];
  const counted = new Set<WorkRange>();
  let orders = 0;
  for (const d of [...deferred].sort(byAge)) {
    const range = ranges.find((r) => r.lo <= d.date && d.date <= r.hi);
    const cost = range && !counted.has(range) ? range.orders : 0;
    if (chosen.length && orders + cost > budget) break;
    chosen.push(d.date);
    if (range) counted.add(range);
    orders += cost;
  }
  return chosen;
}
