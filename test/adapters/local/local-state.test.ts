import * as path from 'node:path';
import { LocalLedger, LocalCommitLog, LocalDocuments, LocalQueue, LocalLock } from '../../../src/adapters/local/local-state';
import { emptyCounts } from '../../../src/silver/refine';
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
  const commit = (batchId: string, partition: string, sequences: Array<[number, number]>) => ({
    batchId, partition, sequences, bronzeFile: 'b', files: [], counts: emptyCounts(), dataQuality: [], orderDates: [], committedAt: '2026-01-01T00:00:00.000Z',
  });
  it('merges committed ranges per partition and replaces a re-committed batch', async () => {
    const dir = tmp();
    const log = new LocalCommitLog(dir);
    await log.commit(commit('x', '0', [[0, 9]]));
    await log.commit(commit('y', '0', [[10, 19]]));
    await log.commit(commit('z', '1', [[5, 5]]));
    const reopened = new LocalCommitLog(dir);
    expect(await reopened.committedRanges('0')).toEqual([[0, 19]]);
    expect(await reopened.committedRanges('1')).toEqual([[5, 5]]);
    await reopened.commit(commit('x', '0', [[0, 4]]));
    expect(await new LocalCommitLog(dir).committedRanges('0')).toEqual([[0, 4], [10, 19]]);
    expect((await new LocalCommitLog(dir).all()).map((c) => c.batchId)).toEqual(['y', 'z', 'x']);
  });
  it('returns the commits after a cursor, read back from the log, across reopening and new commits', async () => {
    const dir = tmp();
    const log = new LocalCommitLog(dir);
    // Multi-byte text makes a line's bytes differ from its characters: offsets must count bytes.
    await log.commit({ ...commit('a', '0', [[0, 9]]), bronzeFile: 'bronze/café-€.jsonl' });
    await log.commit(commit('b', '1', [[0, 4]]));
    const first = await log.since(undefined);
    expect(first.commits.map((c) => [c.batchId, c.bronzeFile])).toEqual([['a', 'bronze/café-€.jsonl'], ['b', 'b']]);
    expect(first.cursor).toBe('2');
    expect(await log.since('2')).toEqual({ commits: [], cursor: '2' });
    await log.commit(commit('c', '0', [[10, 19]]));
    await log.commit(commit('a', '0', [[0, 9]])); // a replay's re-commit is a new line
    const reopened = new LocalCommitLog(dir);
    const next = await reopened.since(first.cursor);
    expect(next.commits.map((c) => [c.batchId, c.sequences])).toEqual([['c', [[10, 19]]], ['a', [[0, 9]]]]);
    expect(next.cursor).toBe('4');
    expect((await log.since('3')).commits.map((c) => c.bronzeFile)).toEqual(['b']);
    await expect(reopened.since('5')).rejects.toThrow('expected a commit cursor in 0..4, got "5"');
    expect((await reopened.all()).map((c) => c.batchId)).toEqual(['b', 'c', 'a']);
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
  it('refuses a second holder while the first is alive, and takes over a dead one', async () => {
    const file = path.join(tmp(), 'lock');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, String(process.ppid)); // a live process that is not us
    await expect(new LocalLock(file).acquire()).rejects.toThrow(`the lake is in use by process ${process.ppid}`);
    writeFileSync(file, '999999999'); // no such process
    await new LocalLock(file).acquire();
    await new LocalLock(file).release();
  });
});
