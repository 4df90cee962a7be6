import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { commit, readSnapshot, writeCheckpoint, readLastCheckpoint, isCheckpointDue, type DeltaSnapshot } from '../../src/delta';
import { checkpointActions } from '../../src/delta/checkpoint';
import { tempDirs } from '../helpers/tmp';
import { folderFiles } from '../helpers/delta-reader';
import { expectReaderAgrees } from '../helpers/delta-agree';
import { DAY, ORDERS_SCHEMA, T0, TestClock, orderFile } from '../helpers/delta-tables';

jest.setTimeout(120_000); // DuckDB writes and reads checkpoints

const tmp = tempDirs();
const TABLE = 'gold/orders';

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Versions 0..10, a day apart: an add each, removes at 2 (f0) and 9 (f1), a txn at 7; commits run the post-commit steps. */
async function tenVersions(root: string, clock = new TestClock()) {
  const lake = new LocalLake(root);
  const results = [];
  let snap: DeltaSnapshot | undefined;
  for (let v = 0; v <= 10; v++) {
    const removes = snap && (v === 2 || v === 9) ? [[...snap.files.values()][0]!] : [];
    const r = await commit(lake, TABLE, snap, {
      operation: 'WRITE',
      ...(v === 0 ? { metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': '10' } } } : {}),
      adds: [orderFile(`f${v}`, '2026-01-05', 100 + v, v + 1)],
      removes,
      txns: v === 7 ? [{ appId: 'publisher', version: 70 }] : [],
    }, { now: clock.now });
    results.push(r);
    snap = r.snapshot;
    clock.advance(DAY);
  }
  return { lake, results, snap: snap!, clock };
}

describe('writeCheckpoint', () => {
  it('writes the Parquet schema Spark writes: all OPTIONAL, versions INT32, longs INT64, real MAPs and LISTs, in Spark order', async () => {
    const root = tmp();
    await tenVersions(root);
    const file = path.join(root, TABLE, '_delta_log/00000000000000000010.checkpoint.parquet');
    const rows = await query(`SELECT name, type, repetition_type, converted_type FROM parquet_schema('${file}')`);
    expect(rows.slice(1).map((r) => [r['name'], r['type'] ?? 'group', r['repetition_type'], r['converted_type'] ?? ''].join(' '))).toEqual([
      'txn group OPTIONAL ',
      'appId BYTE_ARRAY OPTIONAL UTF8',
      'version INT64 OPTIONAL INT_64',
      'lastUpdated INT64 OPTIONAL INT_64',
      'add group OPTIONAL ',
      'path BYTE_ARRAY OPTIONAL UTF8',
      'partitionValues group OPTIONAL MAP',
      'key_value group REPEATED ',
      'key BYTE_ARRAY REQUIRED UTF8',
      'value BYTE_ARRAY OPTIONAL UTF8',
      'size INT64 OPTIONAL INT_64',
      'modificationTime INT64 OPTIONAL INT_64',
      'dataChange BOOLEAN OPTIONAL ',
      'tags group OPTIONAL MAP',
      'key_value group REPEATED ',
      'key BYTE_ARRAY REQUIRED UTF8',
      'value BYTE_ARRAY OPTIONAL UTF8',
      'stats BYTE_ARRAY OPTIONAL UTF8',
      'remove group OPTIONAL ',
      'path BYTE_ARRAY OPTIONAL UTF8',
      'deletionTimestamp INT64 OPTIONAL INT_64',
      'dataChange BOOLEAN OPTIONAL ',
      'extendedFileMetadata BOOLEAN OPTIONAL ',
      'partitionValues group OPTIONAL MAP',
      'key_value group REPEATED ',
      'key BYTE_ARRAY REQUIRED UTF8',
      'value BYTE_ARRAY OPTIONAL UTF8',
      'size INT64 OPTIONAL INT_64',
      'metaData group OPTIONAL ',
      'id BYTE_ARRAY OPTIONAL UTF8',
      'name BYTE_ARRAY OPTIONAL UTF8',
      'description BYTE_ARRAY OPTIONAL UTF8',
      'format group OPTIONAL ',
      'provider BYTE_ARRAY OPTIONAL UTF8',
      'options group OPTIONAL MAP',
      'key_value group REPEATED ',
      'key BYTE_ARRAY REQUIRED UTF8',
      'value BYTE_ARRAY OPTIONAL UTF8',
      'schemaString BYTE_ARRAY OPTIONAL UTF8',
      'partitionColumns group OPTIONAL LIST',
      'list group REPEATED ',
      'element BYTE_ARRAY OPTIONAL UTF8',
      'configuration group OPTIONAL MAP',
      'key_value group REPEATED ',
      'key BYTE_ARRAY REQUIRED UTF8',
      'value BYTE_ARRAY OPTIONAL UTF8',
      'createdTime INT64 OPTIONAL INT_64',
      'protocol group OPTIONAL ',
      'minReaderVersion INT32 OPTIONAL INT_32',
      'minWriterVersion INT32 OPTIONAL INT_32',
    ]);
    const codecs = await query(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`);
    expect(codecs).toEqual([{ compression: 'SNAPPY' }]);
  });

  it('holds protocol, metaData, the txn, the live adds with stats and the unexpired tombstones; then _last_checkpoint', async () => {
    const root = tmp();
    const { results, snap } = await tenVersions(root);
    expect(results.map((r) => r.checkpoint?.version)).toEqual([...Array(10).fill(undefined), 10]);
    const file = path.join(root, TABLE, '_delta_log/00000000000000000010.checkpoint.parquet');
    const rows = await query(`SELECT protocol.minReaderVersion AS r, protocol.minWriterVersion AS w, metaData.id AS id, metaData.configuration AS conf, txn.appId AS app, txn.version AS tv,
      add.path AS add, add.stats AS stats, add.dataChange AS dc, remove.path AS remove, remove.deletionTimestamp AS ts FROM read_parquet('${file}')`);
    const pick = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null));
    expect(rows.map(pick)).toEqual([
      { r: 1, w: 2 },
      { id: snap.metadata.id, conf: [{ key: 'delta.checkpointInterval', value: '10' }] },
      { app: 'publisher', tv: '70' },
      ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => ({ add: `order_date=2026-01-05/f${v}.parquet`, stats: `{"numRecords":${v + 1}}`, dc: true })),
      // f0 removed at v2 (T0 + 2 days) has expired by v10 (T0 + 10 days, retention 7 days); f1 removed at v9 has not.
      { remove: 'order_date=2026-01-05/f1.parquet', ts: String(T0 + 9 * DAY) },
    ]);
    expect(JSON.parse((await new LocalLake(root).readFile(`${TABLE}/_delta_log/_last_checkpoint`)).toString())).toEqual({
      version: 10,
      size: 13,
      sizeInBytes: results[10]!.checkpoint!.sizeInBytes,
      numOfAddFiles: 9,
    });
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), snap);
  });

  it('never moves _last_checkpoint backwards', async () => {
    const root = tmp();
    const { lake, results } = await tenVersions(root);
    const hint = await readLastCheckpoint(lake, TABLE);
    const older = await writeCheckpoint(lake, results[5]!.snapshot);
    expect(older.version).toBe(5);
    expect(await readLastCheckpoint(lake, TABLE)).toEqual(hint);
    expect((await readSnapshot(lake, TABLE)).version).toBe(10);
  });
});

describe('checkpointActions', () => {
  it('lists protocol, metaData, txns, adds, then tombstones newer than the retention', async () => {
    const { snap } = await tenVersions(tmp());
    const kinds = (nowMs: number) => checkpointActions(snap, nowMs).map((a) => Object.keys(a)[0]);
    const adds = Array(9).fill('add');
    expect(kinds(T0 + 10 * DAY)).toEqual(['protocol', 'metaData', 'txn', ...adds, 'remove']);
    expect(kinds(T0 + 16 * DAY)).toEqual(['protocol', 'metaData', 'txn', ...adds]); // f1's tombstone (T0 + 9 days) is exactly 7 days old
  });
});

describe('readLastCheckpoint', () => {
  it('returns the hint, or undefined when it is missing or lacks version and size', async () => {
    const lake = new LocalLake(tmp());
    expect(await readLastCheckpoint(lake, 't')).toBeUndefined();
    await lake.writeFile('t/_delta_log/_last_checkpoint', '{"version":3}');
    expect(await readLastCheckpoint(lake, 't')).toBeUndefined();
    await lake.writeFile('t/_delta_log/_last_checkpoint', '{"version":3,"size":4}');
    expect(await readLastCheckpoint(lake, 't')).toEqual({ version: 3, size: 4 });
  });
});

describe('isCheckpointDue', () => {
  it('is due at every multiple of the interval after version 0 (Spark)', () => {
    expect([0, 1, 9, 10, 11, 20].map((v) => isCheckpointDue(v, 10))).toEqual([false, false, false, true, false, true]);
    expect([0, 1, 2].map((v) => isCheckpointDue(v, 1))).toEqual([false, true, true]);
  });
});
