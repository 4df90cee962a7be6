import { TableClient } from '@azure/data-tables';
import { TableLedger, TableCommitLog, TableDocuments, TableLease, ensureTable, mapLimit } from '../../../src/adapters/azure/table-state';
import { emptyCounts } from '../../../src/silver/refine';
import type { BatchCommit } from '../../../src/pipeline/ports';
import { startAzurite, type Azurite } from '../../helpers/azurite';

let azurite: Azurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
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
  it('returns the committed ranges overlapping a batch, replaces a re-committed batch, and lists since a cursor', async () => {
    const t = await table();
    const log = new TableCommitLog(t);
    await log.commit(commit('p0-000000000000-000000000009', '0', [[0, 9]]));
    await log.commit(commit('p0-000000000010-000000000019', '0', [[10, 19]]));
    await log.commit(commit('p0-000000500000-000000500009', '0', [[500000, 500009]]));
    await log.commit(commit('p1-000000000000-000000000004', '1', [[0, 4]]));
    expect(await log.committedRanges('0', 5, 25)).toEqual([[0, 19]]);
    expect(await log.committedRanges('0')).toEqual([[0, 19], [500000, 500009]]);
    expect(await log.committedRanges('1', 0, 10)).toEqual([[0, 4]]);
    const first = await log.since(undefined);
    expect(first.commits.map((c) => c.batchId).sort()).toEqual(['p0-000000000000-000000000009', 'p0-000000000010-000000000019', 'p0-000000500000-000000500009', 'p1-000000000000-000000000004']);
    await log.commit(commit('p0-000000000000-000000000009', '0', [[0, 4]]));
    expect(await log.committedRanges('0', 0, 9)).toEqual([[0, 4]]); // only ranges overlapping 0..9
    expect(await log.committedRanges('0', 0, 15)).toEqual([[0, 4], [10, 19]]);
    const next = await log.since(first.cursor);
    expect(next.commits.map((c) => c.batchId)).toContain('p0-000000000000-000000000009');
    expect((await log.all()).length).toBe(4);
  });

  it('keeps a commit larger than one property holds', async () => {
    const t = await table();
    const files = Array.from({ length: 1000 }, (_, i) => `silver/order_events/order_date=2026-01-01/p0-${String(i).padStart(12, '0')}-000000000000.jsonl`);
    await new TableCommitLog(t).commit(commit('p2-000000000000-000000000001', '2', [[0, 1]], { files }));
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
