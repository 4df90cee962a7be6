import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, runGold, openLocalLake, optimizeLocal, vacuumLocal } from '../../src/local/runner';
import { optimizeSilver, vacuumLake, routineMaintenance, COMPACTED_PREFIX } from '../../src/pipeline/maintenance';
import { exportTable } from '../../src/gold/export';
import { GOLD_TABLES } from '../../src/gold/tables';
import { readDeltaLog, readDeltaRows, folderFiles } from '../helpers/delta-reader';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';
import { tempDirs } from '../helpers/tmp';
import { goldLines } from '../helpers/gold-dataset';
import { readManifest, writeManifest } from '../../src/gold/state';
import { pipelineStats } from '../../src/pipeline/stats';

const tmp = tempDirs();
const NOW = new Date('2026-06-02T00:00:00Z');
const now = () => NOW;
const table = (lakeDir: string, name: string) => folderFiles(path.join(lakeDir, ...name.split('/')));

/** A lake of many small silver batches (50 events per batch and partition). */
async function smallBatchLake(): Promise<string> {
  const dir = tmp();
  const lines = [...generateEvents({ ...DEFAULT_STREAM, seed: 3, events: 3000, days: 40, end: new Date('2026-06-01T00:00:00Z') })];
  await fs.writeFile(path.join(dir, 'in.jsonl'), lines.join('\n') + '\n');
  const lakeDir = path.join(dir, 'lake');
  // gold: false, so the routine compaction after gold does not run: the test runs it.
  await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now, batchSize: 50, gold: false });
  return lakeDir;
}

async function exports(lakeDir: string): Promise<string> {
  const { lake } = openLocalLake(lakeDir);
  let out = '';
  for (const t of GOLD_TABLES) {
    if (t.name === 'data_quality_runs') continue;
    for await (const line of exportTable(lake, t.name)) out += `${t.name} ${line}\n`;
  }
  return out;
}

describe('optimizeSilver', () => {
  it('merges the small batch files of each silver table into few files sorted by order_date, with the same rows', async () => {
    const lakeDir = await smallBatchLake();
    // Silver is published by a gold run (runGold: no routine compaction after it).
    await runGold(lakeDir, { now });
    const before = await readDeltaLog(table(lakeDir, 'silver/order_events'));
    const rowsBefore = await readDeltaRows(table(lakeDir, 'silver/order_events'));
    const goldBefore = await exports(lakeDir);
    const done = await optimizeLocal(lakeDir, { minFiles: 2, now });
    expect(done.map((d) => d.table).sort()).toEqual(['quarantine', 'silver/order_events', 'silver/order_lines']);
    const after = await readDeltaLog(table(lakeDir, 'silver/order_events'));
    expect(before.files.length).toBeGreaterThan(20);
    expect(after.files.length).toBeLessThanOrEqual(2);
    expect(await readDeltaRows(table(lakeDir, 'silver/order_events'))).toEqual(rowsBefore);
    // Clustered: each file's order_date range follows the previous one's.
    const ranges = after.files.map((f) => JSON.parse(f.stats!) as { minValues: { order_date: string }; maxValues: { order_date: string } }).map((s) => [s.minValues.order_date, s.maxValues.order_date]).sort();
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]! >= ranges[i - 1]![1]!).toBe(true);
    // The replaced files are still on disk for readers of the previous version; gold is untouched.
    for (const f of before.files) await expect(fs.stat(path.join(lakeDir, 'silver', 'order_events', f.path))).resolves.toBeDefined();
    expect(await exports(lakeDir)).toBe(goldBefore);
    // Nothing left to do.
    const { lake } = openLocalLake(lakeDir);
    expect(await optimizeSilver(lake, { minFiles: 2, now })).toEqual([]);
  });
});

