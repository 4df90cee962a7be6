import { cpSync, renameSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { commit, readSnapshot, tryReadSnapshot, updateSnapshot, readCommit, tableProperties, DeltaTableNotFoundError, DeltaLogError, type DeltaSnapshot } from '../../src/delta';
import { cleanupCannotReach, settleSnapshot } from '../../src/delta/snapshot';
import { tempDirs } from '../helpers/tmp';
import { folderFiles } from '../helpers/delta-reader';
import { expectReaderAgrees } from '../helpers/delta-agree';
import { CountingLake, DAY, ORDERS_SCHEMA, T0, TestClock, orderFile } from '../helpers/delta-tables';

jest.setTimeout(120_000); // DuckDB writes and reads checkpoints

const tmp = tempDirs();
const TABLE = 'gold/orders';
const log = (v: number) => `${TABLE}/_delta_log/${String(v).padStart(20, '0')}.json`;

/**
 * A table of versions 0..last: each version adds a file, every third removes the file added two
 * versions before, and txns of two appIds move (app-a goes back down at v12: latest wins, not max).
 */
async function history(root: string, last: number, clock = new TestClock()): Promise<{ lake: LocalLake; snap: DeltaSnapshot; clock: TestClock }> {
  const lake = new LocalLake(root);
  let snap = (await commit(lake, TABLE, undefined, { operation: 'CREATE TABLE', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': '10' } }, adds: [orderFile('f0', '2026-01-01')] }, { now: clock.now })).snapshot;
  for (let v = 1; v <= last; v++) {
    clock.advance(60_000);
    const removes = v % 3 === 0 ? [...snap.files.values()].filter((f) => f.key.endsWith(`/f${v - 2}.parquet`)) : [];
    const txns = v === 2 ? [{ appId: 'app-a', version: 3 }] : v === 8 ? [{ appId: 'app-a', version: 7 }] : v === 12 ? [{ appId: 'app-a', version: 4 }] : v % 5 === 0 ? [{ appId: 'app-b', version: v * 10 }] : [];
    snap = (await commit(lake, TABLE, snap, { operation: 'WRITE', adds: [orderFile(`f${v}`, `2026-01-0${(v % 3) + 1}`, 100 + v, v)], removes, txns }, { now: clock.now })).snapshot;
  }
  return { lake, snap, clock };
}

/** The same table with its checkpoints and _last_checkpoint removed: what a JSON-only replay sees. */
function jsonOnlyCopy(root: string): string {
  const copy = tmp();
  cpSync(path.join(root, TABLE), path.join(copy, TABLE), { recursive: true });
  const dir = path.join(copy, TABLE, '_delta_log');
  for (const f of readdirSync(dir)) if (!f.endsWith('.json')) rmSync(path.join(dir, f));
  return copy;
}

/** The table's state alone: how it was read (from which checkpoint, which commit file was last) left out. */
const withoutCheckpoint = (s: DeltaSnapshot) => ({ ...s, checkpointVersion: undefined, commitDigest: undefined, commitTimestamp: undefined });

describe('readSnapshot', () => {
  it('after checkpoints at 10 and 20 equals the JSON-only replay of versions 0..25', async () => {
    const root = tmp();
    const { lake, snap, clock } = await history(root, 25);
    expect(readdirSync(path.join(root, TABLE, '_delta_log')).filter((f) => !f.endsWith('.json'))).toEqual([
      '00000000000000000010.checkpoint.parquet',
      '00000000000000000020.checkpoint.parquet',
      '_last_checkpoint',
    ]);
    const fromCheckpoint = await readSnapshot(lake, TABLE, { now: clock.now });
    const fromJson = await readSnapshot(new LocalLake(jsonOnlyCopy(root)), TABLE, { now: clock.now });
    expect(fromCheckpoint.checkpointVersion).toBe(20);
    expect(fromJson.checkpointVersion).toBeUndefined();
    expect(withoutCheckpoint(fromCheckpoint)).toEqual(withoutCheckpoint(fromJson));
    expect(withoutCheckpoint(snap)).toEqual(withoutCheckpoint(fromJson));
    // Each knows the commit file at version 25 alike: the one it read, or (snap) wrote.
    expect([fromCheckpoint.commitDigest, fromCheckpoint.commitTimestamp]).toEqual([fromJson.commitDigest, fromJson.commitTimestamp]);
    expect([snap.commitDigest, snap.commitTimestamp]).toEqual([fromJson.commitDigest, T0 + 25 * 60_000]);
    expect(fromCheckpoint.version).toBe(25);
    expect(fromCheckpoint.files.size).toBe(18); // 26 added, 8 removed (at v3, 6, ..., 24)
    expect(fromCheckpoint.tombstones.size).toBe(8);
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), fromCheckpoint);
  });

  it('keeps the latest txn per appId across checkpoints (latest wins, even when lower)', async () => {
    const root = tmp();
    const { lake, clock } = await history(root, 21);
    const snap = await readSnapshot(lake, TABLE, { now: clock.now });
    expect(snap.checkpointVersion).toBe(20);
    // app-a: 3 (v2), 7 (v8, in checkpoint 10), 4 (v12, in checkpoint 20); app-b: 200 at v20.
    expect([...snap.txns.values()].map((t) => [t.appId, t.version, t.lastUpdated])).toEqual([
      ['app-a', 4, T0 + 12 * 60_000],
      ['app-b', 200, T0 + 20 * 60_000],
    ]);
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), snap);
  });

  it('reads the checkpoint _last_checkpoint names and only the commits after it, without listing', async () => {
    const root = tmp();
    const { clock } = await history(root, 25);
    const lake = new CountingLake(new LocalLake(root));
    await readSnapshot(lake, TABLE, { now: clock.now });
    expect(lake.reads).toEqual([
      `${TABLE}/_delta_log/_last_checkpoint`,
      `${TABLE}/_delta_log/00000000000000000020.checkpoint.parquet`,
      log(21), log(22), log(23), log(24), log(25), log(26), // 26: the probe that finds the end
    ]);
    expect(lake.lists).toBe(0);
  });

  it('at its checkpoint version, probes the block of 1,000 versions after it, never the whole log', async () => {
    const root = tmp();
    const { clock } = await history(root, 20);
    const expected = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    // The same log moved to versions 2000..2020, after a thousand older commits (never read).
    const dir = path.join(root, TABLE, '_delta_log');
    for (const f of readdirSync(dir)) {
      const m = /^(\d{20})(\..*)$/.exec(f);
      if (m) renameSync(path.join(dir, f), path.join(dir, `${String(Number(m[1]) + 2000).padStart(20, '0')}${m[2]}`));
    }
    for (let v = 1000; v < 2000; v++) writeFileSync(path.join(dir, `${String(v).padStart(20, '0')}.json`), 'not read');
    writeFileSync(path.join(dir, '_last_checkpoint'), JSON.stringify({ version: 2020, size: 14 }));
    const lake = new CountingLake(new LocalLake(root));
    const snap = await readSnapshot(lake, TABLE, { now: clock.now });
    expect({ version: snap.version, files: snap.files }).toEqual({ version: 2020, files: expected.files });
    expect(lake.reads).toEqual([`${TABLE}/_delta_log/_last_checkpoint`, `${TABLE}/_delta_log/00000000000000002020.checkpoint.parquet`, log(2021)]);
    expect(lake.lists).toBe(0);
    expect(lake.scans).toEqual([`${TABLE}/_delta_log/00000000000000002`]);
    // Versions 2000..2020 and their checkpoints (one page on ADLS), none of the 1,000 before.
    expect(lake.scanned).toEqual(readdirSync(dir).filter((f) => f.startsWith('00000000000000002')).sort().map((f) => `${TABLE}/_delta_log/${f}`));
    expect(lake.scanned).toHaveLength(23);
  });

  it('without _last_checkpoint lists the log and starts from the newest checkpoint', async () => {
    const root = tmp();
    const { clock } = await history(root, 25);
    const expected = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    rmSync(path.join(root, TABLE, '_delta_log/_last_checkpoint'));
    const lake = new CountingLake(new LocalLake(root));
    const snap = await readSnapshot(lake, TABLE, { now: clock.now });
    expect(snap).toEqual(expected);
    expect(lake.lists).toBe(1);
    expect(lake.reads).toEqual([`${TABLE}/_delta_log/_last_checkpoint`, `${TABLE}/_delta_log/00000000000000000020.checkpoint.parquet`, log(21), log(22), log(23), log(24), log(25)]);
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), snap);
  });

  it('with a stale _last_checkpoint (version 10 while 20 exists) still gives the current table', async () => {
    const root = tmp();
    const { clock } = await history(root, 25);
    const expected = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    writeFileSync(path.join(root, TABLE, '_delta_log/_last_checkpoint'), JSON.stringify({ version: 10, size: 14 }));
    const snap = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    expect(snap.checkpointVersion).toBe(10);
    expect(withoutCheckpoint(snap)).toEqual(withoutCheckpoint(expected));
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), snap);
  });

  it('with _last_checkpoint naming a checkpoint that is gone, falls back to the listing', async () => {
    const root = tmp();
    const { clock } = await history(root, 25);
    const expected = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    writeFileSync(path.join(root, TABLE, '_delta_log/_last_checkpoint'), JSON.stringify({ version: 30, size: 14 }));
    expect(await readSnapshot(new LocalLake(root), TABLE, { now: clock.now })).toEqual(expected);
    writeFileSync(path.join(root, TABLE, '_delta_log/_last_checkpoint'), 'not json');
    expect(await readSnapshot(new LocalLake(root), TABLE, { now: clock.now })).toEqual(expected);
  });

  it('when the commit after the hinted checkpoint was cleaned away, lists and uses the newer checkpoint', async () => {
    const root = tmp();
    const { clock } = await history(root, 25);
    const expected = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    writeFileSync(path.join(root, TABLE, '_delta_log/_last_checkpoint'), JSON.stringify({ version: 10, size: 14 }));
    for (let v = 0; v < 20; v++) if (v !== 10) rmSync(path.join(root, log(v)));
    const snap = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    expect(snap).toEqual(expected);
  });

  it('reads a log whose versions 0..19 were deleted (it starts at the checkpoint)', async () => {
    const root = tmp();
    const { clock } = await history(root, 25);
    const expected = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    for (let v = 0; v < 20; v++) rmSync(path.join(root, log(v)));
    rmSync(path.join(root, TABLE, '_delta_log/00000000000000000010.checkpoint.parquet'));
    rmSync(path.join(root, TABLE, '_delta_log/_last_checkpoint'));
    const snap = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    expect(snap).toEqual(expected);
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), snap);
  });

  it('drops tombstones older than delta.deletedFileRetentionDuration', async () => {
    const root = tmp();
    const { lake, clock } = await history(root, 6);
    expect((await readSnapshot(lake, TABLE, { now: clock.now })).tombstones.size).toBe(2); // removed at v3 and v6
    clock.ms = T0 + 3 * 60_000 + 7 * DAY; // v3's tombstone is now exactly 7 days old: expired
    expect([...(await readSnapshot(lake, TABLE, { now: clock.now })).tombstones.values()].map((t) => t.key)).toEqual(['order_date=2026-01-02/f4.parquet']);
  });

  it('fails with a clear error on a gap, a missing table and a newer reader version', async () => {
    const root = tmp();
    const { lake } = await history(root, 4);
    await expect(readSnapshot(lake, 'gold/none')).rejects.toBeInstanceOf(DeltaTableNotFoundError);
    expect(await tryReadSnapshot(lake, 'gold/none')).toBeUndefined();
    rmSync(path.join(root, log(2)));
    await expect(readSnapshot(lake, TABLE)).rejects.toThrow('gold/orders: expected a checkpoint or every commit from version 0 to 4, but version 2 is missing from gold/orders/_delta_log');
    const v3 = new LocalLake(tmp());
    await v3.writeFile('t/_delta_log/00000000000000000000.json', '{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}}\n{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{\\"type\\":\\"struct\\",\\"fields\\":[]}","partitionColumns":[],"configuration":{}}}\n');
    await expect(readSnapshot(v3, 't')).rejects.toThrow(new DeltaLogError('t at version 0: the table needs reader version 3 with features deletionVectors; this reader implements version 1'));
  });

  it('reads checkpoints written by Spark 3.0 and delta-rs', async () => {
    const spark = await readSnapshot(new LocalLake(path.join(__dirname, 'fixtures')), 'spark-3.0-simple');
    expect([spark.version, spark.checkpointVersion, spark.files.size, spark.metadata.id]).toEqual([10, 10, 11, 'cf3741a3-5f93-434f-99ac-9a4bebcdf06c']);
    expect(spark.files.get('part-00000-f0e955c5-a1e3-4eec-834e-dcc098fc9005-c000.snappy.parquet')!.add.size).toBe(442);
    const rs = await readSnapshot(new LocalLake(path.join(__dirname, 'fixtures')), 'delta-rs-0.4-partitions');
    expect([rs.version, rs.checkpointVersion, rs.metadata.partitionColumns]).toEqual([2, 2, ['color']]);
    expect([...rs.files.values()].map((f) => [f.key, f.add.partitionValues])).toEqual([
      ['f62d8868-d952-4f9d-8bb2-fd4e011ebf36', { color: 'red' }],
      ['8ac7d8e1-daab-48ef-9d05-ec22fb4b0d2f', { color: null }],
    ]);
  });
});

