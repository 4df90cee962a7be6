// Figure 7's section of docs/benchmarks.md, from the numbers bench/aging.ts measured.
import { ratio, sumAreas, type AgingFigure, type CycleWindow, type WindowSummary } from './aging';

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

/** Bytes as kB or MB (decimal), one decimal from 10 MB down. */
export function fmtBytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n >= 1e6) return `${fmt(n / 1e6, n >= 1e8 ? 0 : 1)} MB`;
  return `${fmt(n / 1e3, 0)} kB`;
}

const times = (r: number) => (Number.isFinite(r) ? `${fmt(r, 2)}×` : 'from 0');
const TARGET = 1.3;
const verdict = (r: number, target: number) => (Number.isFinite(r) ? (r <= target ? 'met' : '**not met**') : 'n/a');
const span = (w: CycleWindow) => `${fmt(w.from)}-${fmt(w.to)}`;
/** A window of the short run, numbered from 0 as the issue numbers its cycles. */
const span0 = (w: CycleWindow) => `${w.from - 1}-${w.to - 1}`;
const DATA_AREAS = ['silver', 'quarantine', 'gold', 'gold work'];
const LOG_AREAS = ['log commits', 'log checkpoints'];
const isLakeArea = (a: string) => DATA_AREAS.includes(a) || LOG_AREAS.includes(a);
const total = (byArea: Readonly<Record<string, number>>) => sumAreas(byArea, () => true);

function measureCell(name: string, v: number): string {
  return /bytes/.test(name) ? fmtBytes(v) : fmt(v, /seconds/.test(name) ? 2 : 0);
}

/** Areas whose mean bytes read per cycle grew more than the target between two windows, largest growth first. */
export function growingReads(before: WindowSummary, after: WindowSummary, target = TARGET): Array<{ area: string; before: number; after: number; ratio: number }> {
  const areas = [...new Set([...Object.keys(before.bytesByArea), ...Object.keys(after.bytesByArea)])];
  return areas
    .map((area) => ({ area, before: before.bytesByArea[area] ?? 0, after: after.bytesByArea[area] ?? 0 }))
    .map((g) => ({ ...g, ratio: ratio(g.after, g.before) }))
    .filter((g) => g.after > g.before && !(g.ratio <= target))
    .sort((x, y) => y.after - y.before - (x.after - x.before));
}

