import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { withLake } from '../../src/cli/lake-handle';
import { UsageError } from '../../src/cli/args';
import { runLocal } from '../../src/local/runner';
import { pipelineStats } from '../../src/pipeline/stats';
import { dirtyLines, DIRTY_EXPECTED } from '../helpers/dirty-file';
import { tempDirs } from '../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();

async function localLake(): Promise<string> {
  const dir = tmp();
  await fs.writeFile(path.join(dir, 'in.jsonl'), dirtyLines().join('\n') + '\n');
  await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir: path.join(dir, 'lake'), gold: false });
  return path.join(dir, 'lake');
}

describe('withLake', () => {
  it('opens a lake folder with its state, its backlog and its gold and replay runs', async () => {
    const lake = await localLake();
    const seen = await withLake({ lake }, 'stats', { state: true, writes: true }, async (h) => {
      const stats = await pipelineStats(h.commits);
      const gold = await h.gold({});
      const replay = await h.replay({});
      return { where: h.where, received: stats.received, backlog: await h.backlog(), goldRun: gold.run, replayed: replay.replayed, bronze: (await h.lake.list('bronze')).length };
    });
    expect(seen).toEqual({ where: lake, received: DIRTY_EXPECTED.received, backlog: { failed: 0, pending: 0 }, goldRun: 1, replayed: 4, bronze: 4 }); // one batch per source partition
  });

  it('refuses a folder that is not a lake, and --state with a folder', async () => {
    const dir = tmp();
    let ran = false;
    await expect(withLake({ lake: dir }, 'export', { state: false, writes: false }, async () => (ran = true))).rejects.toThrow(`${dir} is not a lake: the folder is empty`);
    const lake = await localLake();
    await expect(withLake({ lake, state: 'https://prodstate.table.core.windows.net' }, 'stats', { state: true, writes: false }, async () => (ran = true)))
      .rejects.toThrow(new UsageError(`--state is for an Azure lake (--lake https://<account>.dfs.core.windows.net); the lake ${lake} is a folder, with its state in ${lake}/_state`));
    expect(ran).toBe(false);
  });
});
