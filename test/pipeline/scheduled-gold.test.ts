// One scheduled gold run (the Azure timer's and the local runner's): gold, then the upkeep,
// sharing one run's snapshots.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { scheduledGold } from '../../src/pipeline/scheduled-gold';
import type { Lake } from '../../src/pipeline/ports';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';
import { tempDirs } from '../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();
const NOW = new Date('2026-06-02T00:00:00Z');

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
    const later = await scheduledGold(deps(new Date(NOW.getTime() + 25 * 3_600_000)));
    expect([later.gold.run, later.upkeep.vacuumed !== undefined]).toEqual([2, true]);
    for (const table of ['order_events', 'order_lines']) {
      const commits = reads.filter((p) => new RegExp(`^silver/${table}/_delta_log/\\d{20}\\.json$`).test(p));
      expect([table, commits.length > 1, commits.length]).toEqual([table, true, new Set(commits).size]);
    }
  });
});
