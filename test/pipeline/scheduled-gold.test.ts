// One scheduled gold run (the Azure timer's and the local runner's): gold, then the upkeep,
// sharing one run's snapshots.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { scheduledGold } from '../../src/pipeline/scheduled-gold';
import { loadSeeds, readSnapshot, SnapshotCache, tryReadSnapshot, type DeltaSnapshot } from '../../src/delta';
import type { Lake } from '../../src/pipeline/ports';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';
import { tempDirs } from '../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();
const NOW = new Date('2026-06-02T00:00:00Z');
/** The table's state alone: how it was read left out. */
const stateOf = (s: DeltaSnapshot) => ({ ...s, checkpointVersion: undefined, commitDigest: undefined, commitTimestamp: undefined });

/** The lake, with the path of every file read recorded (probes of absent files left out). */
function recording(lake: Lake, reads: string[]): Lake {
  return new Proxy(lake, {
    get(target, key) {
      const v = Reflect.get(target, key, target) as unknown;
      if (key === 'readFile') return async (p: string) => {
        const bytes = await (v as Lake['readFile']).call(target, p);
        reads.push(p);
        return bytes;
      };
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('scheduledGold', () => {
  it('builds gold, then compacts and vacuums as due, reading each silver commit once across both', async () => {
    const dir = tmp();
    const lines = [...generateEvents({ ...DEFAULT_STREAM, seed: 3, events: 900, days: 20, end: new Date('2026-06-01T00:00:00Z') })];
    const input = path.join(dir, 'in.jsonl');
    const lakeDir = path.join(dir, 'lake');
    await fs.writeFile(input, lines.slice(0, 500).join('\n') + '\n');
    await runLocal({ input, lakeDir, now: () => NOW, batchSize: 50, gold: false });
    const { lake, state } = openLocalLake(lakeDir);
    const reads: string[] = [];
    const deps = (now: Date) => ({ lake: recording(lake, reads), commits: state.commits, documents: state.documents, scratchDir: state.goldScratch, now: () => now });

    // The first run's vacuum is due (none before).
    const first = await scheduledGold(deps(NOW));
    expect([first.gold.run, first.gold.tables.length, first.upkeep.vacuumed !== undefined]).toEqual([1, 10, true]);
    // Right after, nothing new: gold is idle and the daily vacuum is not due again.
    const idle = await scheduledGold(deps(NOW));
    expect([idle.gold.run, idle.upkeep.vacuumed, idle.upkeep.optimized]).toEqual([null, undefined, []]);

    // A day later, more batches: gold publishes them to silver, then compaction and vacuum read
    // silver's log through the same run's snapshots: each commit read once, then only probes.
    await fs.appendFile(input, lines.slice(500).join('\n') + '\n');
    await runLocal({ input, lakeDir, now: () => NOW, batchSize: 50, gold: false });
    reads.length = 0;
    await fs.rm(path.join(lakeDir, 'gold/_work/snapshot-seeds.json.gz')); // each log read from its start: the sharing shows
    const later = await scheduledGold(deps(new Date(NOW.getTime() + 25 * 3_600_000)));
    expect([later.gold.run, later.upkeep.vacuumed !== undefined]).toEqual([2, true]);
    for (const table of ['order_events', 'order_lines']) {
      const commits = reads.filter((p) => new RegExp(`^silver/${table}/_delta_log/\\d{20}\\.json$`).test(p));
      expect([table, commits.length > 1, commits.length]).toEqual([table, true, new Set(commits).size]);
    }
  });

  it('keeps the tables as it left them for the next run, which reads each log from its last commit on, not from the start', async () => {
    const dir = tmp();
    const lines = [...generateEvents({ ...DEFAULT_STREAM, seed: 4, events: 900, days: 20, end: new Date('2026-06-01T00:00:00Z') })];
    const input = path.join(dir, 'in.jsonl');
    const lakeDir = path.join(dir, 'lake');
    const { lake, state } = openLocalLake(lakeDir);
    const reads: string[] = [];
    const deps = { lake: recording(lake, reads), commits: state.commits, documents: state.documents, scratchDir: state.goldScratch, now: () => NOW };
    const versions = (table: string, paths: readonly string[]) => paths.flatMap((p) => {
      const m = new RegExp(`^${table}/_delta_log/(\\d{20})\\.json$`).exec(p);
      return m ? [Number(m[1])] : [];
    });
    for (const [from, to] of [[0, 300], [300, 600]]) {
      await fs.appendFile(input, lines.slice(from, to).join('\n') + '\n');
      await runLocal({ input, lakeDir, now: () => NOW, batchSize: 50, gold: false });
      await scheduledGold(deps);
    }
    // Both runs committed every gold table: versions 0 and 1. The seeds name version 1.
    const silverAt = (await readSnapshot(lake, 'silver/order_events')).version;
    expect(silverAt).toBeGreaterThan(1);
    await fs.appendFile(input, lines.slice(600).join('\n') + '\n');
    await runLocal({ input, lakeDir, now: () => NOW, batchSize: 50, gold: false });
    reads.length = 0;
    const third = await scheduledGold(deps);
    expect(third.gold.run).toBe(3);
    for (const table of ['gold/monthly_revenue', 'gold/customer_spend', 'gold/data_quality']) {
      expect([table, versions(table, reads)]).toEqual([table, [1]]); // the seed's commit, checked; then the probe for 2 (absent)
    }
    expect(reads.filter((p) => p.endsWith('_last_checkpoint') || p.endsWith('.checkpoint.parquet'))).toEqual([]);
    // Silver: the commit the second run left it at, then the third run's publish.
    expect(versions('silver/order_events', reads)).toEqual([silverAt]);
    // What the seeds hold is each table as its log has it.
    const seeds = await loadSeeds(lake, 'gold/_work/snapshot-seeds.json.gz');
    expect(seeds.size).toBe(13);
    for (const table of seeds.keys()) {
      const seeded = await new SnapshotCache(seeds).read(lake, table, { now: () => NOW });
      expect([table, stateOf(seeded!)]).toEqual([table, stateOf((await tryReadSnapshot(lake, table, { now: () => NOW }))!)]);
    }
    // Without the seeds, the same lake is read from version 0.
    await fs.rm(path.join(lakeDir, 'gold/_work/snapshot-seeds.json.gz'));
    await fs.appendFile(input, lines.slice(0, 50).map((l) => l.replace(/"event_id":"/, '"event_id":"again-')).join('\n') + '\n');
    await runLocal({ input, lakeDir, now: () => NOW, batchSize: 50, gold: false });
    reads.length = 0;
    await scheduledGold(deps);
    expect(versions('gold/monthly_revenue', reads).sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });

  it('still succeeds when the seeds cannot be written, saying so, and writes none when no table moved', async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    const lakeDir = path.join(dir, 'lake');
    await fs.writeFile(input, [...generateEvents({ ...DEFAULT_STREAM, seed: 5, events: 300, days: 20, end: new Date('2026-06-01T00:00:00Z') })].join('\n') + '\n');
    await runLocal({ input, lakeDir, now: () => NOW, batchSize: 50, gold: false });
    const { lake, state } = openLocalLake(lakeDir);
    const writes: string[] = [];
    let failSeeds = true;
    const flaky = new Proxy(lake, {
      get(target, key) {
        const v = Reflect.get(target, key, target) as unknown;
        if (key === 'writeFile') return async (p: string, d: string | Uint8Array) => {
          writes.push(p);
          if (failSeeds && p.endsWith('snapshot-seeds.json.gz')) throw new Error('503 ServerBusy');
          return (v as Lake['writeFile']).call(target, p, d);
        };
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const progress: string[] = [];
    const deps = { lake: flaky, commits: state.commits, documents: state.documents, scratchDir: state.goldScratch, now: () => NOW, onProgress: (m: string) => progress.push(m) };
    expect((await scheduledGold(deps)).gold.run).toBe(1);
    expect(progress.filter((m) => m.includes('snapshot-seeds'))).toEqual([
      'gold: could not keep the tables\' snapshots for the next run in gold/_work/snapshot-seeds.json.gz (503 ServerBusy); it will read each table from its checkpoint',
    ]);
    expect((await readSnapshot(lake, 'gold/monthly_revenue')).version).toBe(0);
    failSeeds = false;
    writes.length = 0;
    expect((await scheduledGold(deps)).gold.run).toBeNull(); // nothing new, but no seeds yet: written
    expect(writes.filter((p) => p.endsWith('snapshot-seeds.json.gz'))).toHaveLength(1);
    writes.length = 0;
    expect((await scheduledGold(deps)).gold.run).toBeNull(); // nothing new, seeds as they were
    expect(writes).toEqual([]);
  });
});
