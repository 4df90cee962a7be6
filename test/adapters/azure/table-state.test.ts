import { TableClient } from '@azure/data-tables';
import { TableLedger, TableCommitLog, TableDocuments, TableLease, ensureTable, mapLimit } from '../../../src/adapters/azure/table-state';
import { emptyCounts } from '../../../src/silver/refine';
import { emptyHead } from '../../../src/pipeline/heads';
import type { BatchCommit } from '../../../src/pipeline/ports';
import { startAzurite, type Azurite } from '../../helpers/azurite';

let azurite: Azurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
}, 180_000);
afterAll(async () => {
  await azurite?.stop();
});

async function table(): Promise<TableClient> {
  const t = TableClient.fromConnectionString(azurite.connectionString, `t${Date.now()}x${n++}`, { allowInsecureConnection: true });
  await ensureTable(t);
  return t;
}

const commit = (batchId: string, partition: string, sequences: Array<[number, number]>, extra: Partial<BatchCommit> = {}): BatchCommit => ({
  batchId, partition, sequences, bronzeFile: `bronze/${batchId}.jsonl`, files: [], counts: { ...emptyCounts(), received: 1 }, dataQuality: [], orderDates: [], committedAt: '2026-01-01T00:00:00.000Z', ...extra,
});

describe('TableLedger (Azurite)', () => {
  it('gives each id to its first position, durably; the owner re-claiming is not a duplicate', async () => {
    const t = await table();
    const ledger = new TableLedger(t);
    const first = await ledger.claim([{ eventId: 'aaa-1', position: '0:1' }, { eventId: 'aaa-1', position: '0:2' }, { eventId: 'bbb-2', position: '0:3' }]);
    expect([...first]).toEqual([['aaa-1', '0:1'], ['bbb-2', '0:3']]);
    const again = await new TableLedger(t).claim([{ eventId: 'aaa-1', position: '1:9' }, { eventId: 'bbb-2', position: '0:3' }, { eventId: 'ccc-3', position: '1:10' }]);
    expect([...again]).toEqual([['aaa-1', '0:1'], ['bbb-2', '0:3'], ['ccc-3', '1:10']]);
  });

  it('settles a race: two claimers of one id at once get the same single owner', async () => {
    const t = await table();
    const [a, b] = await Promise.all([
      new TableLedger(t).claim([{ eventId: 'race', position: '0:1' }]),
      new TableLedger(t).claim([{ eventId: 'race', position: '1:1' }]),
    ]);
    expect(a.get('race')).toBe(b.get('race'));
  });

  it('releases an id only for its owner', async () => {
    const t = await table();
    const ledger = new TableLedger(t);
    await ledger.claim([{ eventId: 'x', position: '0:1' }]);
    await ledger.release([{ eventId: 'x', position: '0:2' }]);
    expect((await ledger.claim([{ eventId: 'x', position: '0:5' }])).get('x')).toBe('0:1');
    await ledger.release([{ eventId: 'x', position: '0:1' }]);
    expect((await ledger.claim([{ eventId: 'x', position: '0:5' }])).get('x')).toBe('0:5');
  });
});

