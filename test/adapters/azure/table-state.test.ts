import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { TableLedger, TableCommitLog, TableDocuments, TableLease, ensureTable, mapLimit, LEDGER_BUCKETS } from '../../../src/adapters/azure/table-state';
import { ledgerPartition } from '../../../src/adapters/azure/ledger-partitions';
import { Random } from '../../../producer/random';
import { emptyCounts } from '../../../src/silver/refine';
import { emptyHead } from '../../../src/pipeline/heads';
import type { BatchCommit } from '../../../src/pipeline/ports';
import { useAzurite } from '../../helpers/use-azurite';

const azurite = useAzurite();
let n = 0;

const table = () => azurite.table('t');

type PipelinePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

/** Requests on the wire by kind: entity group transactions, point reads, the rest. */
interface Requests { egt: number; reads: number; other: number }

/** A table whose client counts every request it sends (a pipeline policy; SDK retries count too). */
async function countedTable(): Promise<{ table: TableClient; requests: Requests }> {
  const requests: Requests = { egt: 0, reads: 0, other: 0 };
  const counter: PipelinePolicy = {
    name: 'countRequests',
    sendRequest: (req, next) => {
      if (req.method === 'POST' && req.url.includes('$batch')) requests.egt++;
      else if (req.method === 'GET' && /\(PartitionKey='[^']*',RowKey='[^']*'\)/.test(decodeURIComponent(req.url))) requests.reads++;
      else requests.other++;
      return next(req);
    },
  };
  const table = TableClient.fromConnectionString(azurite.connectionString(), `t${Date.now()}x${n++}`, { allowInsecureConnection: true, additionalPolicies: [{ policy: counter, position: 'perRetry' }] });
  await ensureTable(table);
  Object.assign(requests, { egt: 0, reads: 0, other: 0 });
  return { table, requests };
}

