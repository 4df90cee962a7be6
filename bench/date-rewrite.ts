// What a gold run costs when one order date is large. A date is the smallest unit of gold's
// work ranges (src/gold/ranges.ts): a range splits at date boundaries only, so every run that
// takes in events of today's orders rewrites today's range whole. At 1,000 events/s that date
// holds millions of orders by the evening. This measures the incremental run (+1% events, all
// on the same date) on lakes whose orders all fall on one or two dates, at growing sizes, so
// the cost per order on the date can be read off and extrapolated (docs/performance-notes.md,
// "Gold for a year at 1,000 events/s").
//
//   node dist/bench/date-rewrite.js [--events 400000,1600000] [--dir <folder>]
// (--events: what the generator is asked for; a day's stream yields about 60% of it)
import { createWriteStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchArgs, BenchUsageError, reportBenchFailure } from './args';
import { generateEvents, DEFAULT_STREAM, AVG_EVENTS_PER_ORDER } from '../producer/generator';
import { openLocalLake } from '../src/local/runner';
import { readManifest } from '../src/gold/state';
import { measured, type Cost } from './measured';

const END = new Date('2026-11-01T00:00:00Z');

export interface DateRewriteRow {
  events: number;
  orders: number;
  /** Distinct order dates (UTC) of the orders. */
  dates: number;
  full: Cost;
  incremental: Cost;
  /** Bytes of the work files the manifest names after the incremental run: what a run on ADLS downloads to rewrite the date. */
  workBytes: number;
}

/** A line's fields, or undefined for the stream's malformed lines (its default dirt). */
function parsed(line: string): { order_id?: unknown; order_time?: unknown } | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as { order_id?: unknown; order_time?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the events of orders placed within the last day before END: the first 99% to `first`,
 * the rest to `rest`. A bounded stream yields fewer events than asked (an order's later events
 * past END are cut), so they are counted first.
 */
async function generateOneDay(asked: number, first: string, rest: string): Promise<{ events: number; orders: number; dates: number }> {
  const stream = () => generateEvents({ ...DEFAULT_STREAM, seed: 11, events: asked, days: 1, end: END });
  let events = 0;
  for (const _ of stream()) events++;
  const orders = new Set<string>();
  const dates = new Set<string>();
  const cut = Math.floor(events * 0.99);
  const outs = [createWriteStream(first), createWriteStream(rest)];
  let i = 0;
  for (const line of stream()) {
    const e = parsed(line);
    if (typeof e?.order_id === 'string') orders.add(e.order_id);
    if (typeof e?.order_time === 'string') dates.add(e.order_time.slice(0, 10));
    const out = outs[i++ < cut ? 0 : 1]!;
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await Promise.all(outs.map((o) => new Promise<void>((r) => o.end(() => r()))));
  return { events, orders: orders.size, dates: dates.size };
}

export async function measureDateRewrite(asked: number, dir: string, log: (m: string) => void): Promise<DateRewriteRow> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const input = path.join(dir, 'input.jsonl');
  const extra = path.join(dir, 'extra.jsonl');
  const lake = path.join(dir, 'lake');
  log(`date-rewrite: ${asked} events of one day asked for`);
  const { events, orders, dates } = await generateOneDay(asked, input, extra);
  await measured(['run', '--input', input, '--lake', lake, '--skip-gold', '--quiet']);
  const full = await measured(['gold', '--lake', lake, '--quiet']);
  // The last 1% of the stream, in the same landing file (the runner resumes from its checkpoint).
  await fs.appendFile(input, await fs.readFile(extra));
  await measured(['run', '--input', input, '--lake', lake, '--skip-gold', '--quiet']);
  const incremental = await measured(['gold', '--lake', lake, '--quiet']);
  const opened = openLocalLake(lake);
  const manifest = await readManifest(opened.lake);
  let workBytes = 0;
  for (const r of manifest?.ranges ?? []) {
    for (const f of Object.values(r.files)) {
      if (f.startsWith('gold/_work/')) workBytes += (await fs.stat(path.join(lake, f))).size;
    }
  }
  await fs.rm(dir, { recursive: true, force: true });
  return { events, orders, dates, full, incremental, workBytes };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The rows as a markdown table, and a line extrapolating the largest linearly to `ordersPerDay`. */
export function dateRewriteMarkdown(rows: readonly DateRewriteRow[], ordersPerDay: number): string[] {
  const out = [
    '| events | orders | order dates | full gold run, s | incremental run (+1%), s | its peak RSS, MB | work data of the date(s), MB | incremental s per million orders |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${fmt(r.events)} | ${fmt(r.orders)} | ${r.dates} | ${fmt(r.full.wallS, 1)} | ${fmt(r.incremental.wallS, 1)} | ${fmt(r.incremental.maxRssMB)} | ${fmt(r.workBytes / 1e6, 1)} | ${fmt((r.incremental.wallS / r.orders) * 1e6, 1)} |`),
  ];
  const last = rows.at(-1);
  if (last) {
    const scale = ordersPerDay / last.orders;
    out.push('', `Linear from the largest row to ${fmt(ordersPerDay)} orders on one date: an incremental run of about ${fmt(last.incremental.wallS * scale, 0)} s and ${fmt((last.workBytes * scale) / 1e9, 1)} GB of work data to read and write again.`);
  }
  return out;
}

async function main(): Promise<void> {
  const a = benchArgs({
    command: 'node dist/bench/date-rewrite.js',
    summary: 'Builds lakes whose orders fall on one or two dates, then times the incremental run that adds 1% more events on the\nsame dates: the cost per order of rewriting a large date, extrapolated to a day at 1,000 events/s.',
    options: {
      events: { type: 'string', default: '400000,1600000', help: 'lake sizes, comma-separated: events asked of the generator (a day yields about 60%)' },
      dir: { type: 'string', default: path.join(os.tmpdir(), 'orderlake-date-rewrite'), help: 'work folder' },
    },
  });
  if (!a) return;
  const sizes = a.str('events').split(',').map(Number);
  const bad = sizes.findIndex((n) => !Number.isInteger(n) || n <= 0);
  if (bad >= 0) throw new BenchUsageError(`expected --events to be positive whole numbers separated by commas, got '${a.str('events')}'`);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const rows: DateRewriteRow[] = [];
  for (const n of sizes) rows.push(await measureDateRewrite(n, path.join(a.str('dir'), String(n)), log));
  // Orders placed in a day at 1,000 events/s, with the generator's events per order over an
  // order's whole life (a day's stream alone has fewer: its later events are cut).
  process.stdout.write(dateRewriteMarkdown(rows, Math.round((1000 * 86_400) / AVG_EVENTS_PER_ORDER)).join('\n') + '\n');
}

if (require.main === module) void main().catch(reportBenchFailure);
