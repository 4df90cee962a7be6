import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { commit, commitActions, writeCommit, readSnapshot, schemaString, ConcurrentCommitError, type DeltaSnapshot } from '../../src/delta';
import { tempDirs } from '../helpers/tmp';
import { folderFiles } from '../helpers/delta-reader';
import { expectReaderAgrees } from '../helpers/delta-agree';
import { ORDERS_SCHEMA, T0, TestClock, orderFile } from '../helpers/delta-tables';

const tmp = tempDirs();

async function newTable(root: string, clock = new TestClock()) {
  const lake = new LocalLake(root);
  const created = await commit(lake, 'gold/orders', undefined, {
    operation: 'CREATE TABLE',
    metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': '10' } },
    adds: [orderFile('part-1', '2026-01-05', 100, 2)],
  }, { now: clock.now });
  return { lake, created, clock };
}

const logLines = async (lake: LocalLake, v: number) => (await lake.readFile(`gold/orders/_delta_log/${String(v).padStart(20, '0')}.json`)).toString('utf8');

describe('commit', () => {
  it('writes version 0 with commitInfo, protocol 1/2, metaData and the add, as PROTOCOL.md spells them', async () => {
    const root = tmp();
    const { lake, created } = await newTable(root);
    const id = created.snapshot.metadata.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await logLines(lake, 0)).toBe(
      [
        `{"commitInfo":{"timestamp":${T0},"operation":"CREATE TABLE","operationParameters":{},"isolationLevel":"Serializable","isBlindAppend":false,"engineInfo":"orderlake"}}`,
        '{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}',
        `{"metaData":{"id":"${id}","format":{"provider":"parquet","options":{}},"schemaString":${JSON.stringify(schemaString(ORDERS_SCHEMA))},"partitionColumns":["order_date"],"configuration":{"delta.checkpointInterval":"10"},"createdTime":${T0}}}`,
        `{"add":{"path":"order_date=2026-01-05/part-1.parquet","partitionValues":{"order_date":"2026-01-05"},"size":100,"modificationTime":${T0},"dataChange":true,"stats":"{\\"numRecords\\":2}"}}`,
        '',
      ].join('\n'),
    );
    expect(created.version).toBe(0);
    await expectReaderAgrees(folderFiles(path.join(root, 'gold/orders')), created.snapshot);
  });

  it('round-trips: the snapshot a commit returns equals the one read back, removes included', async () => {
    const root = tmp();
    const { lake, created, clock } = await newTable(root);
    clock.advance(1000);
    const first = [...created.snapshot.files.values()][0]!;
    const v1 = await commit(lake, 'gold/orders', created.snapshot, { operation: 'WRITE', adds: [orderFile('part-2', '2026-01-05', 120, 3), orderFile('part-3', '2026-01-06', 80, 1)], removes: [first] }, { now: clock.now });
    const read = await readSnapshot(lake, 'gold/orders', { now: clock.now });
    expect(read).toEqual(v1.snapshot);
    expect(read.version).toBe(1);
    expect([...read.files.keys()]).toEqual(['order_date=2026-01-05/part-2.parquet', 'order_date=2026-01-06/part-3.parquet']);
    expect(read.files.get('order_date=2026-01-05/part-2.parquet')!.stats).toEqual({ numRecords: 3 });
    expect([...read.tombstones.values()].map((t) => [t.key, t.deletionTimestamp])).toEqual([['order_date=2026-01-05/part-1.parquet', T0 + 1000]]);
    expect((await logLines(lake, 1)).split('\n')[1]).toBe(
      `{"remove":{"path":"order_date=2026-01-05/part-1.parquet","deletionTimestamp":${T0 + 1000},"dataChange":true,"extendedFileMetadata":true,"partitionValues":{"order_date":"2026-01-05"},"size":100}}`,
    );
    await expectReaderAgrees(folderFiles(path.join(root, 'gold/orders')), read);
  });

  it('writes add.path as a URI (encoded once more than the key) and removes it with the identical string', async () => {
    const root = tmp();
    const { lake, created, clock } = await newTable(root);
    const key = 'order_date=2026-01-07/a%3Ab c+é.parquet';
    const v1 = await commit(lake, 'gold/orders', created.snapshot, { operation: 'WRITE', adds: [{ ...orderFile('x', '2026-01-07'), key }] }, { now: clock.now });
    expect(JSON.parse((await logLines(lake, 1)).split('\n')[1]!).add.path).toBe('order_date=2026-01-07/a%253Ab%20c+%C3%A9.parquet');
    const live = [...v1.snapshot.files.values()].find((f) => f.key === key)!;
    expect(live.add.path).toBe('order_date=2026-01-07/a%253Ab%20c+%C3%A9.parquet');
    const v2 = await commit(lake, 'gold/orders', v1.snapshot, { operation: 'DELETE', removes: [live] }, { now: clock.now });
    expect(JSON.parse((await logLines(lake, 2)).split('\n')[1]!).remove.path).toBe('order_date=2026-01-07/a%253Ab%20c+%C3%A9.parquet');
    expect([...v2.snapshot.files.values()].map((f) => f.key)).toEqual(['order_date=2026-01-05/part-1.parquet']);
    await expectReaderAgrees(folderFiles(path.join(root, 'gold/orders')), v2.snapshot);
  });

  it('re-emits metaData only on a change, carrying id, createdTime, partitioning and properties forward', async () => {
    const root = tmp();
    const { lake, created, clock } = await newTable(root);
    clock.advance(5000);
    const same = await commit(lake, 'gold/orders', created.snapshot, { operation: 'WRITE', metadata: { schema: ORDERS_SCHEMA } }, { now: clock.now });
    expect((await logLines(lake, 1)).includes('metaData')).toBe(false);
    const wider = [...ORDERS_SCHEMA, { name: 'tags', type: { type: 'array' as const, elementType: 'string', containsNull: true } }];
    const changed = await commit(lake, 'gold/orders', same.snapshot, { operation: 'WRITE', metadata: { schema: wider } }, { now: clock.now });
    const md = JSON.parse((await logLines(lake, 2)).split('\n')[1]!).metaData;
    expect(md).toEqual({
      id: created.snapshot.metadata.id,
      format: { provider: 'parquet', options: {} },
      schemaString: schemaString(wider),
      partitionColumns: ['order_date'],
      configuration: { 'delta.checkpointInterval': '10' },
      createdTime: T0,
    });
    expect(changed.snapshot.schema[3]).toEqual({ name: 'tags', type: { type: 'array', elementType: 'string', containsNull: true }, nullable: true, metadata: {} });
    await expectReaderAgrees(folderFiles(path.join(root, 'gold/orders')), changed.snapshot);
  });

  it('lets exactly one of two writers of the same version win; the other gets ConcurrentCommitError', async () => {
    const root = tmp();
    const { created } = await newTable(root);
    const a = new LocalLake(root);
    const b = new LocalLake(root);
    const results = await Promise.allSettled([
      commit(a, 'gold/orders', created.snapshot, { operation: 'WRITE', adds: [orderFile('writer-a', '2026-01-05')] }),
      commit(b, 'gold/orders', created.snapshot, { operation: 'WRITE', adds: [orderFile('writer-b', '2026-01-05')] }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ConcurrentCommitError);
    expect((lost[0]!.reason as ConcurrentCommitError).version).toBe(1);
    const read = await readSnapshot(a, 'gold/orders');
    const winner = results[0]!.status === 'fulfilled' ? 'writer-a' : 'writer-b';
    expect([...read.files.values()].map((f) => f.key)).toEqual(['order_date=2026-01-05/part-1.parquet', `order_date=2026-01-05/${winner}.parquet`]);
    await expectReaderAgrees(folderFiles(path.join(root, 'gold/orders')), read);
  });

  it('writes txn with lastUpdated in the same commit as the adds', async () => {
    const root = tmp();
    const { lake, created, clock } = await newTable(root);
    const v1 = await commit(lake, 'gold/orders', created.snapshot, { operation: 'STREAMING UPDATE', adds: [orderFile('b7', '2026-01-05')], txns: [{ appId: 'silver-publisher', version: 7 }] }, { now: clock.now });
    expect((await logLines(lake, 1)).split('\n')[1]).toBe(`{"txn":{"appId":"silver-publisher","version":7,"lastUpdated":${T0}}}`);
    expect(v1.snapshot.txns.get('silver-publisher')).toEqual({ appId: 'silver-publisher', version: 7, lastUpdated: T0 });
    await expectReaderAgrees(folderFiles(path.join(root, 'gold/orders')), v1.snapshot);
  });
});

describe('commitActions', () => {
  let snap: DeltaSnapshot;
  beforeEach(async () => {
    snap = (await newTable(tmp())).created.snapshot;
  });

  it('refuses partition values that do not match the partition columns, and empty strings', () => {
    expect(() => commitActions('t', snap, { operation: 'WRITE', adds: [{ ...orderFile('x', '2026-01-05'), partitionValues: { day: '2026-01-05' } }] }, T0)).toThrow(
      't: add "order_date=2026-01-05/x.parquet": expected partition values for exactly ["order_date"], got {"day":"2026-01-05"}',
    );
    expect(() => commitActions('t', snap, { operation: 'WRITE', adds: [{ ...orderFile('x', '2026-01-05'), partitionValues: { order_date: '' } }] }, T0)).toThrow(
      'expected partition value order_date non-empty ("" means null in the log; pass null)',
    );
  });

  it('refuses to remove a file that is not live, the same path twice, and files under _delta_log', () => {
    const ghost = { add: { ...[...snap.files.values()][0]!.add, path: 'nope.parquet' }, key: 'nope.parquet', stats: undefined };
    expect(() => commitActions('t', snap, { operation: 'WRITE', removes: [ghost] }, T0)).toThrow('t: expected to remove a live file of version 0, got nope.parquet');
    expect(() => commitActions('t', snap, { operation: 'WRITE', adds: [orderFile('x', '2026-01-05'), orderFile('x', '2026-01-05')] }, T0)).toThrow('expected each path in one file action per commit');
    expect(() => commitActions('t', snap, { operation: 'WRITE', adds: [{ ...orderFile('x', '2026-01-05'), key: '_delta_log/x.parquet' }] }, T0)).toThrow('expected a relative file path inside the table, outside _delta_log/');
  });

  it('refuses removes on an append-only table and tables needing a newer writer', () => {
    const appendOnly = { ...snap, metadata: { ...snap.metadata, configuration: { 'delta.appendOnly': 'true' } } };
    expect(() => commitActions('t', appendOnly, { operation: 'DELETE', removes: [...snap.files.values()] }, T0)).toThrow('t: delta.appendOnly is true; expected no removes');
    const v3 = { ...snap, protocol: { minReaderVersion: 1, minWriterVersion: 3 } };
    expect(() => commitActions('t', v3, { operation: 'WRITE' }, T0)).toThrow('t: the table needs writer version 3; this writer implements version 2');
  });

  it('refuses a partitioning change that would leave files of the old layout', () => {
    expect(() => commitActions('t', snap, { operation: 'WRITE', metadata: { partitionColumns: [] } }, T0)).toThrow(
      't: changing the partition columns needs every current file removed in the same commit; 1 would stay (e.g. order_date=2026-01-05/part-1.parquet)',
    );
    const actions = commitActions('t', snap, { operation: 'WRITE', metadata: { partitionColumns: [] }, removes: [...snap.files.values()] }, T0);
    expect(actions.map((a) => Object.keys(a)[0])).toEqual(['commitInfo', 'metaData', 'remove']);
  });

  it('needs a schema for a first commit', () => {
    expect(() => commitActions('t', undefined, { operation: 'CREATE TABLE' }, T0)).toThrow("t: expected metadata.schema for the table's first commit, got null");
  });
});

describe('writeCommit', () => {
  it('creates the version file once; a second writer of that version gets ConcurrentCommitError', async () => {
    const lake = new LocalLake(tmp());
    await writeCommit(lake, 'gold/t', 3, [{ commitInfo: { operation: 'X' } }]);
    await expect(writeCommit(lake, 'gold/t', 3, [{ commitInfo: { operation: 'Y' } }])).rejects.toThrow('gold/t: another writer committed version 3 first');
    expect((await lake.readFile('gold/t/_delta_log/00000000000000000003.json')).toString()).toBe('{"commitInfo":{"operation":"X"}}\n');
  });
});
