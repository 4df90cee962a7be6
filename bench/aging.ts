// Figure 7, aging: does a cycle cost what changed, or the lake's age? A steady stream is fed to
// the local runner one cycle at a time (each cycle appends its events to one landing file and
// runs `runLocal` on it: bronze, silver, gold, routine maintenance, as `orderlake run` does),
// with the lake wrapped by a counting Lake (bench/counting-lake.ts). Per cycle: wall seconds,
// files opened and bytes read through the lake (Delta log files apart), files in the lake.
// The markdown is bench/aging-markdown.ts.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generateEvents, DEFAULT_STREAM } from '../producer/generator';
import { runLocal, openLocalLake, optimizeLocal, vacuumLocal } from '../src/local/runner';
import { tryReadSnapshot } from '../src/delta';
import { SILVER_TABLES } from '../src/pipeline/refine-batch';
import { GOLD_TABLES } from '../src/gold/tables';
import { GOLD_ROOT } from '../src/gold/state';
import type { OptimizeResult } from '../src/pipeline/maintenance';
import { ReadCounter, areaOf, countingLake, type ReadCounts } from './counting-lake';

export interface StreamSpec {
  seed: number;
  /** Order times spread over this many days before `end`. */
  days: number;
  end: Date;
  /**
   * Events the generator is asked for. Default: cycles × events per cycle, and a fifth more,
   * because a bounded stream yields fewer than asked (an order's later events past `end` are cut).
   */
  events?: number;
}

export interface CycleRecord {
  /** 1, 2, ... */
  cycle: number;
  events: number;
  /** Wall seconds of the cycle's runLocal (bronze, silver, gold, maintenance). */
  seconds: number;
  reads: ReadCounts;
  /** The files gold itself says it read (GoldSummary.filesRead): the wrapper must have seen at least these. */
  goldFilesRead: number;
  /** Files in the lake after the cycle, by area (areaOf), private folders (_state, _tmp) left out. */
  filesInLake: Record<string, number>;
}

