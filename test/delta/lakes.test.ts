// The whole module on both lakes: a table written through LocalLake (a folder) and through
// AdlsLake (the real @azure/storage-file-datalake client against test/helpers/dfs-server.ts),
// with real Parquet data files, stats, txn appends, a remove, checkpoints, log cleanup and
// vacuum; the independent reader then reads the rows back through the log.
import { utimesSync } from 'node:fs';
import * as path from 'node:path';
import { DataLakeServiceClient, StorageSharedKeyCredential, newPipeline } from '@azure/storage-file-datalake';
import { AdlsLake } from '../../src/adapters/azure/adls-lake';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { appendFiles, commit, parquetFileStats, readSnapshot, vacuum, type DeltaSnapshot, type NewFile } from '../../src/delta';
import type { Lake } from '../../src/pipeline/ports';
import { startDfsServer, type DfsServer } from '../helpers/dfs-server';
import { folderFiles, mapFiles, readDeltaRows, type TableFiles } from '../helpers/delta-reader';
import { expectReaderAgrees } from '../helpers/delta-agree';
import { DAY, ORDERS_SCHEMA, writeParquet } from '../helpers/delta-tables';
import { tempDirs } from '../helpers/tmp';

jest.setTimeout(300_000); // DuckDB and HTTP on a loaded 2-core machine

const tmp = tempDirs();
const TABLE = 'gold/orders';
const CONFIG = { 'delta.checkpointInterval': '5', 'delta.logRetentionDuration': 'interval 1 days', 'delta.deletedFileRetentionDuration': 'interval 1 days' };
const name = (v: number, ext = 'json') => `${TABLE}/_delta_log/${String(v).padStart(20, '0')}.${ext}`;
/** The table's state alone: how it was read (checkpoint, last commit file) left out. */
const stateOf = (s: DeltaSnapshot) => ({ ...s, checkpointVersion: undefined, commitDigest: undefined, commitTimestamp: undefined });

interface Target {
  lake: Lake;
  files: () => TableFiles;
  /** Sets a file's last-modified time in the storage. */
  age: (lakePath: string, when: Date) => void;
}

/** Writes batch i as a Parquet file (DuckDB, locally), uploads it through the lake, returns its add. */
async function batch(lake: Lake, i: number): Promise<NewFile> {
  const date = `2026-01-0${(i % 2) + 5}`;
  const key = `order_date=${date}/part-${i}.parquet`;
  const local = path.join(tmp(), key);
  const data = await writeParquet(local, `SELECT 'o${i}-' || range AS order_id, (${i} + range / 100)::DECIMAL(12,2) AS amount, DATE '${date}' AS order_date FROM range(2)`);
  await lake.writeFile(`${TABLE}/${key}`, data);
  const { stats } = await parquetFileStats(local, { partitionColumns: ['order_date'] });
  return { key, partitionValues: { order_date: date }, size: data.length, modificationTime: Date.now(), stats };
}