function agingSection(f: AgingFigure): string[] {
  const a = f.aging;
  const ws = a.windows;
  const last = ws.at(-1);
  const prev = ws.at(-2);
  const head = ws.map((w) => `cycle ${fmt(w.at)} (${span(w.summary.window)})`);
  const ratioHead = prev && last ? [`${fmt(last.at)} / ${fmt(prev.at)}`] : [];
  const r = (pick: (s: WindowSummary) => number) => (prev && last ? [times(ratio(pick(last.summary), pick(prev.summary)))] : []);
  const row = (label: string, cell: (s: WindowSummary) => string, pick?: (s: WindowSummary) => number) =>
    `| ${label} | ${ws.map((w) => cell(w.summary)).join(' | ')}${ratioHead.length ? ` | ${pick ? r(pick)[0] : ''}` : ''} |`;
  const rows: string[] = [];
  for (const name of ['wall seconds', 'lake files opened', 'bytes read', 'Delta log files read', 'Delta log bytes read']) {
    rows.push(row(`${name}, median`, (s) => measureCell(name, s.medians[name]!), (s) => s.medians[name]!));
    rows.push(row(`${name}, mean`, (s) => measureCell(name, s.means[name]!), (s) => s.means[name]!));
  }
  rows.push(row('files in the lake after the window (bronze included)', (s) => fmt(total(s.filesInLake)), (s) => total(s.filesInLake)));
  const areas = [...new Set(ws.flatMap((w) => Object.keys(w.summary.bytesByArea)))].sort();
  const areaRows = areas.map((area) => row(area, (s) => `${fmt(s.filesByArea[area] ?? 0, 1)} / ${fmtBytes(s.bytesByArea[area] ?? 0)}`, (s) => s.bytesByArea[area] ?? 0));
  const grown = prev && last ? growingReads(prev.summary, last.summary) : [];
  const targets = prev && last
    ? ['wall seconds', 'lake files opened', 'bytes read'].map((n) => `${n} ${times(ratio(last.summary.medians[n]!, prev.summary.medians[n]!))} (${verdict(ratio(last.summary.medians[n]!, prev.summary.medians[n]!), TARGET)})`).join(', ')
    : 'n/a (one window)';
  return [
    '## 7. Aging: what a cycle costs as the lake grows',
    '',
    `A steady stream: ${fmt(a.events)} generated events over ${fmt(f.sizes.aging.days)} days of orders (seed 7, the default dirt: late events up to 20 days, out-of-order ones, duplicates), fed in send order, ${fmt(f.sizes.aging.eventsPerCycle)} per cycle, for ${fmt(a.cycles)} cycles. Each cycle appends its events to one landing file and runs the local runner on it in this process (\`runLocal\`: bronze, silver, then gold and routine maintenance: silver compaction once a table has 16 small files, a vacuum a day), on a new lake on the local disk, with the system clock. The lake is wrapped by a counting Lake (\`bench/counting-lake.ts\`): files opened are \`readFile\` calls plus local paths handed to DuckDB (gold, compaction and the Delta checkpoint reader read those in place; each counts as a file opened and its size as bytes read, an upper bound); the pipeline's state (commit log, ledger, checkpoints of the source) is under \`_state/\`, outside the lake, and not counted. Every cycle checks that the wrapper handed out at least the files gold says it read. Medians over a window of cycles around each point absorb noise; means over the same window spread the cost paid every few cycles (compaction) over them. The whole run took ${fmt(a.seconds / 60, 1)} minutes.`,
    '',
    `| per cycle | ${head.join(' | ')}${ratioHead.length ? ` | ${ratioHead[0]} |` : ' |'}`,
    `|---|${ws.map(() => '---').join('|')}|${ratioHead.length ? '---|' : ''}`,
    ...rows,
    '',
    'Files opened / bytes read per cycle by area of the lake (means over each window; "log" areas are the Delta logs of every table, silver and gold):',
    '',
    `| area | ${head.join(' | ')}${ratioHead.length ? ` | ${ratioHead[0]} (bytes) |` : ' |'}`,
    `|---|${ws.map(() => '---').join('|')}|${ratioHead.length ? '---|' : ''}`,
    ...areaRows,
    '',
    grown.length && prev && last
      ? `What grows with age, from cycle ${fmt(prev.at)} to ${fmt(last.at)} (mean bytes read per cycle): ${grown.map((g) => `${g.area} ${fmtBytes(g.before)} → ${fmtBytes(g.after)} (${times(g.ratio)})`).join('; ')}.`
      : `No area's reads grew more than ${times(TARGET)} between the last two windows.`,
    '',
    `Target: at most ${times(TARGET)} from cycle ${prev ? fmt(prev.at) : '?'} to cycle ${last ? fmt(last.at) : '?'} (medians): ${targets}.`,
    '',
  ];
}

