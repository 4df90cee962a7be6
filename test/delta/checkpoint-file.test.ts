import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { checkpointParquet, readCheckpointBytes, readCheckpointFiles, CHECKPOINT_COLUMNS } from '../../src/delta/checkpoint-file';
import type { Action } from '../../src/delta';
import { tempDirs } from '../helpers/tmp';

jest.setTimeout(120_000);

const tmp = tempDirs();

const ACTIONS: Action[] = [
  { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
  { metaData: { id: 'id-1', format: { provider: 'parquet', options: {} }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: ['d'], configuration: { 'delta.checkpointInterval': '10' }, createdTime: 7 } },
  { txn: { appId: 'pub', version: 12, lastUpdated: 99 } },
  { add: { path: 'd=1/a%20b.parquet', partitionValues: { d: '1', e: null }, size: 10, modificationTime: 5, dataChange: true, stats: '{"numRecords":2}', tags: { k: 'v' } } },
  { remove: { path: 'd=1/old.parquet', deletionTimestamp: 50, dataChange: true, extendedFileMetadata: true, partitionValues: { d: '1' }, size: 3, stats: '{"numRecords":1}', tags: { k: 'v' } } },
];

describe('checkpointParquet', () => {
  it('round-trips the actions, minus what checkpoints never keep (remove stats and tags)', async () => {
    const file = path.join(tmp(), 'cp.parquet');
    await fs.writeFile(file, await checkpointParquet(ACTIONS, { writeStatsAsJson: true }));
    const back = await readCheckpointFiles([file], 'cp');
    expect(back).toEqual([
      ...ACTIONS.slice(0, 4),
      { remove: { path: 'd=1/old.parquet', deletionTimestamp: 50, dataChange: true, extendedFileMetadata: true, partitionValues: { d: '1' }, size: 3 } },
    ]);
  });

  it('leaves stats out when delta.checkpoint.writeStatsAsJson is false', async () => {
    const back = await readCheckpointBytes([await checkpointParquet(ACTIONS.slice(3, 4), { writeStatsAsJson: false })], 'cp');
    expect(back).toEqual([{ add: { path: 'd=1/a%20b.parquet', partitionValues: { d: '1', e: null }, size: 10, modificationTime: 5, dataChange: true, tags: { k: 'v' } } }]);
  });

  it('refuses commitInfo', async () => {
    await expect(checkpointParquet([{ commitInfo: {} }], { writeStatsAsJson: true })).rejects.toThrow('expected checkpoint actions, got commitInfo');
  });
});

describe('CHECKPOINT_COLUMNS', () => {
  it("are Spark's top-level columns in Spark's order", () => {
    expect(CHECKPOINT_COLUMNS.map(([n]) => n)).toEqual(['txn', 'add', 'remove', 'metaData', 'protocol']);
  });
});

describe('readCheckpointFiles', () => {
  it('reads a delta-rs checkpoint with stats_parsed and partitionValues_parsed', async () => {
    const actions = await readCheckpointFiles([path.join(__dirname, 'fixtures/delta-rs-0.4-partitions/_delta_log/00000000000000000002.checkpoint.parquet')], 'rs');
    expect(actions.map((a) => Object.keys(a)[0])).toEqual(['protocol', 'metaData', 'add', 'add']);
  });
});

describe('readCheckpointBytes', () => {
  it('reads parts given as bytes', async () => {
    const data = await checkpointParquet(ACTIONS.slice(0, 1), { writeStatsAsJson: true });
    expect(await readCheckpointBytes([data, data], 'two parts')).toEqual([ACTIONS[0], ACTIONS[0]]);
  });
});
