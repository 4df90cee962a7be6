import { readdirSync, utimesSync } from 'node:fs';
import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { commit, readSnapshot, vacuum } from '../../src/delta';
import { tempDirs } from '../helpers/tmp';
import { folderFiles } from '../helpers/delta-reader';
import { expectReaderAgrees } from '../helpers/delta-agree';
import { DAY, ORDERS_SCHEMA, T0, TestClock, orderFile } from '../helpers/delta-tables';

const tmp = tempDirs();
const TABLE = 'gold/orders';
const P = 'order_date=2026-01-05';

function touch(root: string, key: string, ms: number): void {
  utimesSync(path.join(root, TABLE, key), new Date(ms), new Date(ms));
}

/**
 * a and b added at T0; at T0 + 1 day a is removed and c added. d was written but never committed
 * (a crashed writer) long ago, e recently. Hidden files sit beside them.
 */
async function scene(root: string) {
  const lake = new LocalLake(root);
  const clock = new TestClock();
  for (const f of ['a', 'b', 'c', 'd', 'e']) await lake.writeFile(`${TABLE}/${P}/${f}.parquet`, f);
  for (const hidden of ['_tmp_write/x.parquet', '.staging/y.parquet', `${P}/_SUCCESS`, `${P}/.a.parquet.crc`]) await lake.writeFile(`${TABLE}/${hidden}`, 'h');
  const v0 = await commit(lake, TABLE, undefined, { operation: 'CREATE TABLE', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'] }, adds: [orderFile('a', '2026-01-05'), orderFile('b', '2026-01-05')] }, { now: clock.now });
  clock.advance(DAY);
  const a = [...v0.snapshot.files.values()].find((f) => f.key.endsWith('/a.parquet'))!;
  const v1 = await commit(lake, TABLE, v0.snapshot, { operation: 'WRITE', removes: [a], adds: [orderFile('c', '2026-01-05')] }, { now: clock.now });
  for (const f of ['a', 'b', 'd']) touch(root, `${P}/${f}.parquet`, T0 - 10 * DAY);
  touch(root, `${P}/c.parquet`, T0 + DAY);
  touch(root, `${P}/e.parquet`, T0 + 4 * DAY);
  for (const hidden of ['_tmp_write/x.parquet', '.staging/y.parquet', `${P}/_SUCCESS`, `${P}/.a.parquet.crc`]) touch(root, hidden, T0 - 100 * DAY);
  for (const f of readdirSync(path.join(root, TABLE, '_delta_log'))) touch(root, `_delta_log/${f}`, T0 - 100 * DAY);
  return { lake, snap: v1.snapshot, first: v0.snapshot };
}

const files = (root: string) => folderFiles(path.join(root, TABLE)).list().sort();

describe('vacuum', () => {
  it('keeps tombstoned files inside the retention, deletes them after it, and deletes old never-committed files', async () => {
    const root = tmp();
    const { lake, snap } = await scene(root);
    const before = files(root);
    const at = (days: number) => ({ now: () => new Date(T0 + days * DAY) });

    // T0 + 5 days (cutoff T0 - 2 days): a's tombstone (T0 + 1 day) protects it; d is an old orphan; e is young.
    expect(await vacuum(lake, TABLE, { ...at(5), dryRun: true })).toEqual({ files: [`${TABLE}/${P}/d.parquet`], dryRun: true, version: 1 });
    expect(files(root)).toEqual(before);
    expect(await vacuum(lake, TABLE, at(5))).toEqual({ files: [`${TABLE}/${P}/d.parquet`], dryRun: false, version: 1 });

    // T0 + 9 days (cutoff T0 + 2 days): a's tombstone has expired.
    expect((await vacuum(lake, TABLE, at(9))).files).toEqual([`${TABLE}/${P}/a.parquet`]);
    // T0 + 12 days (cutoff T0 + 5 days): e is old enough now.
    expect((await vacuum(lake, TABLE, at(12))).files).toEqual([`${TABLE}/${P}/e.parquet`]);
    expect((await vacuum(lake, TABLE, at(30))).files).toEqual([]);

    expect(files(root)).toEqual(before.filter((f) => !/\/(a|d|e)\.parquet$/.test(f)));
    expect(files(root).filter((f) => f.startsWith('_delta_log/'))).toEqual(before.filter((f) => f.startsWith('_delta_log/')));
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), await readSnapshot(lake, TABLE));
    expect([...snap.files.values()].map((f) => f.key)).toEqual([`${P}/b.parquet`, `${P}/c.parquet`]);
  });

  it('decides from the snapshot the caller gives instead of reading the log again', async () => {
    const root = tmp();
    const { lake, snap, first } = await scene(root);
    const reads: string[] = [];
    const watched = Object.assign(Object.create(lake) as LocalLake, { readFile: (p: string) => (reads.push(p), lake.readFile(p)) });
    // The same decision as from the log (a protected by its tombstone at T0 + 5 days), and no log file read.
    expect(await vacuum(watched, TABLE, { now: () => new Date(T0 + 5 * DAY), dryRun: true, snapshot: snap })).toEqual({ files: [`${TABLE}/${P}/d.parquet`], dryRun: true, version: 1 });
    expect(reads).toEqual([]);
    // At T0 + 9 days the log (version 1) lets a go. Given version 0, a is live and kept, and c,
    // which version 1 added, would go: the decision is the given snapshot's, so it must be the latest.
    const late = { now: () => new Date(T0 + 9 * DAY), dryRun: true };
    expect(await vacuum(lake, TABLE, late)).toEqual({ files: [`${TABLE}/${P}/a.parquet`, `${TABLE}/${P}/d.parquet`], dryRun: true, version: 1 });
    expect(await vacuum(lake, TABLE, { ...late, snapshot: first })).toEqual({ files: [`${TABLE}/${P}/c.parquet`, `${TABLE}/${P}/d.parquet`], dryRun: true, version: 0 });
  });

  it("refuses a retention shorter than the table's unless told, and honours delta.deletedFileRetentionDuration", async () => {
    const root = tmp();
    const { lake, snap } = await scene(root);
    await expect(vacuum(lake, TABLE, { now: () => new Date(T0 + 2 * DAY), retentionMs: 0 })).rejects.toThrow(
      "gold/orders: expected a vacuum retention of at least the table's delta.deletedFileRetentionDuration (604800000 ms), got 0 ms (pass enforceRetention: false to override)",
    );
    const day2 = () => new Date(T0 + 2 * DAY);
    // e was modified after this clock's "now": younger than any retention, never deleted.
    expect((await vacuum(lake, TABLE, { now: day2, retentionMs: 0, enforceRetention: false, dryRun: true })).files).toEqual([`${TABLE}/${P}/a.parquet`, `${TABLE}/${P}/d.parquet`]);
    expect((await vacuum(lake, TABLE, { now: day2, dryRun: true })).files).toEqual([`${TABLE}/${P}/d.parquet`]);
    await commit(lake, TABLE, snap, { operation: 'SET TBLPROPERTIES', metadata: { configuration: { 'delta.deletedFileRetentionDuration': 'interval 12 hours' } } }, { now: () => new Date(T0 + DAY) });
    expect((await vacuum(lake, TABLE, { now: day2, dryRun: true })).files).toEqual([`${TABLE}/${P}/a.parquet`, `${TABLE}/${P}/d.parquet`]);
  });

  it('looks into partition folders whose column name starts with _', async () => {
    const root = tmp();
    const lake = new LocalLake(root);
    await lake.writeFile(`${TABLE}/_bucket=1/orphan.parquet`, 'x');
    await lake.writeFile(`${TABLE}/_bucket=1/_SUCCESS`, 'x');
    await commit(lake, TABLE, undefined, { operation: 'CREATE TABLE', metadata: { schema: [{ name: 'id', type: 'long' }, { name: '_bucket', type: 'integer' }], partitionColumns: ['_bucket'] } }, { now: () => new Date(T0) });
    touch(root, '_bucket=1/orphan.parquet', T0 - 30 * DAY);
    touch(root, '_bucket=1/_SUCCESS', T0 - 30 * DAY);
    expect((await vacuum(lake, TABLE, { now: () => new Date(T0), dryRun: true })).files).toEqual([`${TABLE}/_bucket=1/orphan.parquet`]);
  });
});