function shortSection(f: AgingFigure): string[] {
  const s = f.short;
  const per1000 = (n: number) => (n * 1000) / s.events;
  const live = (tables: string[]) => tables.reduce((sum, t) => sum + (s.live[t] ?? 0), 0);
  const liveSilver = live(['silver/order_events', 'silver/order_lines']);
  const liveQuarantine = live(['quarantine']);
  const liveGold = live(Object.keys(s.live).filter((t) => t.startsWith('gold/')));
  const lakeTotal = sumAreas(s.filesInLake, isLakeArea);
  const areaRow = (label: string, areas: string[], liveCount: string) => {
    const n = sumAreas(s.filesInLake, (a) => areas.includes(a));
    return `| ${label} | ${fmt(n)} | ${fmt(per1000(n), 1)} | ${liveCount} |`;
  };
  const m = (name: string) => ({ early: s.early.medians[name]!, late: s.late.medians[name]!, r: ratio(s.late.medians[name]!, s.early.medians[name]!) });
  const targetRow = (name: string, label: string) => {
    const x = m(name);
    return `| ${label} | ${measureCell(name, x.early)} | ${measureCell(name, x.late)} | **${times(x.r)}** | ${times(TARGET)} (${verdict(x.r, TARGET)}) |`;
  };
  return [
    `### 7.2 The issue's measurement: ${fmt(s.cycles)} cycles of ${fmt(f.sizes.short.eventsPerCycle)}`,
    '',
    `${fmt(s.events)} generated events over ${fmt(f.sizes.short.days)} days (seed 8), ${fmt(s.cycles)} cycles as above (${fmt(s.seconds, 0)} s in all). Per cycle, medians of cycles ${span0(s.early.window)} and ${span0(s.late.window)} (counted from 0, as in the issue):`,
    '',
    '| per cycle, median | cycles ' + span0(s.early.window) + ' | cycles ' + span0(s.late.window) + ' | ratio | target |',
    '|---|---|---|---|---|',
    targetRow('lake files opened', 'lake files opened'),
    targetRow('wall seconds', 'wall seconds'),
    `| bytes read | ${fmtBytes(m('bytes read').early)} | ${fmtBytes(m('bytes read').late)} | ${times(m('bytes read').r)} | |`,
    `| Delta log files read | ${fmt(m('Delta log files read').early)} | ${fmt(m('Delta log files read').late)} | ${times(m('Delta log files read').r)} | |`,
    '',
    ...longerRun(f),
    `Files in the lake after the ${fmt(s.cycles)} cycles (on disk: removed files stay for the tables' 7-day retention, and the routine vacuum runs once a day), and the data files the Delta snapshots list:`,
    '',
    '| area | files on disk | per 1,000 events | live in the Delta snapshots |',
    '|---|---|---|---|',
    areaRow('silver (order_events, order_lines)', ['silver'], fmt(liveSilver)),
    areaRow('quarantine', ['quarantine'], fmt(liveQuarantine)),
    areaRow('gold tables', ['gold'], fmt(liveGold)),
    areaRow("gold's work data (gold/_work)", ['gold work'], '—'),
    areaRow('Delta logs: commits and _last_checkpoint', ['log commits'], '—'),
    areaRow('Delta logs: checkpoints', ['log checkpoints'], '—'),
    `| **silver + quarantine + gold, all of the above** | ${fmt(lakeTotal)} | **${fmt(per1000(lakeTotal), 1)}** | ${fmt(liveSilver + liveQuarantine + liveGold)} (${fmt(per1000(liveSilver + liveQuarantine + liveGold), 1)} per 1,000 events) |`,
    '',
    `Target: at most 15 files per 1,000 events in silver, quarantine and gold: ${fmt(per1000(lakeTotal), 1)} on disk (${verdict(per1000(lakeTotal), 15)}), ${fmt(per1000(liveSilver + liveQuarantine + liveGold), 1)} live data files (${verdict(per1000(liveSilver + liveQuarantine + liveGold), 15)}). Bronze, one file per batch, is not counted (${fmt(s.filesInLake['bronze'] ?? 0)} files).`,
    '',
  ];
}

/**
 * Each measure's median per window and each window against the one before, the last ratio in
 * bold when `boldLast`. `label` names a window (figure 7 counts the short run's cycles from 0,
 * as the issue does; bench/cycles.js from 1).
 */
