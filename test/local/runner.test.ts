import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { LandingFileSource } from '../../src/adapters/local/landing-source';
import { ingestBronze } from '../../src/pipeline/ingest-bronze';
import { pipelineStats } from '../../src/pipeline/stats';
import { dirtyLines, DIRTY_EXPECTED } from '../helpers/dirty-file';
import { tempDirs } from '../helpers/tmp';
import { silverRowsOf } from '../helpers/silver';
import { CountingLake } from '../helpers/delta-tables';
import type { Lake } from '../../src/pipeline/ports';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';

const tmp = tempDirs();
const now = () => new Date('2026-03-05T12:00:00Z');

async function silverSnapshot(lakeDir: string): Promise<string[]> {
  const { lake, state } = openLocalLake(lakeDir);
  const files = (await state.commits.all()).flatMap((c) => c.files);
  const rows = [
    ...(await silverRowsOf(lake, files.filter((f) => f.startsWith('silver/order_events/')))),
    ...(await silverRowsOf(lake, files.filter((f) => f.startsWith('silver/order_lines/')))),
  ];
  return rows.map((r) => JSON.parse(r) as Record<string, unknown>).map((r) => `${r['event_id']}|${r['line_number'] ?? ''}|${r['status'] ?? ''}`).sort();
}

describe('runLocal', () => {
  it('gives the same silver and counts for the input in two halves as in one run', async () => {
    const dir = tmp();
    const lines = dirtyLines();
    const whole = path.join(dir, 'whole.jsonl');
    await fs.writeFile(whole, lines.join('\n') + '\n');
    await runLocal({ input: whole, lakeDir: path.join(dir, 'one'), now, batchSize: 4 });

    const halves = path.join(dir, 'halves.jsonl');
    await fs.writeFile(halves, lines.slice(0, 11).join('\n') + '\n');
    await runLocal({ input: halves, lakeDir: path.join(dir, 'two'), now, batchSize: 4 });
    await fs.appendFile(halves, lines.slice(11).join('\n') + '\n');
    const second = await runLocal({ input: halves, lakeDir: path.join(dir, 'two'), now, batchSize: 4 });
    expect(second.read).toBe(12);

    const one = await pipelineStats(openLocalLake(path.join(dir, 'one')).state.commits);
    const two = await pipelineStats(openLocalLake(path.join(dir, 'two')).state.commits);
    expect({ ...two, batches: 0 }).toEqual({ ...one, batches: 0 });
    expect({ ...one, batches: 0 }).toEqual({ ...DIRTY_EXPECTED, batches: 0 });
    expect(await silverSnapshot(path.join(dir, 'two'))).toEqual(await silverSnapshot(path.join(dir, 'one')));
  });

  it("reads each silver table's log from where the last run left it, once a run: maintenance reads silver as gold's commits left it", async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    const lakeDir = path.join(dir, 'lake');
    await fs.writeFile(input, '');
    const events = generateEvents({ ...DEFAULT_STREAM, seed: 3, days: 20, events: 400, end: new Date('2026-03-01T00:00:00Z') });
    const cycle = async (wrap?: (lake: Lake) => Lake) => {
      const lines: string[] = [];
      for (let n = events.next(); !n.done && lines.length < 20; n = events.next()) lines.push(n.value);
      await fs.appendFile(input, lines.join('\n') + '\n');
      await runLocal({ input, lakeDir, now, batchSize: 1000, partitions: 1, ...(wrap ? { wrapLake: wrap } : {}) });
    };
    // Eleven runs: each commits once to every silver table, so version 10 and its checkpoint exist.
    for (let i = 0; i < 11; i++) await cycle();
    let counting: CountingLake | undefined;
    await cycle((lake) => (counting = new CountingLake(lake)));
    const log = (t: string, f: string) => `silver/${t}/_delta_log/${f}`;
    const v = (n: number) => `${String(n).padStart(20, '0')}.json`;
    // Gold publishes lines, then events, each from the seed the last run left: the probe for
    // version 11 (missing), then the seed's commit file (10) checked; then committed as 11;
    // maintenance then probes only version 12. Neither checkpoint nor hint is read: version 10
    // is a moment old.
    expect(counting!.reads.filter((p) => p.startsWith('silver/') && p.includes('/_delta_log/'))).toEqual([
      log('order_lines', v(11)), log('order_lines', v(10)),
      log('order_events', v(11)), log('order_events', v(10)),
      log('order_events', v(12)),
      log('order_lines', v(12)),
    ]);
  }, 180_000);

  it('finishes a batch that a crash left between bronze and silver, exactly once', async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, dirtyLines().join('\n') + '\n');
    const lakeDir = path.join(dir, 'lake');
    // What a run does up to the crash: bronze written, messages queued, source checkpoint saved; silver not.
    const { lake, state } = openLocalLake(lakeDir);
    const src = new LandingFileSource({ input, partitions: 4, batchSize: 1000, now }, state.documents);
    for await (const chunk of src.chunks()) {
      for (const b of chunk.batches) await state.queue.send(await ingestBronze(b, lake));
      await chunk.commit();
    }
    expect((await state.queue.pending()).length).toBeGreaterThan(0);

    const r = await runLocal({ input, lakeDir, now });
    expect(r.read).toBe(0); // nothing new in the input: the checkpoint was saved
    expect(await state.queue.pending()).toEqual([]);
    const s = await pipelineStats(openLocalLake(lakeDir).state.commits);
    expect({ ...s, batches: 0 }).toEqual({ ...DIRTY_EXPECTED, batches: 0 });
  });

  it('refuses to run while another live process holds the lake', async () => {
    const dir = tmp();
    const lakeDir = path.join(dir, 'lake');
    const holder = openLocalLake(lakeDir).state.lock;
    await holder.acquire();
    await fs.writeFile(path.join(dir, 'in.jsonl'), 'x\n');
    try {
      await expect(runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir })).rejects.toThrow(`the lake is in use by process ${process.pid}`);
    } finally {
      await holder.release();
    }
  });
});
