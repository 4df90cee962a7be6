import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, replayLocal, openLocalLake, optimizeLocal } from '../../src/local/runner';
import { publishSilver, planTablePublish, filesMayHold } from '../../src/pipeline/publish-silver';
import { quarantineLines } from '../../src/pipeline/stats';
import type { BatchCommit } from '../../src/pipeline/ports';
import type { DeltaSnapshot, LiveFile } from '../../src/delta';
import { pipelineStats } from '../../src/pipeline/stats';
import { readDeltaLog, readDeltaRows, folderFiles } from '../helpers/delta-reader';
import { goldLines, GOLD_NOW } from '../helpers/gold-dataset';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();
const now = () => GOLD_NOW;

async function lakeOf(lines: string[]): Promise<string> {
  const dir = tmp();
  await fs.writeFile(path.join(dir, 'in.jsonl'), lines.join('\n') + '\n');
  const lakeDir = path.join(dir, 'lake');
  await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now, batchSize: 5 });
  return lakeDir;
}

/** A silver table as an independent reader (test/helpers/delta-reader.ts) sees it. */
const table = (lakeDir: string, name: string) => folderFiles(path.join(lakeDir, ...name.split('/')));

describe('publishSilver', () => {
  it('makes silver three Delta tables any reader lists: rows = written, quarantined; txn = each partition\'s last commit', async () => {
    const lakeDir = await lakeOf(goldLines());
    const { state } = openLocalLake(lakeDir);
    const stats = await pipelineStats(state.commits);
    const events = table(lakeDir, 'silver/order_events');
    expect((await readDeltaRows(events)).length).toBe(stats.written);
    expect((await readDeltaRows(table(lakeDir, 'quarantine'))).length).toBe(stats.quarantined);
    const lines = await readDeltaRows(table(lakeDir, 'silver/order_lines'));
    expect(lines.length).toBeGreaterThan(stats.written);
    const log = await readDeltaLog(events);
    const heads = await state.commits.heads();
    expect(log.txns).toEqual(Object.fromEntries(heads.map((h) => [`orderlake-silver-${h.partition}`, h.seq])));
    // At most three files per batch: one per table.
    expect(log.files.length).toBeLessThanOrEqual(stats.batches);
  });

  it('publishes each batch once: commits the tables hold are skipped (a gold run killed after publishing reads them again)', async () => {
    const lakeDir = await lakeOf(goldLines());
    const { lake, state } = openLocalLake(lakeDir);
    const before = await readDeltaLog(table(lakeDir, 'silver/order_events'));
    const all = await state.commits.since(undefined);
    expect(all.commits.length).toBeGreaterThan(2);
    expect(await publishSilver(lake, all.commits, { now })).toEqual({ commits: 0, tables: [] });
    expect(await readDeltaLog(table(lakeDir, 'silver/order_events'))).toEqual(before);
  });

  it("replaces a replayed batch's files in the tables, and keeps the old files for readers of older versions", async () => {
    const lakeDir = await lakeOf(goldLines());
    const before = await readDeltaRows(table(lakeDir, 'silver/order_events'));
    const oldFiles = (await readDeltaLog(table(lakeDir, 'silver/order_events'))).files.map((f) => f.path);
    await replayLocal(lakeDir, { now });
    const after = await readDeltaLog(table(lakeDir, 'silver/order_events'));
    expect(await readDeltaRows(table(lakeDir, 'silver/order_events'))).toEqual(before);
    expect(after.files.map((f) => f.path).filter((p) => oldFiles.includes(p))).toEqual([]);
    expect(after.tombstones).toEqual([...oldFiles].sort());
    for (const f of oldFiles) await expect(fs.stat(path.join(lakeDir, 'silver', 'order_events', f))).resolves.toBeDefined();
  });

  it("deletes a replayed batch's rows from the compacted files holding them (copy-on-write): every row once", async () => {
    const lakeDir = await lakeOf(goldLines());
    const sortById = (rows: Array<Record<string, unknown>>) => rows.map((r) => JSON.stringify(r)).sort();
    const before = { events: sortById(await readDeltaRows(table(lakeDir, 'silver/order_events'))), lines: sortById(await readDeltaRows(table(lakeDir, 'silver/order_lines'))) };
    const optimized = await optimizeLocal(lakeDir, { minFiles: 2, now });
    expect(optimized.map((o) => o.table)).toEqual(expect.arrayContaining(['silver/order_events', 'silver/order_lines']));
    expect((await readDeltaLog(table(lakeDir, 'silver/order_events'))).files.length).toBe(1);

    const r = await replayLocal(lakeDir, { now });
    expect(r.gold?.newBatches).toBeGreaterThan(0);
    expect(sortById(await readDeltaRows(table(lakeDir, 'silver/order_events')))).toEqual(before.events);
    expect(sortById(await readDeltaRows(table(lakeDir, 'silver/order_lines')))).toEqual(before.lines);
    const { state } = openLocalLake(lakeDir);
    expect((await readDeltaRows(table(lakeDir, 'quarantine'))).length).toBe((await pipelineStats(state.commits)).quarantined);
  });
});

