// The independent reader checked on tables neither written by src/delta: one hand-written here
// (JSON commits only) and checkpointed ones written by Spark 3.0 and delta-rs.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { folderFiles, mapFiles, readDeltaLog, readDeltaRows } from './delta-reader';
import { tempDirs } from './tmp';
import { writeParquet } from './delta-tables';

jest.setTimeout(120_000);

const tmp = tempDirs();
const SCHEMA = JSON.stringify({ type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }, { name: 'region', type: 'string', nullable: true, metadata: {} }] });

/** A table written by hand: v0 creates with a.parquet, v1 adds "b c.parquet" (URI-encoded) and removes a, v2 re-adds a; txns move. */
async function handWritten(root: string): Promise<void> {
  await writeParquet(path.join(root, 'data/a.parquet'), 'SELECT 1::BIGINT AS id');
  await writeParquet(path.join(root, 'data/b c.parquet'), 'SELECT * FROM (VALUES (2::BIGINT), (3::BIGINT)) t(id)');
  mkdirSync(path.join(root, '_delta_log'), { recursive: true });
  const commits = [
    [
      { commitInfo: { timestamp: 1, operation: 'CREATE TABLE' } },
      { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
      { metaData: { id: 'hand-1', format: { provider: 'parquet', options: {} }, schemaString: SCHEMA, partitionColumns: ['region'], configuration: { k: 'v' }, createdTime: 1 } },
      { add: { path: 'data/a.parquet', partitionValues: { region: 'EU' }, size: 1, modificationTime: 1, dataChange: true } },
      { txn: { appId: 'p', version: 4 } },
    ],
    [
      { add: { path: 'data/b%20c.parquet', partitionValues: { region: null }, size: 2, modificationTime: 2, dataChange: true, stats: '{"numRecords":2}' } },
      { remove: { path: 'data/a.parquet', deletionTimestamp: 2, dataChange: true } },
      { txn: { appId: 'p', version: 2 } },
    ],
    [{ add: { path: 'data/a.parquet', partitionValues: { region: 'US' }, size: 1, modificationTime: 3, dataChange: true } }],
  ];
  commits.forEach((actions, v) => writeFileSync(path.join(root, `_delta_log/${String(v).padStart(20, '0')}.json`), actions.map((a) => JSON.stringify(a)).join('\n') + '\n'));
}

describe('readDeltaLog', () => {
  it('replays a hand-written JSON log: newest action per path, latest txn, paths decoded once', async () => {
    const root = tmp();
    await handWritten(root);
    expect(await readDeltaLog(folderFiles(root))).toEqual({
      version: 2,
      minReaderVersion: 1,
      minWriterVersion: 2,
      tableId: 'hand-1',
      schemaString: SCHEMA,
      partitionColumns: ['region'],
      configuration: { k: 'v' },
      files: [
        { path: 'data/a.parquet', partitionValues: { region: 'US' }, size: 1, stats: null },
        { path: 'data/b c.parquet', partitionValues: { region: null }, size: 2, stats: '{"numRecords":2}' },
      ],
      txns: { p: 2 },
      tombstones: [],
      checkpoint: null,
    });
  });

  it('reads checkpoints written by Spark 3.0 and delta-rs', async () => {
    const spark = await readDeltaLog(folderFiles(path.join(__dirname, '../delta/fixtures/spark-3.0-simple')));
    expect([spark.version, spark.checkpoint, spark.files.length, spark.tableId]).toEqual([10, 10, 11, 'cf3741a3-5f93-434f-99ac-9a4bebcdf06c']);
    const rs = await readDeltaLog(folderFiles(path.join(__dirname, '../delta/fixtures/delta-rs-0.4-partitions')));
    expect([rs.version, rs.checkpoint, rs.partitionColumns]).toEqual([2, 2, ['color']]);
    expect(rs.files.map((f) => [f.path, f.partitionValues])).toEqual([
      ['8ac7d8e1-daab-48ef-9d05-ec22fb4b0d2f', { color: null }],
      ['f62d8868-d952-4f9d-8bb2-fd4e011ebf36', { color: 'red' }],
    ]);
  });
});

describe('readDeltaRows', () => {
  it('reads the live files only, with partition values from the log', async () => {
    const root = tmp();
    await handWritten(root);
    await writeParquet(path.join(root, 'data/never-committed.parquet'), 'SELECT 99::BIGINT AS id');
    expect(await readDeltaRows(folderFiles(root))).toEqual([
      { id: '1', region: 'US' },
      { id: '2', region: null },
      { id: '3', region: null },
    ]);
  });
});

describe('mapFiles', () => {
  it('serves the files under a prefix of a path -> bytes map', () => {
    const files = mapFiles(new Map([['gold/t/_delta_log/x', Buffer.from('1')], ['gold/u/y', Buffer.from('2')]]), 'gold/t');
    expect(files.list()).toEqual(['_delta_log/x']);
    expect(files.read('_delta_log/x')?.toString()).toBe('1');
    expect(files.read('missing')).toBeUndefined();
  });
});