describe('vacuumLake', () => {
  it('keeps replaced files for the retention period, then deletes them, never a live one', async () => {
    const lakeDir = await smallBatchLake();
    await runLocal({ input: path.join(path.dirname(lakeDir), 'in.jsonl'), lakeDir, now, batchSize: 50 });
    await optimizeLocal(lakeDir, { minFiles: 2, now });
    const replaced = (await readDeltaLog(table(lakeDir, 'silver/order_events'))).tombstones;
    expect(replaced.length).toBeGreaterThan(20);
    const rows = await readDeltaRows(table(lakeDir, 'silver/order_events'));
    // Within the 7 days: nothing of theirs goes.
    expect((await vacuumLocal(lakeDir, { now })).deleted['silver/order_events']).toBeUndefined();
    // Eight days later (the files' own age counts too, so the clock moves past both).
    const later = new Date(Date.now() + 8 * 86_400_000);
    const dry = await vacuumLocal(lakeDir, { now: () => later, dryRun: true });
    expect(dry.deleted['silver/order_events']!.length).toBe(replaced.length);
    for (const f of replaced) await expect(fs.stat(path.join(lakeDir, 'silver', 'order_events', f))).resolves.toBeDefined();
    const r = await vacuumLocal(lakeDir, { now: () => later });
    expect(r.deleted['silver/order_events']!.sort()).toEqual(replaced.map((f) => `silver/order_events/${f}`).sort());
    for (const f of replaced) await expect(fs.stat(path.join(lakeDir, 'silver', 'order_events', f))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readDeltaRows(table(lakeDir, 'silver/order_events'))).toEqual(rows);
  });

  it('removes gold work files no manifest names, and keeps silver files of older versions that commits still name', async () => {
    const lakeDir = await smallBatchLake();
    await runLocal({ input: path.join(path.dirname(lakeDir), 'in.jsonl'), lakeDir, now, batchSize: 50 });
    const { lake, state } = openLocalLake(lakeDir);
    await lake.writeFile('gold/_work/orders/month=2026-05/2026-05-01_2026-05-31-r99.parquet', 'left by a killed run');
    await lake.writeFile('silver/order_events/order_date=2026-05-01/p0-000000000000-000000000009.jsonl', '{"older":"batch"}\n');
    const r = await vacuumLake(lake, state.commits, { now: () => new Date(Date.now() + 8 * 86_400_000) });
    expect(r.deleted['gold/_work']).toEqual(['gold/_work/orders/month=2026-05/2026-05-01_2026-05-31-r99.parquet']);
    await expect(lake.readFile('silver/order_events/order_date=2026-05-01/p0-000000000000-000000000009.jsonl')).resolves.toBeDefined();
  });

  it('keeps the files of batches committed since the last gold run, which no Delta version names yet', async () => {
    const dir = tmp();
    const lines = goldLines();
    await fs.writeFile(path.join(dir, 'in.jsonl'), lines.slice(0, 10).join('\n') + '\n');
    const lakeDir = path.join(dir, 'lake');
    await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now, batchSize: 5 });
    await fs.appendFile(path.join(dir, 'in.jsonl'), lines.slice(10).join('\n') + '\n');
    await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now, batchSize: 5, gold: false });
    const { lake, state } = openLocalLake(lakeDir);
    const gold = await readManifest(lake);
    const waiting = (await state.commits.since(gold?.cursor)).commits.flatMap((c) => c.files).filter((f) => f.startsWith('silver/'));
    expect(waiting.length).toBeGreaterThan(0);
    const r = await vacuumLake(lake, state.commits, { now: () => new Date(Date.now() + 8 * 86_400_000) });
    expect(Object.values(r.deleted).flat().filter((f) => waiting.includes(f))).toEqual([]);
    for (const f of waiting) await expect(lake.readFile(f)).resolves.toBeDefined();
    // The next gold run takes them in, whole.
    await runGold(lakeDir, { now });
    expect((await readDeltaRows(table(lakeDir, 'silver/order_events'))).length).toBe((await pipelineStats(state.commits)).written);
  });
  it('keeps the changes staged for waiting dates, and no batch file for them: folded after the vacuum, gold is that of one run', async () => {
    const dir = tmp();
    const lines = [...generateEvents({ ...DEFAULT_STREAM, seed: 3, events: 3000, days: 40, end: new Date('2026-06-01T00:00:00Z') })];
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, lines.slice(0, 1500).join('\n') + '\n');
    const lakeDir = path.join(dir, 'lake');
    await runLocal({ input, lakeDir, now, batchSize: 50 });
    await fs.appendFile(input, lines.slice(1500).join('\n') + '\n');
    await runLocal({ input, lakeDir, now, batchSize: 50, gold: false });
    // Hot from 2026-06-01, one cold date folded a run: the other dates the second half changed wait, their rows staged.
    await runGold(lakeDir, { now, fold: { hotDays: 1, coldOrdersPerRun: 1 } });
    const { lake } = openLocalLake(lakeDir);
    const m = (await readManifest(lake))!;
    const staged = (m.staged ?? []).flatMap((s) => [s.events, s.lines]).filter((f): f is string => f !== undefined);
    expect([(m.deferred ?? []).length > 1, staged.length]).toEqual([true, 2]);
    await optimizeLocal(lakeDir, { minFiles: 2, now });
    const replaced = (await readDeltaLog(table(lakeDir, 'silver/order_events'))).tombstones.map((f) => `silver/order_events/${f}`);
    expect(replaced.length).toBeGreaterThan(0);
    const r = await vacuumLocal(lakeDir, { now: () => new Date(Date.now() + 8 * 86_400_000) });
    // Every batch file compaction replaced is gone; the staged changes, older than the work files' grace period too, stay.
    expect((r.deleted['silver/order_events'] ?? []).sort()).toEqual(replaced.sort());
    for (const f of staged) await expect(lake.readFile(f)).resolves.toBeDefined();
    // Folded from them (no policy: every waiting date at once), gold is that of one run over all events.
    await runGold(lakeDir, { now });
    const folded = (await readManifest(lake))!;
    expect([folded.deferred, folded.staged]).toEqual([undefined, undefined]);
    const once = path.join(dir, 'once');
    await runLocal({ input, lakeDir: once, now, batchSize: 50 });
    expect(await exports(lakeDir)).toBe(await exports(once));
  }, 120_000);
});

