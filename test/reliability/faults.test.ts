// A write error mid-batch (a full disk) fails the batch cleanly and a retry completes it;
// two gold runs at once do not corrupt a table (the second exits with a clear message).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { pipelineStats } from '../../src/pipeline/stats';
import { exportTable } from '../../src/gold/export';
import type { Lake } from '../../src/pipeline/ports';
import type { LocalLake } from '../../src/adapters/local/local-lake';
import { CLI } from '../helpers/cli';
import { goldLines, GOLD_NOW } from '../helpers/gold-dataset';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();
const now = () => GOLD_NOW;

async function monthly(lakeDir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const l of exportTable(openLocalLake(lakeDir).lake, 'monthly_revenue')) out.push(l);
  return out;
}

describe('a write error mid-batch', () => {
  it.each([3, 8, 20])('at write %i fails the run cleanly, and running again completes it exactly', async (failAt) => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, goldLines().join('\n') + '\n');
    const cleanDir = path.join(dir, 'clean');
    await runLocal({ input, lakeDir: cleanDir, now, batchSize: 5 });

    const lakeDir = path.join(dir, 'lake');
    let writes = 0;
    const fullDisk = (lake: LocalLake): Lake => ({
      list: (p) => lake.list(p), readFile: (p) => lake.readFile(p), deleteFile: (p) => lake.deleteFile(p), localPath: (p) => lake.localPath(p), sweepTemporary: (d) => lake.sweepTemporary(d),
      writeFileIfAbsent: (p, d) => lake.writeFileIfAbsent(p, d),
      writeFile: async (p, d) => {
        if (++writes === failAt) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${p}'`), { code: 'ENOSPC' });
        return lake.writeFile(p, d);
      },
    });
    await expect(runLocal({ input, lakeDir, now, batchSize: 5, wrapLake: fullDisk })).rejects.toThrow('ENOSPC: no space left on device');
    await runLocal({ input, lakeDir, now, batchSize: 5 });
    const s = (d: string) => pipelineStats(openLocalLake(d).state.commits).then((x) => ({ ...x, batches: 0 }));
    expect(await s(lakeDir)).toEqual(await s(cleanDir));
    expect(await monthly(lakeDir)).toEqual(await monthly(cleanDir));
  });
});

describe('two gold runs at once', () => {
  it('never corrupt a table: one runs, the other exits with a clear message', async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, goldLines().join('\n') + '\n');
    const lakeDir = path.join(dir, 'lake');
    await runLocal({ input, lakeDir, now, gold: false });
    const gold = () => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, [CLI, 'gold', '--lake', lakeDir, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      c.on('close', (code) => resolve({ code, stderr }));
    });
    const results = await Promise.all([gold(), gold()]);
    const codes = results.map((r) => r.code).sort();
    // Usually one waits out the other (exit 1, "in use"); if the first finished before the
    // second started, both succeed. Never a corrupt table either way.
    expect([[0, 1], [0, 0]]).toContainEqual(codes);
    for (const r of results.filter((x) => x.code === 1)) expect(r.stderr).toMatch(/^orderlake gold: the lake is in use by process \d+/);
    const clean = path.join(dir, 'clean');
    await runLocal({ input, lakeDir: clean, now });
    expect(await monthly(lakeDir)).toEqual(await monthly(clean));
  });
});
