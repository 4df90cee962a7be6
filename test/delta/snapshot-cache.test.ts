import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { commit, readTable, SnapshotCache, tryReadSnapshot, type DeltaSnapshot } from '../../src/delta';
import { tempDirs } from '../helpers/tmp';
import { CountingLake, DAY, ORDERS_SCHEMA, TestClock, orderFile } from '../helpers/delta-tables';

jest.setTimeout(120_000); // DuckDB writes and reads checkpoints

const tmp = tempDirs();
const TABLE = 'gold/orders';
const log = (v: number) => `${TABLE}/_delta_log/${String(v).padStart(20, '0')}.json`;
const HINT = `${TABLE}/_delta_log/_last_checkpoint`;

/** A table of versions 0..last, a file added by each, a checkpoint every 10 versions. */
async function table(root: string, last: number, clock: TestClock): Promise<DeltaSnapshot> {
  const lake = new LocalLake(root);
  let snap = (await commit(lake, TABLE, undefined, { operation: 'CREATE TABLE', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': '10' } }, adds: [orderFile('f0', '2026-01-01')] }, { now: clock.now })).snapshot;
  for (let v = 1; v <= last; v++) snap = (await commit(lake, TABLE, snap, { operation: 'WRITE', adds: [orderFile(`f${v}`, '2026-01-02')] }, { now: clock.now })).snapshot;
  return snap;
}

describe('SnapshotCache', () => {
  it('reads a table from its checkpoint once, then only the probe for the next commit (the hint too once the version may have expired)', async () => {
    const root = tmp();
    const clock = new TestClock();
    await table(root, 12, clock);
    const lake = new CountingLake(new LocalLake(root));
    const cache = new SnapshotCache();
    const first = await cache.read(lake, TABLE, { now: clock.now });
    expect(lake.reads).toEqual([HINT, `${TABLE}/_delta_log/00000000000000000010.checkpoint.parquet`, log(11), log(12), log(13)]);
    lake.reset();
    expect(await cache.read(lake, TABLE, { now: clock.now })).toBe(first);
    expect(lake.reads).toEqual([log(13)]);
    clock.advance(30 * DAY);
    lake.reset();
    expect(await cache.read(lake, TABLE, { now: clock.now })).toBe(first);
    expect(lake.reads).toEqual([log(13), HINT]);
    expect(await cache.read(lake, 'gold/none', { now: clock.now })).toBeUndefined();
  });

  it('follows commits another writer made, and keeps what its own commit returned', async () => {
    const root = tmp();
    const clock = new TestClock();
    const written = await table(root, 12, clock);
    const lake = new CountingLake(new LocalLake(root));
    const cache = new SnapshotCache();
    await cache.read(lake, TABLE, { now: clock.now });
    const other = (await commit(new LocalLake(root), TABLE, written, { operation: 'WRITE', adds: [orderFile('g13', '2026-01-03')] }, { now: clock.now })).snapshot;
    lake.reset();
    const seen = (await cache.read(lake, TABLE, { now: clock.now }))!;
    expect([seen.version, lake.reads]).toEqual([13, [log(13), log(14)]]);
    expect(seen).toEqual(await tryReadSnapshot(new LocalLake(root), TABLE, { now: clock.now }));
    expect(other.version).toBe(13);
    const mine = (await commit(lake, TABLE, seen, { operation: 'WRITE', adds: [orderFile('h14', '2026-01-03')] }, { now: clock.now })).snapshot;
    cache.keep(mine);
    lake.reset();
    expect(await cache.read(lake, TABLE, { now: clock.now })).toBe(mine);
    expect(lake.reads).toEqual([log(15)]);
  });

  it('reads the table afresh when log cleanup removed the commits after the kept version', async () => {
    const root = tmp();
    const clock = new TestClock();
    await table(root, 5, clock);
    const cache = new SnapshotCache();
    const kept = (await cache.read(new LocalLake(root), TABLE, { now: clock.now }))!;
    let s = kept;
    for (let v = 6; v <= 21; v++) s = (await commit(new LocalLake(root), TABLE, s, { operation: 'WRITE', adds: [orderFile(`g${v}`, '2026-01-03')] }, { now: clock.now })).snapshot;
    clock.advance(31 * DAY); // cleanup removes only commits older than the log retention (30 days)
    for (let v = 0; v < 20; v++) rmSync(path.join(root, log(v)));
    const read = (await cache.read(new LocalLake(root), TABLE, { now: clock.now }))!;
    expect([read.version, read.checkpointVersion, read.files.size]).toEqual([21, 20, 22]);
  });
});

describe('readTable', () => {
  it('reads through the cache when given one, else the log', async () => {
    const root = tmp();
    const clock = new TestClock();
    await table(root, 2, clock);
    const lake = new CountingLake(new LocalLake(root));
    const cache = new SnapshotCache();
    await readTable(cache, lake, TABLE, { now: clock.now });
    lake.reset();
    await readTable(cache, lake, TABLE, { now: clock.now });
    expect(lake.reads).toEqual([log(3)]);
    lake.reset();
    expect((await readTable(undefined, lake, TABLE, { now: clock.now }))!.version).toBe(2);
    expect(lake.reads).toEqual([HINT, log(0), log(1), log(2)]); // no checkpoint yet: the hint is missing, the log listed
  });
});
