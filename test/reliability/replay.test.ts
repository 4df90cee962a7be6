// Replay reprocesses bronze without doubling anything; a batch a fail rule stopped stays
// in bronze and, once the cause is fixed, a replay processes it exactly once.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, replayLocal, openLocalLake } from '../../src/local/runner';
import { pipelineStats } from '../../src/pipeline/stats';
import { exportTable } from '../../src/gold/export';
import { GOLD_TABLES } from '../../src/gold/tables';
import { goldLines, GOLD_NOW } from '../helpers/gold-dataset';
import { orderEvent, uuid } from '../helpers/events';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();
const now = () => GOLD_NOW;

async function snapshot(lakeDir: string): Promise<string> {
  const { lake, state } = openLocalLake(lakeDir);
  let out = JSON.stringify({ ...(await pipelineStats(state.commits)), batches: undefined }) + '\n';
  for (const t of GOLD_TABLES.filter((x) => x.name !== 'data_quality_runs')) for await (const l of exportTable(lake, t.name)) out += `${t.name} ${l}\n`;
  return out;
}

describe('replayLocal', () => {
  it('reprocesses everything without doubling anything, any number of times', async () => {
    const dir = tmp();
    await fs.writeFile(path.join(dir, 'in.jsonl'), goldLines().join('\n') + '\n');
    const lakeDir = path.join(dir, 'lake');
    await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now, batchSize: 5 });
    const before = await snapshot(lakeDir);
    const r = await replayLocal(lakeDir, { now });
    expect([r.replayed, r.firstTime, r.failed]).toEqual([r.batches, 0, []]);
    expect(await snapshot(lakeDir)).toBe(before);
    await replayLocal(lakeDir, { now });
    expect(await snapshot(lakeDir)).toBe(before);
    const silverFiles = (await openLocalLake(lakeDir).lake.list('silver')).length;
    expect(silverFiles).toBeGreaterThan(0);
  });

  it('records a replay as replayed batches with net counts, so data_quality_runs always sums to stats', async () => {
    const dir = tmp();
    await fs.writeFile(path.join(dir, 'in.jsonl'), goldLines().join('\n') + '\n');
    const lakeDir = path.join(dir, 'lake');
    await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now, batchSize: 5 });
    const r = await replayLocal(lakeDir, { now });
    const { lake, state } = openLocalLake(lakeDir);
    const runs: Array<Record<string, number>> = [];
    for await (const l of exportTable(lake, 'data_quality_runs')) runs.push(JSON.parse(l) as Record<string, number>);
    expect(runs.map((x) => [x['run'], x['batches'], x['replayed_batches'], x['received']])).toEqual([[1, r.batches, 0, 24], [2, 0, r.batches, 0]]);
    const stats = await pipelineStats(state.commits);
    for (const k of ['received', 'written', 'quarantined', 'dropped', 'duplicates', 'warned', 'malformed'] as const) {
      expect([k, runs.reduce((sum, x) => sum + x[k]!, 0)]).toEqual([k, stats[k]]);
    }
  });

  it('limits itself to the ingest dates asked for', async () => {
    const dir = tmp();
    await fs.writeFile(path.join(dir, 'in.jsonl'), goldLines().join('\n') + '\n');
    const lakeDir = path.join(dir, 'lake');
    await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now });
    expect((await replayLocal(lakeDir, { now, fromDate: '2026-03-11' })).batches).toBe(0);
    expect((await replayLocal(lakeDir, { now, fromDate: '2026-03-10', toDate: '2026-03-10' })).batches).toBeGreaterThan(0);
  });
});

describe('a batch stopped by the fail rule', () => {
  it('stays in bronze, is not counted, and a replay after the fix processes it exactly once', async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    // One partition's batch of 120: 70 malformed (58%) and 50 valid events.
    const lines = [
      ...Array.from({ length: 70 }, (_, i) => `{"order_id":"ORD-777777","n":${i}, broken`),
      ...Array.from({ length: 50 }, (_, i) => JSON.stringify(orderEvent({ event_id: uuid(1000 + i), order_id: 'ORD-777777' }))),
    ];
    await fs.writeFile(input, lines.join('\n') + '\n');
    const lakeDir = path.join(dir, 'lake');
    const run = await runLocal({ input, lakeDir, now, partitions: 1, batchSize: 200 });
    expect(run.failedBatches).toBe(1);
    expect(run.failures[0]).toMatch(/^batch p0-000000000000-000000000119 stopped by rule quarantine_ratio: quarantine_ratio: 70 of 120 records \(58\.3%\) were quarantined/);
    const { lake, state } = openLocalLake(lakeDir);
    expect(await lake.list('bronze')).toEqual(['bronze/ingest_date=2026-03-10/partition=0/p0-000000000000-000000000119.jsonl']);
    expect(await lake.list('silver')).toEqual([]);
    expect((await pipelineStats(state.commits)).received).toBe(0);
    expect((await state.failed.pending()).length).toBe(1);

    // A replay with the rule unchanged stops again and changes nothing.
    const again = await replayLocal(lakeDir, { now });
    expect([again.failed.length, (await pipelineStats(state.commits)).received]).toEqual([1, 0]);

    // The cause fixed (here: the batch rule revised after investigation), the replay processes it once.
    const fixed = await replayLocal(lakeDir, { now, batchRules: [] });
    expect([fixed.firstTime, fixed.failed]).toEqual([1, []]);
    expect(await pipelineStats(openLocalLake(lakeDir).state.commits)).toMatchObject({ received: 120, written: 50, quarantined: 70 });
    expect(await state.failed.pending()).toEqual([]);
    await replayLocal(lakeDir, { now, batchRules: [] });
    expect(await pipelineStats(openLocalLake(lakeDir).state.commits)).toMatchObject({ received: 120, written: 50, quarantined: 70 });
  });
});