describe('updateSnapshot', () => {
  it('reads only the commits after the snapshot it is given', async () => {
    const root = tmp();
    const { snap, clock } = await history(root, 12);
    const other = new LocalLake(root);
    let s = snap;
    for (const v of [13, 14]) s = (await commit(other, TABLE, s, { operation: 'WRITE', adds: [orderFile(`g${v}`, '2026-01-02')] }, { now: clock.now })).snapshot;
    const lake = new CountingLake(new LocalLake(root));
    const updated = await updateSnapshot(lake, snap, { now: clock.now });
    expect(lake.reads).toEqual([log(13), log(14), log(15)]);
    expect(updated).toEqual(s);
    lake.reset();
    expect(await updateSnapshot(lake, updated, { now: clock.now })).toBe(updated);
    expect(lake.reads).toEqual([log(15)]); // version 14 is a moment old: no cleanup can have removed 15, so the hint is not read
    clock.advance(30 * DAY);
    lake.reset();
    expect(await updateSnapshot(lake, updated, { now: clock.now })).toBe(updated);
    expect(lake.reads).toEqual([log(15), `${TABLE}/_delta_log/_last_checkpoint`]); // now it may be past the retention
  });

  it('reads from the newest checkpoint when log cleanup removed the commits it needs', async () => {
    const root = tmp();
    const { lake, clock } = await history(root, 25);
    clock.advance(31 * DAY); // cleanup removes only commits older than the log retention (30 days)
    const old = await readSnapshot(new LocalLake(jsonOnlyCopy(root)), TABLE, { now: clock.now });
    const at5 = { ...old, version: 5 } as DeltaSnapshot; // a reader that last looked at version 5
    for (let v = 0; v < 20; v++) rmSync(path.join(root, log(v)));
    const updated = await updateSnapshot(lake, at5, { now: clock.now });
    expect(updated.checkpointVersion).toBe(20);
    expect(withoutCheckpoint(updated)).toEqual(withoutCheckpoint(old));
  });
});

