import * as path from 'node:path';
import { LocalLedger, LocalCommitLog, LocalDocuments, LocalQueue, LocalLock } from '../../../src/adapters/local/local-state';
import { readFileSync, writeFileSync } from 'node:fs';
import { emptyCounts } from '../../../src/silver/refine';
import { emptyHead } from '../../../src/pipeline/heads';
import type { BatchCommit } from '../../../src/pipeline/ports';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();

describe('LocalLedger', () => {
  it('gives each id to its first position, durably, and re-claims by the owner are no-ops', async () => {
    const dir = tmp();
    const ledger = new LocalLedger(dir);
    const first = await ledger.claim([{ eventId: 'a', position: '0:1' }, { eventId: 'a', position: '0:2' }, { eventId: 'b', position: '0:3' }]);
    expect([...first]).toEqual([['a', '0:1'], ['b', '0:3']]);
    const reopened = new LocalLedger(dir);
    expect([...(await reopened.claim([{ eventId: 'a', position: '1:9' }, { eventId: 'b', position: '0:3' }]))]).toEqual([['a', '0:1'], ['b', '0:3']]);
  });
  it('releases an id only for its owner', async () => {
    const dir = tmp();
    const ledger = new LocalLedger(dir);
    await ledger.claim([{ eventId: 'a', position: '0:1' }]);
    await ledger.release([{ eventId: 'a', position: '0:2' }]);
    expect((await new LocalLedger(dir).claim([{ eventId: 'a', position: '0:5' }])).get('a')).toBe('0:1');
    await ledger.release([{ eventId: 'a', position: '0:1' }]);
    expect((await new LocalLedger(dir).claim([{ eventId: 'a', position: '0:5' }])).get('a')).toBe('0:5');
  });
});