/** Files under `lakeDir` by area, skipping the lake's private `_` folders at its root (as LocalLake.list does). */
export async function filesInLake(lakeDir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const visit = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(path.join(lakeDir, rel), { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
    for (const e of entries) {
      if (rel === '' && e.name.startsWith('_')) continue;
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await visit(child);
      else if (e.isFile()) out[areaOf(child)] = (out[areaOf(child)] ?? 0) + 1;
    }
  };
  await visit('');
  return out;
}

/**
 * Runs `cycles` cycles of `eventsPerCycle` generated events (default dirt: late and
 * out-of-order events included) on a new lake in `workDir`. Stops early if the generator runs
 * out. Throws if gold reports reading files the counting lake did not see (a bypass).
 */
export async function runCycles(opts: { workDir: string; cycles: number; eventsPerCycle: number; stream: StreamSpec; onCycle?: (r: CycleRecord) => void }): Promise<CycleRecord[]> {
  await fs.rm(opts.workDir, { recursive: true, force: true });
  const landing = path.join(opts.workDir, 'landing', 'stream.jsonl');
  const lakeDir = path.join(opts.workDir, 'lake');
  await fs.mkdir(path.dirname(landing), { recursive: true });
  await fs.writeFile(landing, '');
  const events = generateEvents({ ...DEFAULT_STREAM, seed: opts.stream.seed, days: opts.stream.days, end: opts.stream.end, events: opts.stream.events ?? Math.ceil(opts.cycles * opts.eventsPerCycle * 1.2) });
  const counter = new ReadCounter();
  const records: CycleRecord[] = [];
  for (let cycle = 1; cycle <= opts.cycles; cycle++) {
    const lines: string[] = [];
    while (lines.length < opts.eventsPerCycle) {
      const next = events.next();
      if (next.done) break;
      lines.push(next.value);
    }
    if (!lines.length) break;
    await fs.appendFile(landing, lines.join('\n') + '\n');
    counter.take();
    const t0 = process.hrtime.bigint();
    const summary = await runLocal({ input: landing, lakeDir, wrapLake: (lake) => countingLake(lake, counter) });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const reads = counter.take();
    const goldFilesRead = summary.gold?.filesRead ?? 0;
    if (reads.localPaths < goldFilesRead) {
      throw new Error(`cycle ${cycle}: gold reports ${goldFilesRead} files read, but the counting lake handed out only ${reads.localPaths} local paths: some read bypasses the wrapper`);
    }
    const r: CycleRecord = { cycle, events: lines.length, seconds, reads, goldFilesRead, filesInLake: await filesInLake(lakeDir) };
    records.push(r);
    opts.onCycle?.(r);
  }
  return records;
}

// ---------------------------------------------------------------------------------------
// Summaries (pure).

/** The median; for an even count, the mean of the two middle values. NaN for none. */
export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A window of cycles, both ends included, numbered from 1. */
export interface CycleWindow {
  from: number;
  to: number;
}

/**
 * The window that stands for cycle `at` of `total`: 10 cycles around it up to cycle 10, 20
 * beyond (cycles 6-15 for 10, 91-110 for 100), and the last 20 for the last cycle (981-1000);
 * clipped to 1..total.
 */
export function windowAround(at: number, total: number): CycleWindow {
  const half = at <= 10 ? 5 : 10;
  if (at >= total) return { from: Math.max(1, total - 2 * half + 1), to: total };
  return { from: Math.max(1, at - half + 1), to: Math.min(total, at + half) };
}

/**
 * The windows of a short run (cycles counted from 0 there): cycles n/10..n/5 and the
 * last 10%; for 40 cycles, 4-8 and 36-39, here numbered from 1 (5-9 and 37-40).
 */
export function earlyLateWindows(total: number): { early: CycleWindow; late: CycleWindow } {
  const tenth = Math.floor(total / 10);
  return { early: { from: tenth + 1, to: Math.floor(total / 5) + 1 }, late: { from: total - Math.max(1, tenth) + 1, to: total } };
}

/** The median of `pick` over the records of a window. */
export function windowMedian(records: readonly CycleRecord[], w: CycleWindow, pick: (r: CycleRecord) => number): number {
  return median(records.filter((r) => r.cycle >= w.from && r.cycle <= w.to).map(pick));
}

/** What a figure 7 row measures per cycle. */
export const CYCLE_MEASURES: ReadonlyArray<{ name: string; unit: string; pick: (r: CycleRecord) => number }> = [
  { name: 'wall seconds', unit: 's', pick: (r) => r.seconds },
  { name: 'lake files opened', unit: 'files', pick: (r) => r.reads.files },
  { name: 'bytes read', unit: 'bytes', pick: (r) => r.reads.bytes },
  { name: 'Delta log files read', unit: 'files', pick: (r) => r.reads.log.files },
  { name: 'Delta log bytes read', unit: 'bytes', pick: (r) => r.reads.log.bytes },
];

/** The mean; NaN for none. */
export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN;
}

/** The mean of `pick` over the records of a window: a cost paid every few cycles (compaction), spread over them. */
export function windowMean(records: readonly CycleRecord[], w: CycleWindow, pick: (r: CycleRecord) => number): number {
  return mean(records.filter((r) => r.cycle >= w.from && r.cycle <= w.to).map(pick));
}

/** A window's medians and means of every measure, and means by area; files in the lake after its last cycle. */
export interface WindowSummary {
  window: CycleWindow;
  /** By CYCLE_MEASURES name. */
  medians: Record<string, number>;
  means: Record<string, number>;
  /** Mean bytes read per cycle by area. */
  bytesByArea: Record<string, number>;
  /** Mean files opened per cycle by area. */
  filesByArea: Record<string, number>;
  /** Files in the lake after the window's last cycle, by area. */
  filesInLake: Record<string, number>;
}