describe('quarantineLines', () => {
  it('lists each record once while a replay is not yet published: the replayed batch\'s new files, not its old rows', async () => {
    const lakeDir = await lakeOf(goldLines());
    const { lake, state } = openLocalLake(lakeDir);
    const list = async () => { const out: string[] = []; for await (const l of quarantineLines(state.commits, lake)) out.push(l); return out.sort(); };
    const before = await list();
    expect(before.length).toBe((await pipelineStats(state.commits)).quarantined);
    await optimizeLocal(lakeDir, { minFiles: 2, now });
    await replayLocal(lakeDir, { now, gold: false });
    expect(await list()).toEqual(before);
  });
});

/** A live file of a table, as a snapshot holds it. */
function liveFile(key: string, bronze?: [string, string]): LiveFile {
  const stats = bronze ? { numRecords: 1, minValues: { bronze_file: bronze[0] }, maxValues: { bronze_file: bronze[1] }, nullCount: {} } : undefined;
  return { key, stats, add: { path: key, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true } } as LiveFile;
}

function snapshotOf(files: LiveFile[], txns: Record<string, number>): DeltaSnapshot {
  return { files: new Map(files.map((f) => [f.key, f])), txns: new Map(Object.entries(txns).map(([appId, version]) => [appId, { appId, version }])) } as unknown as DeltaSnapshot;
}

function commitOf(partition: string, seq: number, bronzeFile: string, files: string[], replaces?: { seq?: number; files: string[] }): BatchCommit {
  return { batchId: bronzeFile, partition, seq, bronzeFile, files, sequences: [], counts: {} as never, dataQuality: [], orderDates: [], committedAt: '',
    ...(replaces ? { replaces: { ...replaces, committedAt: '', counts: {} as never, dataQuality: [], orderDates: [] } } : {}) };
}

describe('planTablePublish', () => {
  const root = 'silver/order_events';
  it('adds commits past each partition\'s txn, skips the rest, and sets each txn to the highest commit', () => {
    const snap = snapshotOf([liveFile('a.parquet')], { 'orderlake-silver-0': 1 });
    const plan = planTablePublish(snap, root, [
      commitOf('0', 1, 'b/a', ['silver/order_events/a.parquet']),
      commitOf('0', 2, 'b/b', ['silver/order_events/b.parquet', 'silver/order_lines/b.parquet', 'silver/order_events/old.jsonl']),
      commitOf('1', 4, 'b/c', ['silver/order_events/c.parquet']),
    ], 5);
    expect(plan.adds.map((a) => [a.key, a.modificationTime])).toEqual([['b.parquet', 5], ['c.parquet', 5]]);
    expect([...plan.positions]).toEqual([['0', 2], ['1', 4]]);
    expect([plan.removes, plan.purge]).toEqual([[], []]);
  });

  it("removes a replayed batch's live file, deletes its rows from compacted files when it was published, and never adds a file replaced in the same publish", () => {
    const snap = snapshotOf([liveFile('a.parquet'), liveFile('part-compact-1.parquet')], { 'orderlake-silver-0': 3 });
    const plan = planTablePublish(snap, root, [
      commitOf('0', 4, 'b/a', ['silver/order_events/a2.parquet'], { seq: 1, files: ['silver/order_events/a.parquet'] }),
      commitOf('0', 5, 'b/x', ['silver/order_events/x2.parquet'], { seq: 2, files: ['silver/order_events/x.parquet'] }), // compacted away
      commitOf('0', 6, 'b/n', ['silver/order_events/n.parquet']),
      commitOf('0', 7, 'b/n', ['silver/order_events/n2.parquet'], { seq: 6, files: ['silver/order_events/n.parquet'] }), // n never reached the table
    ], 0);
    expect(plan.adds.map((a) => a.key)).toEqual(['a2.parquet', 'x2.parquet', 'n2.parquet']);
    expect(plan.removes.map((f) => f.key)).toEqual(['a.parquet']);
    expect(plan.purge).toEqual(['b/x']);
  });
});

describe('filesMayHold', () => {
  it('keeps files whose bronze_file bounds take a value, and files without statistics', () => {
    const files = [liveFile('p', ['bronze/a', 'bronze/c']), liveFile('q', ['bronze/d', 'bronze/f']), liveFile('r')];
    expect(filesMayHold(files, ['bronze/b']).map((f) => f.key)).toEqual(['p', 'r']);
    expect(filesMayHold(files, ['bronze/f', 'bronze/z']).map((f) => f.key)).toEqual(['q', 'r']);
  });
});