describe('LocalCommitLog', () => {
  const commit = (batchId: string, partition: string, sequences: Array<[number, number]>, received = 1): BatchCommit => ({
    batchId, partition, sequences, bronzeFile: 'b', files: [], counts: { ...emptyCounts(), received, written: received }, dataQuality: [], orderDates: [], committedAt: '2026-01-01T00:00:00.000Z',
  });
  const commitOn = async (log: LocalCommitLog, c: BatchCommit) => expect(await log.commit(c, await log.head(c.partition))).toBe(true);

  it('keeps a head per partition (ranges, totals, batches), across reopening, read from the last line only', async () => {
    const dir = tmp();
    const log = new LocalCommitLog(dir);
    expect(await log.head('0')).toEqual(emptyHead('0'));
    await commitOn(log, commit('x', '0', [[0, 9]], 10));
    await commitOn(log, commit('y', '0', [[10, 19]], 10));
    await commitOn(log, commit('z', '1', [[5, 5]], 1));
    const reopened = new LocalCommitLog(dir);
    expect(await reopened.head('0')).toMatchObject({ seq: 2, ranges: [[0, 19]], batches: 2, totals: { received: 20, written: 20 } });
    expect((await reopened.heads()).map((h) => [h.partition, h.seq, h.ranges])).toEqual([['0', 2, [[0, 19]]], ['1', 1, [[5, 5]]]]);
    // Only the last line is read on opening: the earlier lines could be anything.
    const file = path.join(dir, 'commits.log');
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, ['garbage', 'garbage', lines[2], ''].join('\n'));
    expect((await new LocalCommitLog(dir).head('0')).seq).toBe(2);
  });

  it('refuses a commit made against a head that is no longer current, writing nothing', async () => {
    const log = new LocalCommitLog(tmp());
    const head = await log.head('0');
    expect(await log.commit(commit('a', '0', [[0, 9]]), head)).toBe(true);
    expect(await log.commit(commit('b', '0', [[5, 14]]), head)).toBe(false);
    expect((await log.all()).map((c) => c.batchId)).toEqual(['a']);
    expect((await log.head('0')).ranges).toEqual([[0, 9]]);
  });

  it('returns each commit after a cursor exactly once, across reopening and new commits, with byte offsets', async () => {
    const dir = tmp();
    const log = new LocalCommitLog(dir);
    // Multi-byte text makes a line's bytes differ from its characters: offsets must count bytes.
    await commitOn(log, { ...commit('a', '0', [[0, 9]]), bronzeFile: 'bronze/café-€.jsonl' });
    await commitOn(log, commit('b', '1', [[0, 4]]));
    const first = await log.since(undefined);
    expect(first.commits.map((c) => [c.batchId, c.bronzeFile, c.seq])).toEqual([['a', 'bronze/café-€.jsonl', 1], ['b', 'b', 1]]);
    expect(first.commits[0]).not.toHaveProperty('heads');
    expect(await log.since(first.cursor)).toEqual({ commits: [], cursor: first.cursor, more: false });
    await commitOn(log, commit('c', '0', [[10, 19]]));
    const replay = { ...commit('a', '0', [[0, 9]]), replaces: { committedAt: '2026-01-01T00:00:00.000Z', counts: commit('a', '0', [[0, 9]]).counts, dataQuality: [], files: [], orderDates: [] } };
    await commitOn(new LocalCommitLog(dir), replay);
    const next = await new LocalCommitLog(dir).since(first.cursor);
    expect(next.commits.map((c) => [c.batchId, c.seq, Boolean(c.replaces)])).toEqual([['c', 2, false], ['a', 3, true]]);
    expect(await new LocalCommitLog(dir).since(next.cursor)).toEqual({ commits: [], cursor: next.cursor, more: false });
    await expect(log.since('b999999')).rejects.toThrow(/expected a commit cursor at most b\d+/);
    await expect(log.since('yesterday')).rejects.toThrow('expected a commit cursor like b1234');
    // A line-count cursor of older versions still resumes at the right line.
    expect((await log.since('3')).commits.map((c) => c.batchId)).toEqual(['a']);
    expect((await new LocalCommitLog(dir).all()).map((c) => c.batchId)).toEqual(['b', 'c', 'a']);
    expect((await new LocalCommitLog(dir).head('0')).batches).toBe(2);
  });

  it('with a limit returns the next commits in log order, a cursor after them, and whether more follow', async () => {
    const dir = tmp();
    const log = new LocalCommitLog(dir);
    for (const [id, p, from] of [['a', '0', 0], ['b', '1', 0], ['c', '0', 10], ['d', '1', 5], ['e', '0', 20]] as const) await commitOn(log, commit(id, p, [[from, from + 4]]));
    const steps: string[][] = [];
    let cursor: string | undefined;
    for (let more = true; more;) {
      const r = await new LocalCommitLog(dir).since(cursor, 2);
      steps.push(r.commits.map((c) => c.batchId));
      cursor = r.cursor;
      more = r.more;
    }
    expect(steps).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(cursor).toBe((await log.since(undefined)).cursor);
    expect(await log.since(cursor, 2)).toEqual({ commits: [], cursor, more: false });
  });

  it('reads a log written before heads existed, and writes heads from its next commit', async () => {
    const dir = tmp();
    const old = [commit('x', '0', [[0, 9]], 10), commit('y', '0', [[10, 19]], 10), commit('x', '0', [[0, 9]], 7)];
    writeFileSync(path.join(dir, 'commits.log'), old.map((c) => JSON.stringify(c)).join('\n') + '\n');
    const log = new LocalCommitLog(dir);
    expect(await log.head('0')).toMatchObject({ ranges: [[0, 19]], batches: 2, totals: { received: 17 } });
    await commitOn(log, commit('z', '0', [[20, 20]], 1));
    expect(await new LocalCommitLog(dir).head('0')).toMatchObject({ ranges: [[0, 20]], batches: 3, totals: { received: 18 } });
  });
});

describe('LocalDocuments', () => {
  it('stores named JSON documents', async () => {
    const docs = new LocalDocuments(tmp());
    expect(await docs.get('cp')).toBeUndefined();
    await docs.put('cp', { a: 1 });
    expect(await docs.get('cp')).toEqual({ a: 1 });
  });
});

describe('LocalQueue', () => {
  it('keeps messages until completed, in batch id order', async () => {
    const q = new LocalQueue(tmp());
    const m = (id: string) => ({ batchId: id, partition: '0', bronzeFile: `bronze/${id}.jsonl`, events: 1 });
    await q.send(m('p0-2'));
    await q.send(m('p0-1'));
    expect((await q.pending()).map((x) => x.batchId)).toEqual(['p0-1', 'p0-2']);
    await q.complete(m('p0-1'));
    expect((await q.pending()).map((x) => x.batchId)).toEqual(['p0-2']);
  });
});

describe('LocalLock', () => {
  it('refuses a second holder with the holder named, and is free again once released', async () => {
    const dir = path.join(tmp(), 'writer-lock');
    const first = new LocalLock(dir);
    await first.acquire();
    await expect(new LocalLock(dir).acquire()).rejects.toThrow(`the lake is in use by process ${process.pid} (lock ${dir}); wait for it to finish`);
    await first.release();
    const second = new LocalLock(dir);
    await second.acquire();
    await second.release();
  });
});
