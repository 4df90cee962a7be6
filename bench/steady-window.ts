// What one gold run costs in a steady stream, where an order's later events (paid, shipped,
// delivered, returned; the generator's lifecycle spreads them over up to 30 days) reach the
// order dates of the past month. A work range is rewritten whole when any of its orders
// changes, so a run rewrites every range its window of events touches. Two parts:
//   1. the spread: how the events of a window fall on order dates by age, counted on a steady
//      stream (rate-independent: the lifecycle delays do not depend on the rate);
//   2. a lake: the stream landed up to its last window, a full gold run, then the window and
//      the incremental run that takes it in, timed in a fresh process, with the orders of the
//      ranges it rewrote read off the manifests.
// From both, the orders one run rewrites and its seconds at higher rates (docs/performance-notes.md).
//
// The incremental run is measured again with a fold policy (src/gold/fold.ts: today's orders
// hot, --fold-budget orders of cold ranges a run), and the extrapolation shows both.
//
//   node dist/bench/steady-window.js [--rate 1] [--days 32] [--window 600] [--fold-budget 50000] [--dir <folder>]
import { createWriteStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchArgs, reportBenchFailure, type BenchCommand } from './args';
import { generateEvents, DEFAULT_STREAM, AVG_EVENTS_PER_ORDER } from '../producer/generator';
import { openLocalLake } from '../src/local/runner';
import { readManifest } from '../src/gold/state';
import { buildGold } from '../src/gold/build-gold';
import { GOLD_FOLD_DEFAULTS } from '../src/azure/settings';
import type { WorkRange } from '../src/gold/ranges';
import { measured, type Cost } from './measured';

const END = new Date('2026-11-01T00:00:00Z');
const DAY_MS = 86_400_000;

export interface WindowSpread {
  /** Events of the stream, and in its last window. */
  events: number;
  windowEvents: number;
  /** Share of the last day's events whose order was placed `age` whole days before the end (index = age). */
  shareByAge: number[];
  /** Distinct order dates the last window's events reach (defects' order times left out). */
  windowDates: number;
  /** The newest order's time: the stream's now. */
  newestOrder: string;
}

/**
 * The share of events by order age (in days before `end`), from the events sent in the last
 * day. Ages past `maxAge` (the stream's days: older order times are its defects, which silver
 * quarantines) and unreadable times are left out.
 */
export function spreadOf(orderTimes: readonly string[], end: Date, maxAge: number): number[] {
  const counts: number[] = [];
  for (const t of orderTimes) {
    const age = ageOf(t, end, maxAge);
    if (age === undefined) continue;
    counts[age] = (counts[age] ?? 0) + 1;
  }
  const total = counts.reduce((s, n) => s + (n ?? 0), 0);
  return Array.from(counts, (n) => (total ? (n ?? 0) / total : 0));
}

/** Whole days from an order time to `end`; undefined when unreadable, in the future or past `maxAge`. */
function ageOf(orderTime: string, end: Date, maxAge: number): number | undefined {
  const age = Math.floor((end.getTime() - Date.parse(orderTime)) / DAY_MS);
  return Number.isFinite(age) && age >= 0 && age <= maxAge ? age : undefined;
}

/**
 * Expected order dates a run's window reaches at `eventsPerWindow`, and the orders on them: a
 * date of age d is reached unless none of the window's events falls on it; a past date holds a
 * whole day's orders, today's half of one on average.
 */
export function windowCost(shareByAge: readonly number[], eventsPerWindow: number, ordersPerDay: number): { dates: number; orders: number; pastOrders: number } {
  let dates = 0;
  let orders = 0;
  let pastOrders = 0;
  shareByAge.forEach((p, age) => {
    const reached = 1 - Math.pow(1 - p, eventsPerWindow);
    dates += reached;
    orders += reached * (age === 0 ? ordersPerDay / 2 : ordersPerDay);
    if (age > 0) pastOrders += reached * ordersPerDay;
  });
  return { dates, orders, pastOrders };
}

/**
 * A day under the fold policy (src/gold/fold.ts, chooseFolds), at high rates where a date is a
 * range: today's range grows from 0 to `perDay` orders through the day and is rewritten by every
 * run; a run folds whole past dates (`perDay` orders each) while its total stays within the
 * budget, and one at least while today's range holds less than the budget. The largest run of
 * the day, and how many hours of each day runs fold (`pastDates` waiting dates, at least one a
 * run: the runs to fold them all once).
 */