export function windowsTable(windows: readonly WindowSummary[], names: readonly string[], label: (w: CycleWindow) => string, boldLast = false): string[] {
  const head = ['per cycle, median', ...windows.map((w) => `cycles ${label(w.window)}`), ...windows.slice(1).map((w, i) => `${label(w.window)} / ${label(windows[i]!.window)}`)];
  const rows = names.map((name) => {
    const v = windows.map((w) => w.medians[name]!);
    const ratios = v.slice(1).map((x, i) => times(ratio(x, v[i]!)));
    if (boldLast && ratios.length) ratios[ratios.length - 1] = `**${ratios[ratios.length - 1]!}**`;
    return [name, ...v.map((x) => measureCell(name, x)), ...ratios];
  });
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** The same density run longer: does the late window still grow, or was the growth warm-up? */
function longerRun(f: AgingFigure): string[] {
  const l = f.longer;
  const size = f.sizes.longer;
  if (!l || !size || l.windows.length < 3) return [];
  const [early, mid, last] = l.windows as [WindowSummary, WindowSummary, WindowSummary];
  const grew = ['lake files opened', 'wall seconds'].filter((n) => !(ratio(last.medians[n]!, mid.medians[n]!) <= TARGET));
  return [
    `The same stream density for ${fmt(l.cycles)} cycles (${fmt(l.events)} events over ${fmt(size.days)} days, seed 8, ${fmt(l.seconds, 0)} s): is the growth age, or warm-up? Medians per cycle:`,
    '',
    ...windowsTable(l.windows, ['lake files opened', 'wall seconds', 'Delta log files read', 'bytes read'], span0, true),
    '',
    grew.length
      ? `From cycles ${span0(mid.window)} to ${span0(last.window)} ${grew.join(' and ')} still grew more than ${times(TARGET)}: not only warm-up.`
      : `From cycles ${span0(mid.window)} to ${span0(last.window)} files opened and seconds stay within ${times(TARGET)}: the growth from cycles ${span0(early.window)} is warm-up, not age. In cycles ${span0(early.window)} no table has a checkpoint yet (the first comes at version 10, after which a reader reads it, _last_checkpoint and up to 9 commits), and the lake is younger than the month that late events reach back, so a cycle rewrites fewer work ranges.`,
    '',
  ];
}

function optimizeSection(f: AgingFigure): string[] {
  const o = f.optimize;
  const tables = Object.keys(o.after.live);
  const per1000 = (n: number) => (n * 1000) / o.events;
  const liveAfter = total(o.after.live);
  const diskAfter = total(o.after.disk);
  return [
    '### 7.3 Silver and quarantine files after optimize and vacuum',
    '',
    `${fmt(o.events)} generated events over ${fmt(f.sizes.optimize.days)} days (seed 9), fed in ${fmt(o.cycles)} cycles as above, then \`orderlake optimize\` (\`optimizeLocal\`, its defaults: tables with at least 16 files under 128 MiB) and a vacuum with retention 0 (\`vacuumLocal\` with \`retentionMs: 0\`). Optimize: ${o.optimized.length ? o.optimized.map((t) => `${t.table} ${fmt(t.removed)} files into ${fmt(t.added)}`).join(', ') : 'nothing to compact'}; the vacuum deleted ${fmt(o.vacuumed)} files.`,
    '',
    '| table | live before | on disk before | live after | on disk after |',
    '|---|---|---|---|---|',
    ...tables.map((t) => `| ${t} | ${fmt(o.before.live[t] ?? 0)} | ${fmt(o.before.disk[t] ?? 0)} | ${fmt(o.after.live[t] ?? 0)} | ${fmt(o.after.disk[t] ?? 0)} |`),
    `| **per 1,000 events** | ${fmt(per1000(total(o.before.live)), 2)} | ${fmt(per1000(total(o.before.disk)), 2)} | **${fmt(per1000(liveAfter), 2)}** | **${fmt(per1000(diskAfter), 2)}** |`,
    '',
    `Target: at most 5 silver and quarantine data files per 1,000 events after optimize: ${fmt(per1000(liveAfter), 2)} live (${verdict(per1000(liveAfter), 5)}), ${fmt(per1000(diskAfter), 2)} on disk (${verdict(per1000(diskAfter), 5)}). Live: the Parquet files the tables' Delta snapshots list; on disk: Parquet files under the tables, their _delta_log left out.`,
    '',
  ];
}

export function figure7Markdown(f: AgingFigure, how: { command: string; csv: string }): string[] {
  return [
    ...agingSection(f),
    ...shortSection(f),
    ...optimizeSection(f),
    `Per-cycle figures (every count above, cycle by cycle, by area): ${how.csv}.`,
    '',
    `Command: \`${how.command}\``,
    '',
  ];
}
