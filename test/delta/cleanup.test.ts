import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { cleanupExpiredLogs, commit, readSnapshot, type DeltaSnapshot } from '../../src/delta';
import type { Lake } from '../../src/pipeline/ports';
import { tempDirs } from '../helpers/tmp';
import { folderFiles } from '../helpers/delta-reader';
import { expectReaderAgrees } from '../helpers/delta-agree';
import { CountingLake, DAY, ORDERS_SCHEMA, T0, TestClock, orderFile } from '../helpers/delta-tables';

jest.setTimeout(120_000); // DuckDB writes checkpoints

const tmp = tempDirs();
const TABLE = 'gold/orders';
const name = (v: number, ext = 'json') => `${String(v).padStart(20, '0')}.${ext}`;

/** Versions 0..last with checkpoints every 10, written through commit (post-commit steps on). */
async function table(root: string, last: number, clock = new TestClock()): Promise<DeltaSnapshot> {
  const lake = new LocalLake(root);
  let snap: DeltaSnapshot | undefined;
  for (let v = 0; v <= last; v++) {
    snap = (await commit(lake, TABLE, snap, {
      operation: 'WRITE',
      ...(v === 0 ? { metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': '10' } } } : {}),
      adds: [orderFile(`f${v}`, '2026-01-05')],
    }, { now: clock.now })).snapshot;
  }
  return snap!;
}

/** Sets each log file's mtime to T0 + version days (version v written on day v). */
function ageLog(root: string): void {
  const dir = path.join(root, TABLE, '_delta_log');
  for (const f of readdirSync(dir)) {
    const m = /^(\d{20})\./.exec(f);
    const t = new Date(m ? T0 + Number(m[1]) * DAY : T0);
    utimesSync(path.join(dir, f), t, t);
  }
}

const logNames = (root: string) => readdirSync(path.join(root, TABLE, '_delta_log')).sort();

describe('cleanupExpiredLogs', () => {
  it('deletes the files before the newest checkpoint at or before the oldest version still inside the retention', async () => {
    const root = tmp();
    const snap = await table(root, 25);
    ageLog(root);
    const lake = new LocalLake(root);
    // cutoff T0 + 15 days: versions 15.. are inside it, so keep = 15 and the safe checkpoint is 10.
    const deleted = await cleanupExpiredLogs(lake, TABLE, { keepVersion: 25, cutoff: new Date(T0 + 15 * DAY) });
    expect(deleted).toEqual([...Array(10).keys()].map((v) => `${TABLE}/_delta_log/${name(v)}`));
    expect(logNames(root)).toEqual([
      name(10, 'checkpoint.parquet'),
      ...[...Array(10).keys()].map((i) => name(10 + i)),
      name(20, 'checkpoint.parquet'),
      ...[20, 21, 22, 23, 24, 25].map((v) => name(v)),
      '_last_checkpoint',
    ]);
    const read = await readSnapshot(lake, TABLE, { now: () => new Date(T0 + 25 * DAY) });
    expect({ ...read, checkpointVersion: 0 }).toEqual({ ...snap, checkpointVersion: 0 });
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), read);

    // Everything older than the cutoff: the safe checkpoint is the newest, 20.
    const more = await cleanupExpiredLogs(lake, TABLE, { keepVersion: 25, cutoff: new Date(T0 + 40 * DAY) });
    expect(more).toEqual([
      `${TABLE}/_delta_log/${name(10, 'checkpoint.parquet')}`,
      ...[...Array(10).keys()].map((i) => `${TABLE}/_delta_log/${name(10 + i)}`),
    ]);
    expect(logNames(root)).toEqual([name(20, 'checkpoint.parquet'), ...[20, 21, 22, 23, 24, 25].map((v) => name(v)), '_last_checkpoint']);
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), await readSnapshot(lake, TABLE));
  });

  it('deletes nothing when no checkpoint is at or before the version to keep', async () => {
    const root = tmp();
    await table(root, 9);
    ageLog(root);
    expect(await cleanupExpiredLogs(new LocalLake(root), TABLE, { keepVersion: 9, cutoff: new Date(T0 + 100 * DAY) })).toEqual([]);
    expect(logNames(root)).toHaveLength(10);
  });

  it('keeps every version at or after a young file, even an old-numbered one', async () => {
    const root = tmp();
    await table(root, 25);
    ageLog(root);
    const young = new Date(T0 + 50 * DAY);
    utimesSync(path.join(root, TABLE, '_delta_log', name(12)), young, young); // rewritten or copied recently
    const deleted = await cleanupExpiredLogs(new LocalLake(root), TABLE, { keepVersion: 25, cutoff: new Date(T0 + 40 * DAY) });
    expect(deleted).toEqual([...Array(10).keys()].map((v) => `${TABLE}/_delta_log/${name(v)}`)); // keep = 12, safe checkpoint 10
  });

  it('never deletes the checkpoint _last_checkpoint names, nor anything after it', async () => {
    const root = tmp();
    await table(root, 25);
    writeFileSync(path.join(root, TABLE, '_delta_log/_last_checkpoint'), JSON.stringify({ version: 10, size: 13 }));
    ageLog(root);
    const deleted = await cleanupExpiredLogs(new LocalLake(root), TABLE, { keepVersion: 25, cutoff: new Date(T0 + 40 * DAY) });
    expect(deleted).toEqual([...Array(10).keys()].map((v) => `${TABLE}/_delta_log/${name(v)}`));
    expect(logNames(root)).toContain(name(10, 'checkpoint.parquet'));
  });

  it('reads the log only up to its first young file, whatever follows it', async () => {
    const root = tmp();
    await table(root, 25);
    ageLog(root);
    const lake = new CountingLake(new LocalLake(root));
    const deleted = await cleanupExpiredLogs(lake, TABLE, { keepVersion: 25, cutoff: new Date(T0 + 15 * DAY) });
    expect(deleted).toEqual([...Array(10).keys()].map((v) => `${TABLE}/_delta_log/${name(v)}`));
    expect(lake.scans).toEqual([`${TABLE}/_delta_log/`]);
    // Versions 0..15 and checkpoint 10; not 16..25, checkpoint 20 nor _last_checkpoint.
    expect(lake.scanned.map((p) => p.slice(`${TABLE}/_delta_log/`.length))).toEqual([
      ...[...Array(10).keys()].map((v) => name(v)), name(10, 'checkpoint.parquet'), ...[10, 11, 12, 13, 14, 15].map((v) => name(v)),
    ]);
    expect(lake.lists).toBe(0);
  });

  it('reads no further than the version _last_checkpoint names', async () => {
    const root = tmp();
    await table(root, 25);
    writeFileSync(path.join(root, TABLE, '_delta_log/_last_checkpoint'), JSON.stringify({ version: 10, size: 13 }));
    ageLog(root);
    const lake = new CountingLake(new LocalLake(root));
    expect(await cleanupExpiredLogs(lake, TABLE, { keepVersion: 25, cutoff: new Date(T0 + 40 * DAY) })).toHaveLength(10);
    expect(lake.scanned.at(-1)).toBe(`${TABLE}/_delta_log/${name(11)}`); // the first past the hint ends the scan
  });

  it('needs a lake that reports file ages', async () => {
    const blind = new LocalLake(tmp());
    const noAges: Lake = { writeFile: blind.writeFile.bind(blind), readFile: blind.readFile.bind(blind), list: blind.list.bind(blind), deleteFile: blind.deleteFile.bind(blind), writeFileIfAbsent: blind.writeFileIfAbsent.bind(blind), sweepTemporary: blind.sweepTemporary.bind(blind) };
    await expect(cleanupExpiredLogs(noAges, TABLE, { keepVersion: 1, cutoff: new Date(T0) })).rejects.toThrow('gold/orders log cleanup: expected a Lake with scanEntries or listEntries (file ages), got one without');
  });

  it('runs after the checkpoint a commit writes, with delta.logRetentionDuration', async () => {
    const root = tmp();
    const clock = new TestClock(Date.now());
    let snap = await table(root, 19, clock);
    // Versions 0..19 were written 40 days ago; retention is the default 30 days.
    const old = new Date(clock.ms - 40 * DAY);
    for (const f of readdirSync(path.join(root, TABLE, '_delta_log'))) utimesSync(path.join(root, TABLE, '_delta_log', f), old, old);
    const r = await commit(new LocalLake(root), TABLE, snap, { operation: 'WRITE', adds: [orderFile('f20', '2026-01-05')] }, { now: clock.now });
    snap = r.snapshot;
    expect(r.checkpoint?.version).toBe(20);
    // Oldest first: a crash part-way leaves a log that still starts at a readable version.
    const expected = [...[...Array(10).keys()].map((v) => name(v)), name(10, 'checkpoint.parquet'), ...[...Array(10).keys()].map((i) => name(10 + i))];
    expect(r.deletedLogFiles).toEqual(expected.map((n) => `${TABLE}/_delta_log/${n}`));
    expect(logNames(root)).toEqual([name(20, 'checkpoint.parquet'), name(20), '_last_checkpoint']);
    await expectReaderAgrees(folderFiles(path.join(root, TABLE)), await readSnapshot(new LocalLake(root), TABLE));
  });
});