describe('readCommit', () => {
  it('parses one commit file', async () => {
    const root = tmp();
    const { lake } = await history(root, 1);
    expect((await readCommit(lake, TABLE, 1)).map((a) => Object.keys(a)[0])).toEqual(['commitInfo', 'add']);
  });
});

describe('cleanupCannotReach', () => {
  const at = (commitTimestamp: number | undefined, retention = '30 days') => ({
    ...(commitTimestamp !== undefined ? { commitTimestamp } : {}),
    properties: tableProperties({ 'delta.logRetentionDuration': `interval ${retention}` }),
  }) as DeltaSnapshot;
  it('holds while the version is younger than the log retention less a day for clocks', () => {
    expect(cleanupCannotReach(at(T0), T0)).toBe(true);
    expect(cleanupCannotReach(at(T0), T0 + 29 * DAY - 1)).toBe(true);
    expect(cleanupCannotReach(at(T0), T0 + 29 * DAY)).toBe(false);
    expect(cleanupCannotReach(at(T0, '2 days'), T0 + DAY - 1)).toBe(true);
    expect(cleanupCannotReach(at(T0, '1 days'), T0)).toBe(false); // a day's retention leaves nothing inside the margin
  });
  it('does not hold without a commit time, or for one more than a day ahead of this clock', () => {
    expect(cleanupCannotReach(at(undefined), T0)).toBe(false);
    expect(cleanupCannotReach(at(T0 + DAY - 1), T0)).toBe(true);
    expect(cleanupCannotReach(at(T0 + DAY), T0)).toBe(false);
  });
});

