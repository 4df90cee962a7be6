import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, replayLocal, openLocalLake } from '../../src/local/runner';
import { publishSilver } from '../../src/pipeline/publish-silver';
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

/** A silver table as a reader we did not write sees it. */
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

  it('publishes each batch once, also when its cursor was lost after the Delta commit', async () => {
    const lakeDir = await lakeOf(goldLines());
    const { lake, state } = openLocalLake(lakeDir);
    const before = await readDeltaLog(table(lakeDir, 'silver/order_events'));
    expect((await publishSilver({ lake, commits: state.commits, documents: state.documents, now })).tables).toEqual([]);
    // Killed between the Delta commits and saving the cursor: the next publish reads every commit again.
    await fs.rm(path.join(lakeDir, '_state', 'documents', 'silver-publish.json'));
    const again = await publishSilver({ lake, commits: state.commits, documents: state.documents, now });
    expect([again.commits > 0, again.tables]).toEqual([true, []]);
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
});