export function summariseWindow(records: readonly CycleRecord[], w: CycleWindow): WindowSummary {
  const medians = Object.fromEntries(CYCLE_MEASURES.map((m) => [m.name, windowMedian(records, w, m.pick)]));
  const means = Object.fromEntries(CYCLE_MEASURES.map((m) => [m.name, windowMean(records, w, m.pick)]));
  const areas = [...new Set(records.flatMap((r) => Object.keys(r.reads.byArea)))].sort();
  const byArea = (k: 'bytes' | 'files') => Object.fromEntries(areas.map((a) => [a, windowMean(records, w, (r) => r.reads.byArea[a]?.[k] ?? 0)]));
  const last = records.filter((r) => r.cycle <= w.to).at(-1);
  return { window: w, medians, means, bytesByArea: byArea('bytes'), filesByArea: byArea('files'), filesInLake: { ...(last?.filesInLake ?? {}) } };
}

/** later / earlier; NaN when the earlier is 0 and the later is not (0 / 0 is 1: nothing either time). */
export function ratio(later: number, earlier: number): number {
  if (earlier === 0) return later === 0 ? 1 : NaN;
  return later / earlier;
}

/** The sum of the areas that match. */
export function sumAreas(byArea: Readonly<Record<string, number>>, keep: (area: string) => boolean): number {
  return Object.entries(byArea).filter(([a]) => keep(a)).reduce((s, [, n]) => s + n, 0);
}

// ---------------------------------------------------------------------------------------
// Live files (Delta snapshots) and files after optimize + vacuum.

/** Live data files per table, as each table's Delta snapshot lists them (0 for a table not yet made). */
export async function liveDataFiles(lakeDir: string, tables: readonly string[]): Promise<Record<string, number>> {
  const { lake } = openLocalLake(lakeDir);
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await tryReadSnapshot(lake, t))?.files.size ?? 0;
  return out;
}

export const SILVER_AND_QUARANTINE: readonly string[] = Object.values(SILVER_TABLES);
export const GOLD_TABLE_PATHS: readonly string[] = GOLD_TABLES.map((t) => `${GOLD_ROOT}/${t.name}`);

/** Parquet data files on disk under each table (its _delta_log left out). */
export async function parquetOnDisk(lakeDir: string, tables: readonly string[]): Promise<Record<string, number>> {
  const { lake } = openLocalLake(lakeDir);
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await lake.list(t)).filter((p) => p.endsWith('.parquet') && !p.includes('/_delta_log/')).length;
  return out;
}

export interface OptimizeFigure {
  events: number;
  cycles: number;
  /** Silver and quarantine data files per table: live (snapshot) and on disk, before and after. */
  before: { live: Record<string, number>; disk: Record<string, number> };
  after: { live: Record<string, number>; disk: Record<string, number> };
  optimized: OptimizeResult[];
  /** Files the vacuum deleted (all tables and gold's work files). */
  vacuumed: number;
}

/** Feeds the stream in cycles, then `orderlake optimize` (optimizeLocal) and a vacuum with retention 0. */
export async function filesAfterOptimize(opts: { workDir: string; cycles: number; eventsPerCycle: number; stream: StreamSpec }): Promise<OptimizeFigure> {
  const records = await runCycles(opts);
  const lakeDir = path.join(opts.workDir, 'lake');
  const tables = SILVER_AND_QUARANTINE;
  const before = { live: await liveDataFiles(lakeDir, tables), disk: await parquetOnDisk(lakeDir, tables) };
  const optimized = await optimizeLocal(lakeDir);
  // Retention 0: what no current version needs goes now (vacuumLake passes enforceRetention: false with an explicit retention).
  const v = await vacuumLocal(lakeDir, { retentionMs: 0 });
  const after = { live: await liveDataFiles(lakeDir, tables), disk: await parquetOnDisk(lakeDir, tables) };
  return { events: records.reduce((s, r) => s + r.events, 0), cycles: records.length, before, after, optimized, vacuumed: Object.values(v.deleted).reduce((s, f) => s + f.length, 0) };
}