describe('routineMaintenance', () => {
  it('compacts when enough small files piled up, and vacuums once a day', async () => {
    const lakeDir = await smallBatchLake();
    await runLocal({ input: path.join(path.dirname(lakeDir), 'in.jsonl'), lakeDir, now, batchSize: 50 });
    const { lake, state } = openLocalLake(lakeDir);
    // runLocal already ran it after gold: compacted (16 small files or more) and vacuumed today.
    expect((await readDeltaLog(table(lakeDir, 'silver/order_events'))).files.length).toBeLessThanOrEqual(2);
    const again = await routineMaintenance(lake, state.commits, state.documents, { now });
    expect([again.optimized, again.vacuumed]).toEqual([[], undefined]);
    const tomorrow = await routineMaintenance(lake, state.commits, state.documents, { now: () => new Date(NOW.getTime() + 86_400_000) });
    expect(tomorrow.vacuumed).toBeDefined();
  });

  it('never reads a compaction\'s output again: it merges only the batch files that arrived since (orderlake optimize still merges them all)', async () => {
    const dir = tmp();
    const lines = [...generateEvents({ ...DEFAULT_STREAM, seed: 4, events: 4000, days: 40, end: new Date('2026-06-01T00:00:00Z') })];
    const input = path.join(dir, 'in.jsonl');
    const lakeDir = path.join(dir, 'lake');
    await fs.writeFile(input, lines.slice(0, 2000).join('\n') + '\n');
    await runLocal({ input, lakeDir, now, batchSize: 50 }); // gold, then the routine compaction
    const keys = async () => (await readDeltaLog(table(lakeDir, 'silver/order_events'))).files.map((f) => f.path).sort();
    const first = await keys();
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((k) => k.startsWith(COMPACTED_PREFIX))).toBe(true);
    await fs.appendFile(input, lines.slice(2000).join('\n') + '\n');
    await runLocal({ input, lakeDir, now, batchSize: 50, gold: false });
    await runGold(lakeDir, { now });
    const piled = await keys();
    expect(piled.filter((k) => !k.startsWith(COMPACTED_PREFIX)).length).toBeGreaterThanOrEqual(16);
    const rows = await readDeltaRows(table(lakeDir, 'silver/order_events'));
    const { lake, state } = openLocalLake(lakeDir);
    const routine = await routineMaintenance(lake, state.commits, state.documents, { now });
    const events = routine.optimized.find((o) => o.table === 'silver/order_events')!;
    expect(events.removed).toBe(piled.length - first.length);
    const after = await keys();
    // The first compaction's files are still live, untouched; the new batch files are merged.
    expect(after.filter((k) => first.includes(k))).toEqual(first);
    expect(after.length).toBe(first.length + events.added);
    expect(await readDeltaRows(table(lakeDir, 'silver/order_events'))).toEqual(rows);
    // orderlake optimize bin-packs every small file, compacted ones included.
    const all = await optimizeLocal(lakeDir, { minFiles: 2, now });
    expect(all.find((o) => o.table === 'silver/order_events')!.removed).toBe(after.length);
    expect(await readDeltaRows(table(lakeDir, 'silver/order_events'))).toEqual(rows);
  });
});
