// One part of figure 7 alone: a number of cycles of a generated stream through the local runner
// (runCycles), then the medians of the issue's early and late windows and, when the run is long
// enough, of its last tenth; the files the lake holds at the end. Minutes instead of figure 7's
// hour: `node dist/bench/cycles.js --cycles 40` is the issue's measurement (800 events a cycle
// over 180 days, seed 8); `--cycles 80 --days 360` the same density twice as long.
import * as os from 'node:os';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { benchArgs, reportBenchFailure, type BenchCommand } from './args';
import { CYCLE_MEASURES, cyclesCsv, earlyLateWindows, runCycles, summariseWindow, type CycleRecord, type CycleWindow } from './aging';
import { windowsTable } from './aging-markdown';

/** The windows compared: the issue's early and late ones (cycles 5-9 and 37-40), and from 80 cycles on the run's own last tenth. */
export function cycleWindows(total: number): CycleWindow[] {
  const issue = earlyLateWindows(40);
  const own = earlyLateWindows(total);
  const out = total >= 40 ? [issue.early, issue.late] : [own.early, own.late];
  if (total >= 80) out.push(own.late);
  return out;
}

/** One markdown table: each measure's median per window and each window against the previous one. */
export function cyclesMarkdown(records: readonly CycleRecord[]): string[] {
  const windows = cycleWindows(records.length).map((w) => summariseWindow(records, w));
  const last = records.at(-1);
  const events = records.reduce((n, r) => n + r.events, 0);
  return [
    ...windowsTable(windows, CYCLE_MEASURES.map((m) => m.name), (w) => `${w.from}-${w.to}`), '',
    `${records.length} cycles, ${events.toLocaleString('en-US')} events; files in the lake at the end, by area: ${Object.entries(last?.filesInLake ?? {}).map(([a, n]) => `${a} ${n}`).join(', ')}.`,
  ];
}

export const CYCLES_COMMAND: BenchCommand = {
  command: 'node dist/bench/cycles.js',
  summary: 'Feeds a generated stream to the local runner one cycle at a time (a new lake in --dir), then prints the median cost per\ncycle in the early and late windows (cycles 5-9 and 37-40; from 80 cycles also the last tenth) and the files in the lake.\nThe issue\'s measurement: --cycles 40; the same density twice as long: --cycles 80 --days 360.',
  options: {
    cycles: { type: 'number', default: '40', help: 'cycles to run' },
    'events-per-cycle': { type: 'number', default: '800', help: 'events landed before each run' },
    days: { type: 'number', default: '180', help: 'days of order history the stream spreads over' },
    seed: { type: 'number', default: '8', help: 'the generator\'s seed' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'orderlake-cycles'), help: 'work folder, emptied first; cycles.csv is written there' },
  },
};

async function main(): Promise<void> {
  const a = benchArgs(CYCLES_COMMAND);
  if (!a) return;
  const cycles = a.num('cycles');
  const dir = a.str('dir');
  const records = await runCycles({
    workDir: dir, cycles, eventsPerCycle: a.num('events-per-cycle'),
    stream: { seed: a.num('seed'), days: a.num('days'), end: new Date('2026-11-01T00:00:00Z') },
    onCycle: (r) => process.stderr.write(`cycles: ${r.cycle} of ${cycles}: ${r.seconds.toFixed(2)} s, ${r.reads.files} files read\n`),
  });
  await fs.writeFile(path.join(dir, 'cycles.csv'), cyclesCsv(records));
  process.stdout.write(cyclesMarkdown(records).join('\n') + '\n');
}

if (require.main === module) void main().catch(reportBenchFailure);