/** One line per cycle: the per-cycle figures behind the medians, for a closer look. */
export function cyclesCsv(records: readonly CycleRecord[]): string {
  const areas = [...new Set(records.flatMap((r) => [...Object.keys(r.reads.byArea), ...Object.keys(r.filesInLake)]))].sort();
  const head = ['cycle', 'events', 'seconds', 'files_opened', 'bytes_read', 'local_paths', 'log_files_read', 'log_bytes_read', 'misses', 'lists', 'gold_files_read',
    ...areas.flatMap((a) => [`read_files:${a}`, `read_bytes:${a}`]), ...areas.map((a) => `in_lake:${a}`)];
  const rows = records.map((r) => [r.cycle, r.events, r.seconds.toFixed(3), r.reads.files, r.reads.bytes, r.reads.localPaths, r.reads.log.files, r.reads.log.bytes, r.reads.misses, r.reads.lists, r.goldFilesRead,
    ...areas.flatMap((a) => [r.reads.byArea[a]?.files ?? 0, r.reads.byArea[a]?.bytes ?? 0]), ...areas.map((a) => r.filesInLake[a] ?? 0)].join(','));
  return [head.join(','), ...rows].join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------
// The whole figure: the aging run, the 40 cycles, files after optimize.

export interface AgingSizes {
  /** The aging run; `at`: the cycles reported (each through windowAround). */
  aging: { cycles: number; eventsPerCycle: number; days: number; at: number[] };
  /** The short run (its windows: earlyLateWindows). */
  short: { cycles: number; eventsPerCycle: number; days: number };
  /**
   * The short run's stream density for longer (more cycles, days in proportion): whether its
   * late window still grows, or the growth from its early window was warm-up.
   */
  longer?: { cycles: number; eventsPerCycle: number; days: number };
  optimize: { cycles: number; eventsPerCycle: number; days: number };
}

export const AGING_SIZES: AgingSizes = {
  aging: { cycles: 1000, eventsPerCycle: 1000, days: 365, at: [10, 100, 1000] },
  short: { cycles: 40, eventsPerCycle: 800, days: 180 },
  longer: { cycles: 80, eventsPerCycle: 800, days: 360 },
  optimize: { cycles: 30, eventsPerCycle: 800, days: 730 },
};

export const AGING_SMOKE_SIZES: AgingSizes = {
  aging: { cycles: 10, eventsPerCycle: 200, days: 30, at: [3, 10] },
  short: { cycles: 10, eventsPerCycle: 100, days: 30 },
  longer: { cycles: 20, eventsPerCycle: 100, days: 60 },
  optimize: { cycles: 5, eventsPerCycle: 200, days: 730 },
};

export interface AgingFigure {
  sizes: AgingSizes;
  aging: { cycles: number; events: number; seconds: number; windows: Array<{ at: number; summary: WindowSummary }> };
  short: { cycles: number; events: number; seconds: number; early: WindowSummary; late: WindowSummary; filesInLake: Record<string, number>; live: Record<string, number> };
  /** The short run's early and late windows and the last tenth of the longer run, on the longer run. */
  longer?: { cycles: number; events: number; seconds: number; windows: WindowSummary[] };
  optimize: OptimizeFigure;
}

const sumEvents = (records: readonly CycleRecord[]) => records.reduce((s, r) => s + r.events, 0);

/** Runs the three parts in folders under `workDir` (each lake removed after it; the per-cycle CSVs kept there). */
export async function measureFigure7(opts: { workDir: string; sizes: AgingSizes; end: Date; log: (m: string) => void }): Promise<AgingFigure> {
  const { sizes, end, log } = opts;
  await fs.mkdir(opts.workDir, { recursive: true });
  const progress = (part: string, total: number) => (r: CycleRecord) => {
    if (r.cycle % Math.max(1, Math.floor(total / 20)) === 0) log(`figure 7: ${part} cycle ${r.cycle} of ${total}: ${r.seconds.toFixed(2)} s, ${r.reads.files} files read`);
  };

  const a = sizes.aging;
  log(`figure 7: aging, ${a.cycles} cycles of ${a.eventsPerCycle} events`);
  let t0 = Date.now();
  const longDir = path.join(opts.workDir, 'aging');
  const long = await runCycles({ workDir: longDir, cycles: a.cycles, eventsPerCycle: a.eventsPerCycle, stream: { seed: 7, days: a.days, end }, onCycle: progress('aging', a.cycles) });
  const aging = {
    cycles: long.length, events: sumEvents(long), seconds: (Date.now() - t0) / 1000,
    windows: a.at.filter((c) => c <= long.length).map((at) => ({ at, summary: summariseWindow(long, windowAround(at, long.length)) })),
  };
  await fs.writeFile(path.join(opts.workDir, 'aging-cycles.csv'), cyclesCsv(long));
  await fs.rm(longDir, { recursive: true, force: true });

  const s = sizes.short;
  log(`figure 7: ${s.cycles} cycles of ${s.eventsPerCycle} events`);
  t0 = Date.now();
  const shortDir = path.join(opts.workDir, 'short');
  const few = await runCycles({ workDir: shortDir, cycles: s.cycles, eventsPerCycle: s.eventsPerCycle, stream: { seed: 8, days: s.days, end }, onCycle: progress('short run', s.cycles) });
  const w = earlyLateWindows(few.length);
  const short = {
    cycles: few.length, events: sumEvents(few), seconds: (Date.now() - t0) / 1000,
    early: summariseWindow(few, w.early), late: summariseWindow(few, w.late),
    filesInLake: few.at(-1)?.filesInLake ?? {},
    live: await liveDataFiles(path.join(shortDir, 'lake'), [...SILVER_AND_QUARANTINE, ...GOLD_TABLE_PATHS]),
  };
  await fs.writeFile(path.join(opts.workDir, 'short-cycles.csv'), cyclesCsv(few));
  await fs.rm(shortDir, { recursive: true, force: true });

  let longer: AgingFigure['longer'];
  if (sizes.longer) {
    const l = sizes.longer;
    log(`figure 7: the same density for ${l.cycles} cycles`);
    t0 = Date.now();
    const dir = path.join(opts.workDir, 'longer');
    const more = await runCycles({ workDir: dir, cycles: l.cycles, eventsPerCycle: l.eventsPerCycle, stream: { seed: 8, days: l.days, end }, onCycle: progress('longer run', l.cycles) });
    const windows = [w.early, w.late, earlyLateWindows(more.length).late].map((x) => summariseWindow(more, x));
    longer = { cycles: more.length, events: sumEvents(more), seconds: (Date.now() - t0) / 1000, windows };
    await fs.writeFile(path.join(opts.workDir, 'longer-cycles.csv'), cyclesCsv(more));
    await fs.rm(dir, { recursive: true, force: true });
  }

  const o = sizes.optimize;
  log(`figure 7: ${o.cycles} cycles of ${o.eventsPerCycle} events over ${o.days} days, then optimize and vacuum`);
  const optDir = path.join(opts.workDir, 'optimize');
  const optimize = await filesAfterOptimize({ workDir: optDir, cycles: o.cycles, eventsPerCycle: o.eventsPerCycle, stream: { seed: 9, days: o.days, end } });
  await fs.rm(optDir, { recursive: true, force: true });
  const figure = { sizes, aging, short, ...(longer ? { longer } : {}), optimize };
  // The numbers behind the section, to write it again without measuring again.
  await fs.writeFile(path.join(opts.workDir, 'figure7.json'), JSON.stringify(figure, null, 1));
  return figure;
}