export function foldDay(perDay: number, pastDates: number, budget: number): { largestRun: number; foldHours: number; runsToFoldAll: number } {
  let largestRun = 0;
  let fewest = Infinity;
  for (let i = 0; i <= 1000; i++) {
    const today = (perDay * i) / 1000;
    const dates = today >= budget ? 0 : Math.min(pastDates, Math.max(1, Math.floor((budget - today) / perDay)));
    largestRun = Math.max(largestRun, today + dates * perDay);
    if (dates > 0) fewest = Math.min(fewest, dates);
  }
  return { largestRun, foldHours: 24 * Math.min(1, budget / perDay), runsToFoldAll: Number.isFinite(fewest) ? Math.ceil(pastDates / fewest) : Infinity };
}

function orderTimeOf(line: string): string | undefined {
  try {
    const v = JSON.parse(line) as { order_time?: unknown };
    return typeof v.order_time === 'string' ? v.order_time : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the stream: all but the last `window` events to `first`, those to `rest`; returns the
 * spread. Ages count from the newest order placed, not from END: a stream asked for a number of
 * events may end before END (an order's life has more events than the average it is sized by).
 */
async function generateSteady(rate: number, days: number, windowS: number, first: string, rest: string): Promise<WindowSpread> {
  const asked = Math.round(rate * days * 86_400);
  const stream = () => generateEvents({ ...DEFAULT_STREAM, seed: 5, events: asked, days, end: END });
  let events = 0;
  for (const _ of stream()) events++;
  const windowEvents = Math.min(events, Math.round(rate * windowS));
  const lastDay = Math.round(rate * 86_400);
  const outs = [createWriteStream(first), createWriteStream(rest)];
  const dayTimes: string[] = [];
  const windowTimes: string[] = [];
  let i = 0;
  for (const line of stream()) {
    const t = orderTimeOf(line);
    if (t && i >= events - lastDay) dayTimes.push(t);
    if (t && i >= events - windowEvents) windowTimes.push(t);
    const out = outs[i++ < events - windowEvents ? 0 : 1]!;
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await Promise.all(outs.map((o) => new Promise<void>((r) => o.end(() => r()))));
  const now = new Date(dayTimes.reduce((max, t) => {
    const ms = Date.parse(t);
    return ms <= END.getTime() && ms > max ? ms : max;
  }, 0));
  const windowDates = new Set(windowTimes.filter((t) => ageOf(t, now, days) !== undefined).map((t) => t.slice(0, 10)));
  return { events, windowEvents, shareByAge: spreadOf(dayTimes, now, days), windowDates: windowDates.size, newestOrder: now.toISOString() };
}

export interface SteadyRow extends WindowSpread {
  rate: number;
  days: number;
  windowS: number;
  full: Cost;
  incremental: Cost;
  /** Orders in the ranges the incremental run wrote, and ranges it wrote. */
  rewrittenOrders: number;
  rewrittenRanges: number;
  /** Orders in the lake's work ranges after the run. */
  lakeOrders: number;
  /** The same incremental run with a fold policy (today's orders hot, `budget` orders of cold ranges), in process. */
  fold: { budget: number; seconds: number; ordersRewritten: number; datesWaiting: number };
}

const key = (r: WorkRange) => JSON.stringify(r.files);

export async function measureSteadyWindow(rate: number, days: number, windowS: number, foldBudget: number, dir: string, log: (m: string) => void): Promise<SteadyRow> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const input = path.join(dir, 'input.jsonl');
  const extra = path.join(dir, 'window.jsonl');
  const lake = path.join(dir, 'lake');
  log(`steady-window: ${rate} events/s over ${days} days, a window of ${windowS} s`);
  const spread = await generateSteady(rate, days, windowS, input, extra);
  log(`steady-window: ${spread.events} events, landing all but the last ${spread.windowEvents}`);
  await measured(['run', '--input', input, '--lake', lake, '--skip-gold', '--quiet']);
  const full = await measured(['gold', '--lake', lake, '--quiet']);
  const before = new Set((await readManifest(openLocalLake(lake).lake))?.ranges.map(key) ?? []);
  await fs.appendFile(input, await fs.readFile(extra));
  await measured(['run', '--input', input, '--lake', lake, '--skip-gold', '--quiet']);
  const foldLake = path.join(dir, 'lake-fold');
  await fs.cp(lake, foldLake, { recursive: true });
  log('steady-window: the incremental gold run');
  const incremental = await measured(['gold', '--lake', lake, '--quiet']);
  const after = (await readManifest(openLocalLake(lake).lake))?.ranges ?? [];
  const written = after.filter((r) => !before.has(key(r)));
  log('steady-window: the same run with a fold policy');
  const opened = openLocalLake(foldLake);
  const t0 = Date.now();
  const f = await buildGold({ lake: opened.lake, commits: opened.state.commits, documents: opened.state.documents, now: () => new Date(spread.newestOrder), fold: { hotDays: 0, coldOrdersPerRun: foldBudget } });
  const fold = { budget: foldBudget, seconds: (Date.now() - t0) / 1000, ordersRewritten: f.ordersRewritten, datesWaiting: f.datesWaiting };
  await fs.rm(dir, { recursive: true, force: true });
  return {
    ...spread, rate, days, windowS, full, incremental, fold,
    rewrittenOrders: written.reduce((s, r) => s + r.orders, 0),
    rewrittenRanges: written.length,
    lakeOrders: after.reduce((s, r) => s + r.orders, 0),
  };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The measured row, the spread by age, and the extrapolation to 1-minute runs at higher rates. */
export function steadyMarkdown(row: SteadyRow, rates: readonly number[], foldBudget = GOLD_FOLD_DEFAULTS.coldOrdersPerRun): string[] {
  const usPerOrder = (row.incremental.wallS / Math.max(1, row.rewrittenOrders)) * 1e6;
  const out = [
    '| events/s | days | events | window, s | its events | order dates it reaches | ranges rewritten | orders rewritten (of the lake\'s) | full gold, s | incremental gold, s | µs per order rewritten |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${row.rate} | ${row.days} | ${fmt(row.events)} | ${row.windowS} | ${fmt(row.windowEvents)} | ${row.windowDates} | ${row.rewrittenRanges} | ${fmt(row.rewrittenOrders)} (${fmt(row.lakeOrders)}) | ${fmt(row.full.wallS, 1)} | ${fmt(row.incremental.wallS, 1)} | ${fmt(usPerOrder, 1)} |`,
    '',
    `With a fold policy (today's orders hot, ${fmt(row.fold.budget)} orders of cold ranges a run), the same run took ${fmt(row.fold.seconds, 1)} s in process and rewrote ${fmt(row.fold.ordersRewritten)} orders; ${row.fold.datesWaiting} order dates wait for later runs.`,
    '',
    'Share of a day\'s events by the age of their order (days):',
    '',
    `| age | ${row.shareByAge.map((_, a) => a).join(' | ')} |`,
    `|---|${row.shareByAge.map(() => '---').join('|')}|`,
    `| % | ${row.shareByAge.map((p) => fmt(p * 100, 1)).join(' | ')} |`,
    '',
    `| events/s | orders a day | events in a 1-minute run | order dates it reaches | orders rewritten | seconds at the measured µs per order | with a fold policy of ${fmt(foldBudget)} orders: the day's largest run, orders | its seconds | runs to fold every past date once (hours of the day that fold) |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rates) {
    const perDay = (r * 86_400) / AVG_EVENTS_PER_ORDER;
    const c = windowCost(row.shareByAge, r * 60, perDay);
    // With the policy: today's range (hot) and whole past dates within the budget (foldDay).
    const day = foldDay(perDay, Math.round(c.pastOrders / perDay), foldBudget);
    out.push(`| ${fmt(r)} | ${fmt(perDay)} | ${fmt(r * 60)} | ${fmt(c.dates, 1)} | ${fmt(c.orders)} | ${fmt((c.orders * usPerOrder) / 1e6, 0)} | ${fmt(day.largestRun)} | ${fmt((day.largestRun * usPerOrder) / 1e6, 0)} | ${fmt(day.runsToFoldAll)} (${fmt(day.foldHours, 1)} h) |`);
  }
  return out;
}

async function main(): Promise<void> {
  const a = benchArgs({
    command: 'node dist/bench/steady-window.js',
    summary: 'Lands a steady stream up to its last window, builds gold, then times the incremental run that takes the window in\n(a fresh process), plain and with a fold policy; extrapolates the orders a run rewrites to 1, 10, 100 and 1,000 events/s.',
    options: {
      rate: { type: 'number', default: '1', help: 'events per second of the stream' },
      days: { type: 'number', default: '32', help: 'days of stream landed before the window' },
      window: { type: 'number', default: '600', help: 'seconds of stream the measured run takes in' },
      'fold-budget': { type: 'number', default: '50000', help: 'orders of cold ranges a run may rewrite under the fold policy' },
      dir: { type: 'string', default: path.join(os.tmpdir(), 'orderlake-steady-window'), help: 'work folder' },
    },
  } satisfies BenchCommand);
  if (!a) return;
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const row = await measureSteadyWindow(a.num('rate'), a.num('days'), a.num('window'), a.num('fold-budget'), a.str('dir'), log);
  process.stdout.write(steadyMarkdown(row, [1, 10, 100, 1000]).join('\n') + '\n');
}

if (require.main === module) void main().catch(reportBenchFailure);