describe('settleSnapshot', () => {
  it('applies the commits read, and reads the hint only when cleanup may have removed the next one by the retention the table has now', async () => {
    const root = tmp();
    const clock = new TestClock();
    const { snap: at5 } = await history(root, 5, clock);
    const other = new LocalLake(root);
    clock.advance(2 * DAY);
    let s = (await commit(other, TABLE, at5, { operation: 'SET TBLPROPERTIES', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': '10', 'delta.logRetentionDuration': 'interval 3 days' } } }, { now: clock.now })).snapshot;
    const six = { version: 6, actions: await readCommit(other, TABLE, 6) };
    for (let v = 7; v <= 20; v++) s = (await commit(other, TABLE, s, { operation: 'WRITE', adds: [orderFile(`w${v}`, '2026-01-02')] }, { now: clock.now, postCommit: v === 20 })).snapshot;
    const lake = new CountingLake(new LocalLake(root));
    // Version 6 is a moment old: nothing could have removed 7, no hint read.
    expect((await settleSnapshot(lake, at5, [six], { now: clock.now })).version).toBe(6);
    expect(lake.reads).toEqual([]);
    // Four days on, past the 3-day retention version 6 set: the hint (20) shows the log moved on.
    clock.advance(4 * DAY);
    lake.reset();
    const settled = await settleSnapshot(lake, at5, [six], { now: clock.now });
    expect([settled.version, settled.checkpointVersion, settled.files.size]).toEqual([20, 20, s.files.size]);
    expect(lake.reads[0]).toBe(`${TABLE}/_delta_log/_last_checkpoint`);
  });
});