describe('TableCommitLog (Azurite)', () => {
  const commitOn = async (log: TableCommitLog, c: BatchCommit) => expect(await log.commit(c, await log.head(c.partition))).toBe(true);

  it('keeps a head per partition and lists each commit after a cursor exactly once', async () => {
    const t = await table();
    const log = new TableCommitLog(t);
    expect(await log.head('0')).toEqual(emptyHead('0'));
    await commitOn(log, commit('p0-000000000000-000000000009', '0', [[0, 9]]));
    await commitOn(log, commit('p0-000000000010-000000000019', '0', [[10, 19]]));
    await commitOn(log, commit('p1-000000000000-000000000004', '1', [[0, 4]]));
    expect(await new TableCommitLog(t).head('0')).toMatchObject({ seq: 2, ranges: [[0, 19]], batches: 2, totals: { received: 2 } });
    expect((await log.heads()).map((h) => [h.partition, h.seq])).toEqual([['0', 2], ['1', 1]]);
    const first = await log.since(undefined);
    expect(first.commits.map((c) => [c.batchId, c.seq])).toEqual([['p0-000000000000-000000000009', 1], ['p0-000000000010-000000000019', 2], ['p1-000000000000-000000000004', 1]]);
    // No overlap: the same cursor twice gives nothing (a time cursor with a minute of overlap counted commits twice).
    expect((await log.since(first.cursor)).commits).toEqual([]);
    expect((await log.since(first.cursor)).commits).toEqual([]);
    await commitOn(log, commit('p0-000000000020-000000000029', '0', [[20, 29]]));
    const next = await new TableCommitLog(t).since(first.cursor);
    expect(next.commits.map((c) => c.batchId)).toEqual(['p0-000000000020-000000000029']);
    expect(JSON.parse(next.cursor)).toEqual({ 0: 3, 1: 1 });
    await expect(log.since('2026-01-01T00:00:00Z')).rejects.toThrow('expected a commit cursor like {"0":12}');
  });

  it('lets exactly one of two commits against the same head win, atomically with the head', async () => {
    const t = await table();
    const [a, b] = [new TableCommitLog(t), new TableCommitLog(t)];
    for (const log of [a, b]) await log.head('0');
    const head = await a.head('0');
    const results = await Promise.all([
      a.commit(commit('p0-000000000000-000000000099', '0', [[0, 99]]), head),
      b.commit(commit('p0-000000000050-000000000149', '0', [[50, 149]]), head),
    ]);
    expect(results.filter(Boolean).length).toBe(1);
    const after = await a.head('0');
    expect(after.seq).toBe(1);
    expect((await a.all()).length).toBe(1);
    // The loser's retry, made against the new head, commits.
    expect(await b.commit(commit('p0-000000000100-000000000149', '0', [[100, 149]]), after)).toBe(true);
    expect((await b.head('0')).ranges).toEqual([[0, 149]]);
  });

  it('keeps a commit larger than one property holds', async () => {
    const t = await table();
    const files = Array.from({ length: 1000 }, (_, i) => `silver/order_events/order_date=2026-01-01/p0-${String(i).padStart(12, '0')}-000000000000.jsonl`);
    const log = new TableCommitLog(t);
    await commitOn(log, commit('p2-000000000000-000000000001', '2', [[0, 1]], { files }));
    expect((await new TableCommitLog(t).all())[0]!.files).toEqual(files);
  });
});

describe('TableDocuments (Azurite)', () => {
  it('stores documents, large ones too', async () => {
    const docs = new TableDocuments(await table());
    expect(await docs.get('gold-state')).toBeUndefined();
    const big = { cursor: 'x'.repeat(70_000), runs: 3 };
    await docs.put('gold-state', big);
    expect(await docs.get('gold-state')).toEqual(big);
  });
});

describe('TableLease (Azurite)', () => {
  it('has one holder at a time, and an expired lease can be taken over', async () => {
    const t = await table();
    const lease = new TableLease(t);
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect(await lease.acquire('gold', 'a', 60_000, t0)).toBe(true);
    expect(await lease.acquire('gold', 'b', 60_000, new Date(t0.getTime() + 30_000))).toBe(false);
    expect(await lease.acquire('gold', 'b', 60_000, new Date(t0.getTime() + 61_000))).toBe(true);
    await lease.release('gold', 'a'); // not the holder any more: nothing happens
    expect(await lease.acquire('gold', 'c', 60_000, new Date(t0.getTime() + 62_000))).toBe(false);
    await lease.release('gold', 'b');
    expect(await lease.acquire('gold', 'c', 60_000, new Date(t0.getTime() + 62_000))).toBe(true);
  });

  it('extends a lease only for its holder, so a long run keeps it past the first expiry', async () => {
    const t = await table();
    const lease = new TableLease(t);
    const t0 = new Date('2026-02-01T00:00:00Z');
    expect(await lease.acquire('renewed', 'a', 60_000, t0)).toBe(true);
    expect(await lease.renew('renewed', 'a', 60_000, new Date(t0.getTime() + 50_000))).toBe(true);
    // Past the first expiry (60 s) but within the renewed one (110 s): still a's.
    expect(await lease.acquire('renewed', 'b', 60_000, new Date(t0.getTime() + 100_000))).toBe(false);
    expect(await lease.renew('renewed', 'b', 60_000, new Date(t0.getTime() + 100_000))).toBe(false);
    expect(await lease.acquire('renewed', 'b', 60_000, new Date(t0.getTime() + 111_000))).toBe(true);
    // Taken over: a's renewal fails and leaves b's lease as it was.
    expect(await lease.renew('renewed', 'a', 60_000, new Date(t0.getTime() + 112_000))).toBe(false);
    expect(await lease.acquire('renewed', 'c', 60_000, new Date(t0.getTime() + 170_000))).toBe(false);
    await lease.release('renewed', 'b');
    expect(await lease.renew('renewed', 'b', 60_000)).toBe(false);
  });
});

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, x));
      running--;
      return x * 10;
    });
    expect([out, peak]).toEqual([[50, 10, 40, 20, 30], 2]);
  });
});
