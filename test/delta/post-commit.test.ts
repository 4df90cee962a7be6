import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { commit, runPostCommit, readLastCheckpoint, PostCommitError } from '../../src/delta';
import type { Lake } from '../../src/pipeline/ports';
import { tempDirs } from '../helpers/tmp';
import { folderFiles } from '../helpers/delta-reader';
import { expectReaderAgrees } from '../helpers/delta-agree';
import { ORDERS_SCHEMA, orderFile } from '../helpers/delta-tables';

jest.setTimeout(120_000);

const tmp = tempDirs();

async function atVersion(lake: Lake, last: number, interval: string) {
  let r = await commit(lake, 't', undefined, { operation: 'CREATE TABLE', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': interval } } }, { postCommit: false });
  for (let v = 1; v <= last; v++) r = await commit(lake, 't', r.snapshot, { operation: 'WRITE', adds: [orderFile(`f${v}`, '2026-01-05')] }, { postCommit: false });
  return r.snapshot;
}

describe('runPostCommit', () => {
  it('checkpoints only at a multiple of delta.checkpointInterval', async () => {
    const root = tmp();
    const lake = new LocalLake(root);
    const at4 = await atVersion(lake, 4, '2');
    expect(await runPostCommit(lake, at4)).toEqual({ checkpoint: { version: 4, size: 6, sizeInBytes: expect.any(Number), numOfAddFiles: 4 }, deletedLogFiles: [] });
    expect((await readLastCheckpoint(lake, 't'))?.version).toBe(4);
    await expectReaderAgrees(folderFiles(path.join(root, 't')), at4);
    const at5 = await atVersion(new LocalLake(tmp()), 5, '2');
    expect(await runPostCommit(lake, at5)).toEqual({ checkpoint: undefined, deletedLogFiles: [] });
  });

  it('reports a failed checkpoint as PostCommitError naming the committed version', async () => {
    const lake = new LocalLake(tmp());
    const snap = await atVersion(lake, 2, '2');
    const broken = Object.assign(Object.create(Object.getPrototypeOf(lake)) as LocalLake, lake, { writeFile: async () => { throw new Error('disk full'); } });
    const err = await runPostCommit(broken, snap).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostCommitError);
    expect((err as PostCommitError).message).toBe('t: version 2 is committed, but its post-commit step failed: disk full');
  });
});
