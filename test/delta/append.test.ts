import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { appendFiles, commit, readSnapshot, CommitConflictError, type DeltaSnapshot } from '../../src/delta';
import { tempDirs } from '../helpers/tmp';
import { folderFiles } from '../helpers/delta-reader';
import { expectReaderAgrees } from '../helpers/delta-agree';
import { ORDERS_SCHEMA, TestClock, orderFile } from '../helpers/delta-tables';

jest.setTimeout(120_000);

const tmp = tempDirs();
const TABLE = 'silver/order_events';

async function created(root: string): Promise<{ lake: LocalLake; snap: DeltaSnapshot }> {
  const lake = new LocalLake(root);
  const r = await commit(lake, TABLE, undefined, { operation: 'CREATE TABLE', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'] } });
  return { lake, snap: r.snapshot };
}

const keys = (s: DeltaSnapshot) => [...s.files.values()].map((f) => f.key).sort();

describe('appendFiles', () => {
  it('commits at the next version after losing the race, keeping the same files, and says how often it retried', async () => {
    const root = tmp();
    const { lake, snap } = await created(root);
    // Another writer appended twice since our read.
    let other = snap;
    for (const f of ['x1', 'x2']) other = (await commit(lake, TABLE, other, { operation: 'WRITE', adds: [orderFile(f, '2026-01-05')], isBlindAppend: true })).snapshot;
    const r = await appendFiles(lake, snap, { adds: [orderFile('mine', '2026-01-06')], txn: { appId: 'publisher', version: 1 } });
    expect(r.status).toBe('committed');
    if (r.status !== 'committed') return;
    expect([r.version, r.retries]).toEqual([3, 1]);
    const read = await readSnapshot(lake, TABLE);
    expect(read).toEqual(r.snapshot);
    expect(keys(read)).toEqual(['order_date=2026-01-05/x1.parquet', 'order_date=2026-01-05/x2.parquet', 'order_date=2026-01-06/mine.parquet']);
    expect(read.txns.get('publisher')?.version).toBe(1);
    const info = JSON.parse((await lake.readFile(`${TABLE}/_delta_log/00000000000000000003.json`)).toString().split('\n')[0]!).commitInfo;
    expect([info.readVersion, info.isBlindAppend, info.operationParameters]).toEqual([2, true, { mode: 'Append' }]);
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), read);
  });

  it('lands every one of several concurrent appends exactly once', async () => {
    const root = tmp();
    const { snap } = await created(root);
    const results = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((w, i) => appendFiles(new LocalLake(root), snap, { adds: [orderFile(w, '2026-01-05')], txn: { appId: `writer-${w}`, version: i } })),
    );
    expect(results.map((r) => r.status)).toEqual(['committed', 'committed', 'committed', 'committed']);
    expect(results.map((r) => (r.status === 'committed' ? r.version : -1)).sort()).toEqual([1, 2, 3, 4]);
    const read = await readSnapshot(new LocalLake(root), TABLE);
    expect(keys(read)).toEqual(['w1', 'w2', 'w3', 'w4'].map((w) => `order_date=2026-01-05/${w}.parquet`));
    expect(Object.fromEntries([...read.txns].map(([k, t]) => [k, t.version]))).toEqual({ 'writer-w1': 0, 'writer-w2': 1, 'writer-w3': 2, 'writer-w4': 3 });
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), read);
  });

  it('skips a batch whose txn version the table already has, before writing and after losing the race to it', async () => {
    const root = tmp();
    const { lake, snap } = await created(root);
    const first = await appendFiles(lake, snap, { adds: [orderFile('b5', '2026-01-05')], txn: { appId: 'publisher', version: 5 } });
    expect(first.status).toBe('committed');
    // A retry of batch 5 (or older) with a fresh snapshot: skipped without writing.
    const fresh = await readSnapshot(lake, TABLE);
    expect(await appendFiles(lake, fresh, { adds: [orderFile('b5-again', '2026-01-05')], txn: { appId: 'publisher', version: 5 } })).toEqual({ status: 'skipped', txnVersion: 5, snapshot: fresh });
    // A retry from the stale snapshot: loses the race, sees txn 5 in the winner, stops.
    const stale = await appendFiles(lake, snap, { adds: [orderFile('b5-stale', '2026-01-05')], txn: { appId: 'publisher', version: 5 } });
    expect(stale.status).toBe('skipped');
    expect(keys(await readSnapshot(lake, TABLE))).toEqual(['order_date=2026-01-05/b5.parquet']);
  });

  it('stops on a winner that changed the metadata, or wrote an older txn of the same appId', async () => {
    const root = tmp();
    const { lake, snap } = await created(root);
    await commit(lake, TABLE, snap, { operation: 'SET TBLPROPERTIES', metadata: { configuration: { 'delta.appendOnly': 'true' } } });
    const err = await appendFiles(lake, snap, { adds: [orderFile('m', '2026-01-05')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitConflictError);
    expect((err as Error).message).toBe('silver/order_events: cannot retry the commit after version 1: metadata changed (version 1 has a metaData action)');

    const root2 = tmp();
    const t2 = await created(root2);
    await appendFiles(t2.lake, t2.snap, { adds: [orderFile('a', '2026-01-05')], txn: { appId: 'publisher', version: 3 } });
    await expect(appendFiles(t2.lake, t2.snap, { adds: [orderFile('b', '2026-01-05')], txn: { appId: 'publisher', version: 4 } })).rejects.toThrow(
      'silver/order_events: cannot retry the commit after version 1: concurrent transaction (version 1 committed txn publisher=3 while we were committing 4)',
    );
  });

  it('gives up after maxRetries lost races', async () => {
    const root = tmp();
    const { lake, snap } = await created(root);
    const clock = new TestClock();
    // A lake whose commit files always already exist: every attempt loses.
    const losing = Object.assign(Object.create(Object.getPrototypeOf(lake)) as LocalLake, lake, {
      writeFileIfAbsent: async () => false,
    });
    await expect(appendFiles(losing, snap, { adds: [orderFile('z', '2026-01-05')] }, { maxRetries: 2, now: clock.now })).rejects.toThrow(
      'silver/order_events: cannot retry the commit after version 1: too many retries (lost the race 3 times)',
    );
  });
});
