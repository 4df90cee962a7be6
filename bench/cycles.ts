// One part of figure 7 alone: a number of cycles of a generated stream through the local runner
// (runCycles), then the medians of the issue's early and late windows and, when the run is long
// enough, of its last tenth; the files the lake holds at the end. Minutes instead of figure 7's
// hour: `node dist/bench/cycles.js --cycles 40` is the issue's measurement (800 events a cycle
// over 180 days, seed 8); `--cycles 80 --days 360` the same density twice as long.
import * as os from 'node:os';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';
import { CYCLE_MEASURES, cyclesCsv, earlyLateWindows, runCycles, summariseWindow, windowMedian, type CycleRecord, type CycleWindow } from './aging';

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
  const windows = cycleWindows(records.length);
  const name = (w: CycleWindow) => `cycles ${w.from}-${w.to}`;
  const head = ['per cycle, median', ...windows.map(name), ...windows.slice(1).map((w, i) => `${name(w).slice(7)} / ${name(windows[i]!).slice(7)}`)];
  const rows = CYCLE_MEASURES.map((m) => {
    const v = windows.map((w) => windowMedian(records, w, m.pick));
    const fmt = (x: number) => (m.unit === 's' ? x.toFixed(2) : x.toLocaleString('en-US', { maximumFractionDigits: 1 }));
    return [m.name, ...v.map(fmt), ...v.slice(1).map((x, i) => `${(x / v[i]!).toFixed(2)}×`)];
  });
  const last = records.at(-1);
  const events = records.reduce((n, r) => n + r.events, 0);
  return [
    `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), '',
    `${records.length} cycles, ${events.toLocaleString('en-US')} events; files in the lake at the end, by area: ${Object.entries(last?.filesInLake ?? {}).map(([a, n]) => `${a} ${n}`).join(', ')}.`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    cycles: { type: 'string', default: '40' }, 'events-per-cycle': { type: 'string', default: '800' }, days: { type: 'string', default: '180' },
    seed: { type: 'string', default: '8' }, dir: { type: 'string', default: path.join(os.tmpdir(), 'orderlake-cycles') },
  } });
  const cycles = Number(values.cycles);
  const records = await runCycles({
    workDir: values.dir!, cycles, eventsPerCycle: Number(values['events-per-cycle']),
    stream: { seed: Number(values.seed), days: Number(values.days), end: new Date('2026-11-01T00:00:00Z') },
    onCycle: (r) => process.stderr.write(`cycles: ${r.cycle} of ${cycles}: ${r.seconds.toFixed(2)} s, ${r.reads.files} files read\n`),
  });
  await fs.writeFile(path.join(values.dir!, 'cycles.csv'), cyclesCsv(records));
  process.stdout.write(cyclesMarkdown(records).join('\n') + '\n');
}

if (require.main === module) void main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