/** EGTs a claim of fresh ids needs: one per table partition they fall in (per 100 ids). */
function partitionsOf(ids: readonly string[], buckets = LEDGER_BUCKETS): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const id of ids) sizes.set(ledgerPartition(id, buckets), (sizes.get(ledgerPartition(id, buckets)) ?? 0) + 1);
  return sizes;
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
  it.each([[0, 0], [2, 20], [5, 50]])('claims a 1,000-id batch with %i%% duplicates in one EGT per table partition plus two requests per duplicate', async (_pct, dups) => {
    const { table, requests } = await countedTable();
    const rnd = new Random(7 + dups);
    const earlier = Array.from({ length: 1000 }, () => rnd.uuid());
    await new TableLedger(table).claim(earlier.map((eventId, i) => ({ eventId, position: `0:${i}` })));
    // Resends of earlier events, at random places in the batch (as the generator sends them).
    const ids = Array.from({ length: 1000 - dups }, () => rnd.uuid());
    const resent = new Map<string, number>();
    for (let k = 0; k < dups; k++) {
      const j = rnd.int(0, 999);
      if (resent.has(earlier[j]!)) { k--; continue; }
      resent.set(earlier[j]!, j);
      ids.splice(rnd.int(0, ids.length), 0, earlier[j]!);
    }
    Object.assign(requests, { egt: 0, reads: 0, other: 0 });
    const owners = await new TableLedger(table).claim(ids.map((eventId, i) => ({ eventId, position: `1:${i}` })));
    expect([...owners.values()]).toEqual(ids.map((id, i) => (resent.has(id) ? `0:${resent.get(id)}` : `1:${i}`)));
    const partitions = partitionsOf(ids).size;
    expect(partitions).toBe(LEDGER_BUCKETS);
    // Each duplicate fails its partition's EGT once (the error names it) and is read once.
    expect(requests).toEqual({ egt: partitions + dups, reads: dups, other: 0 });
    expect((requests.egt + requests.reads) / 1000).toBe((LEDGER_BUCKETS + 2 * dups) / 1000); // 0.032, 0.072, 0.132
  });

  it('makes a retry by the owner cheap: after a few failed EGTs a partition is read, never inserted id by id', async () => {
    const { table, requests } = await countedTable();
    const rnd = new Random(11);
    const claims = Array.from({ length: 1000 }, (_, i) => ({ eventId: rnd.uuid(), position: `3:${i}` }));
    const first = await new TableLedger(table).claim(claims);
    Object.assign(requests, { egt: 0, reads: 0, other: 0 });
    const again = await new TableLedger(table).claim(claims);
    expect([...again]).toEqual([...first]);
    expect([...again.values()]).toEqual(claims.map((c) => c.position));
    // Per partition of k ids: min(k, 4) failed EGTs, then every id read once.
    let egts = 0;
    for (const k of partitionsOf(claims.map((c) => c.eventId)).values()) egts += Math.min(k, 4);
    expect(requests).toEqual({ egt: egts, reads: 1000, other: 0 });
    expect(egts).toBe(4 * LEDGER_BUCKETS);
  });

  it.each([[LEDGER_BUCKETS], [2]])('gives every id exactly one owner when 20 claimers claim overlapping ids at once (%i partitions)', async (buckets) => {
    const t = await table();
    const rnd = new Random(buckets);
    const pool = Array.from({ length: 400 }, () => rnd.uuid());
    // Each claimer: 150 ids drawn from the pool, some twice (the first of equal ids in a call wins).
    const claimers = Array.from({ length: 20 }, (_, c) => Array.from({ length: 150 }, (_, i) => ({ eventId: rnd.pick(pool), position: `${c}:${i}` })));
    const results = await Promise.all(claimers.map((claims) => new TableLedger(TableClient.fromConnectionString(azurite.connectionString(), t.tableName, { allowInsecureConnection: true }), { buckets }).claim(claims)));
    const stored = new Map<string, string>();
    for await (const e of t.listEntities<{ owner: string }>()) {
      expect(stored.has(e.rowKey!)).toBe(false);
      stored.set(e.rowKey!, e.owner);
      expect(e.partitionKey).toBe(ledgerPartition(e.rowKey!, buckets));
    }
    const candidates = new Map<string, Set<string>>();
    claimers.forEach((claims, c) => {
      const mine = new Map<string, string>();
      for (const x of claims) if (!mine.has(x.eventId)) mine.set(x.eventId, x.position);
      expect([...results[c]!.keys()]).toEqual([...mine.keys()]);
      for (const [id, position] of mine) {
        if (!candidates.has(id)) candidates.set(id, new Set());
        candidates.get(id)!.add(position);
        // Every claimer sees the one stored owner.
        expect(results[c]!.get(id)).toBe(stored.get(id));
      }
    });
    expect(stored.size).toBe(candidates.size);
    for (const [id, owner] of stored) expect(candidates.get(id)!.has(owner)).toBe(true);
    // The overlap was real: most ids were asked for by several claimers, and several claimers won some.
    expect([...candidates.values()].filter((s) => s.size > 1).length).toBeGreaterThan(300);
    expect(new Set([...stored.values()].map((p) => p.split(':')[0])).size).toBeGreaterThan(5);
  });

  it('releases many ids for their owner only, and the released ids go to the next claimer', async () => {
    const t = await table();
    const rnd = new Random(5);
    const claims = Array.from({ length: 300 }, (_, i) => ({ eventId: rnd.uuid(), position: `0:${i}` }));
    const ledger = new TableLedger(t);
    await ledger.claim(claims);
    await ledger.release([...claims.slice(0, 100), ...claims.slice(100, 200).map((c) => ({ ...c, position: '9:9' }))]);
    const next = await ledger.claim(claims.map((c, i) => ({ eventId: c.eventId, position: `1:${i}` })));
    expect([...next.values()]).toEqual(claims.map((_, i) => (i < 100 ? `1:${i}` : `0:${i}`)));
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

  it('with a limit shares it among the partitions, each taking its next commits in order, and says when more are left', async () => {
    const t = await table();
    const log = new TableCommitLog(t);
    for (let i = 0; i < 5; i++) await commitOn(log, commit(`p0-${i}`, '0', [[i * 10, i * 10 + 9]]));
    for (let i = 0; i < 2; i++) await commitOn(log, commit(`p1-${i}`, '1', [[i * 10, i * 10 + 9]]));
    const first = await log.since(undefined, 4); // 2 a partition
    expect([first.commits.map((c) => c.batchId), JSON.parse(first.cursor), first.more]).toEqual([['p0-0', 'p0-1', 'p1-0', 'p1-1'], { 0: 2, 1: 2 }, true]);
    // p1 has nothing left: its share goes to p0, which then has nothing after.
    const second = await log.since(first.cursor, 4);
    expect([second.commits.map((c) => c.batchId), JSON.parse(second.cursor), second.more]).toEqual([['p0-2', 'p0-3', 'p0-4'], { 0: 5, 1: 2 }, false]);
    expect(await log.since(second.cursor, 4)).toEqual({ commits: [], cursor: second.cursor, more: false });
    // A limit below the number of partitions still moves every partition on, one commit each.
    const one = await log.since(undefined, 1);
    expect([one.commits.map((c) => c.batchId), one.more]).toEqual([['p0-0', 'p1-0'], true]);
    expect((await log.since(undefined)).more).toBe(false);
    // What a quiet partition leaves of the limit goes to a busy one: 6 = 3 each, p1 has 2, p0 takes 4.
    const shared = await log.since(undefined, 6);
    expect([shared.commits.map((c) => c.batchId), JSON.parse(shared.cursor), shared.more]).toEqual([['p0-0', 'p0-1', 'p0-2', 'p0-3', 'p1-0', 'p1-1'], { 0: 4, 1: 2 }, true]);
    const rest = await log.since(shared.cursor, 6);
    expect([rest.commits.map((c) => c.batchId), JSON.parse(rest.cursor), rest.more]).toEqual([['p0-4'], { 0: 5, 1: 2 }, false]);
    const all = await log.since(undefined, 7);
    expect([all.commits.length, all.more]).toEqual([7, false]);
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