async function scenario(t: Target): Promise<void> {
  // Commits run on the system clock (storage ages are real); the test ages files by setting their times back.
  const clock = { now: () => new Date() };
  let snap: DeltaSnapshot = (await commit(t.lake, TABLE, undefined, { operation: 'CREATE TABLE', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: CONFIG }, adds: [await batch(t.lake, 0)] }, { now: clock.now })).snapshot;
  for (let i = 1; i <= 11; i++) {
    if (i === 6) {
      const gone = [...snap.files.values()].find((f) => f.key.endsWith('/part-1.parquet'))!;
      snap = (await commit(t.lake, TABLE, snap, { operation: 'WRITE', adds: [await batch(t.lake, i)], removes: [gone], txns: [{ appId: 'publisher', version: i }] }, { now: clock.now })).snapshot;
      continue;
    }
    const r = await appendFiles(t.lake, snap, { adds: [await batch(t.lake, i)], txn: { appId: 'publisher', version: i } }, { now: clock.now });
    if (r.status !== 'committed') throw new Error(`expected batch ${i} committed, got ${r.status}`);
    snap = r.snapshot;
  }
  expect([snap.version, snap.files.size, snap.txns.get('publisher')?.version]).toEqual([11, 11, 11]);
  const read = await readSnapshot(t.lake, TABLE, { now: clock.now });
  expect(read.checkpointVersion).toBe(10);
  expect(stateOf(read)).toEqual(stateOf(snap));
  await expectReaderAgrees(t.files(), read);

  // Make everything so far two days old: the commit at 15 checkpoints and cleans up the log.
  const old = new Date(Date.now() - 2 * DAY);
  for (const f of t.files().list()) t.age(`${TABLE}/${f}`, old);
  let result;
  for (let i = 12; i <= 15; i++) result = await commit(t.lake, TABLE, snap = result?.snapshot ?? snap, { operation: 'WRITE', adds: [await batch(t.lake, i)] }, { now: clock.now });
  snap = result!.snapshot;
  expect(result!.checkpoint?.version).toBe(15);
  // Versions 12.. are young, so keep = 12 and the safe checkpoint is 10.
  expect(result!.deletedLogFiles).toEqual([0, 1, 2, 3, 4].map((v) => name(v)).concat([name(5, 'checkpoint.parquet'), name(5), name(6), name(7), name(8), name(9)]));

  // An orphan of a crashed writer, and the file removed at version 6: both past the 1-day retention.
  await t.lake.writeFile(`${TABLE}/order_date=2026-01-05/orphan.parquet`, 'never committed');
  t.age(`${TABLE}/order_date=2026-01-05/orphan.parquet`, old);
  const later = () => new Date(Date.now() + 2 * DAY); // part-1's tombstone (version 6) has expired by then
  expect((await vacuum(t.lake, TABLE, { now: later })).files).toEqual([`${TABLE}/order_date=2026-01-05/orphan.parquet`, `${TABLE}/order_date=2026-01-06/part-1.parquet`]);

  const final = await readSnapshot(t.lake, TABLE, { now: clock.now });
  expect(final.tombstones.size).toBe(1); // inside the retention on today's clock; vacuum judged it on a later one
  expect(stateOf(final)).toEqual(stateOf(snap));
  await expectReaderAgrees(t.files(), final);
  const rows = await readDeltaRows(t.files());
  const expected = [...Array(16).keys()]
    .filter((i) => i !== 1)
    .flatMap((i) => [0, 1].map((r) => ({ order_id: `o${i}-${r}`, amount: (i + r / 100).toFixed(2), order_date: `2026-01-0${(i % 2) + 5}` })));
  expect(rows.map((r) => ({ order_id: String(r['order_id']), amount: r['amount'], order_date: r['order_date'] })).sort((a, b) => (a.order_id < b.order_id ? -1 : 1))).toEqual(
    expected.sort((a, b) => (a.order_id < b.order_id ? -1 : 1)),
  );
}

describe('a Delta table on LocalLake', () => {
  it('writes, checkpoints, cleans up, vacuums, and reads back through the independent reader', async () => {
    const root = tmp();
    await scenario({
      lake: new LocalLake(root),
      files: () => folderFiles(path.join(root, TABLE)),
      age: (p, when) => utimesSync(path.join(root, p), when, when),
    });
  });
});

describe('a Delta table on AdlsLake (real SDK against the DFS test server)', () => {
  let dfs: DfsServer;
  beforeAll(async () => {
    dfs = await startDfsServer();
  });
  afterAll(async () => {
    await dfs?.stop();
  });

  it('writes, checkpoints, cleans up, vacuums, and reads back through the independent reader', async () => {
    const key = new StorageSharedKeyCredential('devstoreaccount1', Buffer.from('test').toString('base64'));
    await new DataLakeServiceClient(dfs.url, key).getFileSystemClient('gold').create();
    await scenario({
      lake: new AdlsLake(dfs.url, newPipeline(key)),
      files: () => mapFiles(dfs.files, TABLE),
      age: (p, when) => void dfs.modified.set(p, when),
    });
    expect([...dfs.files.keys()].filter((k) => k.includes('_tmp'))).toEqual([]);
  });
});
