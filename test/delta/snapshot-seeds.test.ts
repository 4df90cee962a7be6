import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { commit, readSnapshot, tryReadSnapshot, SnapshotCache, type DeltaSnapshot } from '../../src/delta';
import { decodeSeeds, encodeSeeds, loadSeeds, readFromSeed, saveSeeds, seedOf, seededSnapshot, type SnapshotSeed } from '../../src/delta/snapshot-seeds';
import type { Lake } from '../../src/pipeline/ports';
import { tempDirs } from '../helpers/tmp';
import { CountingLake, DAY, ORDERS_SCHEMA, T0, TestClock, orderFile } from '../helpers/delta-tables';

jest.setTimeout(120_000); // DuckDB writes and reads checkpoints

const tmp = tempDirs();
const TABLE = 'gold/orders';
const log = (v: number) => `${TABLE}/_delta_log/${String(v).padStart(20, '0')}.json`;
const SEEDS = 'gold/_work/snapshot-seeds.json.gz';
/** The table's state alone: how it was read left out. */
const stateOf = (s: DeltaSnapshot) => ({ ...s, checkpointVersion: undefined, commitDigest: undefined, commitTimestamp: undefined });

/** Versions 0..last, a file added by each, one removed every third version, a checkpoint every 10. */
async function table(root: string, last: number, clock: TestClock, name = 'f'): Promise<DeltaSnapshot> {
  const lake = new LocalLake(root);
  let snap = (await commit(lake, TABLE, undefined, { operation: 'CREATE TABLE', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': '10' } }, adds: [orderFile(`${name}0`, '2026-01-01')] }, { now: clock.now })).snapshot;
  for (let v = 1; v <= last; v++) {
    clock.advance(60_000);
    const removes = v % 3 === 0 ? [...snap.files.values()].filter((f) => f.key.endsWith(`/${name}${v - 2}.parquet`)) : [];
    const txns = v % 4 === 0 ? [{ appId: 'silver', version: v }] : [];
    snap = (await commit(lake, TABLE, snap, { operation: 'WRITE', adds: [orderFile(`${name}${v}`, '2026-01-02')], removes, txns }, { now: clock.now })).snapshot;
  }
  return snap;
}

const seed = (over: Partial<SnapshotSeed> = {}): SnapshotSeed => ({ table: TABLE, version: 3, commitDigest: 'abc', actions: [{ txn: { appId: 'a', version: 1 } }], ...over });

describe('encodeSeeds', () => {
  it('gives what decodeSeeds reads back, by table', () => {
    const seeds = [seed(), seed({ table: 'silver/order_events', version: 40, checkpointVersion: 40 })];
    const back = decodeSeeds(encodeSeeds(seeds), SEEDS);
    expect([...back.entries()]).toEqual([[TABLE, seeds[0]], ['silver/order_events', seeds[1]]]);
  });
});

describe('decodeSeeds', () => {
  it('names the file and what it expected when the bytes are not seeds', () => {
    expect(() => decodeSeeds(Buffer.from('not gzip'), SEEDS)).toThrow(`${SEEDS}: expected gzipped JSON of snapshot seeds, got 8 bytes that are not`);
    expect(() => decodeSeeds(gzipSync(JSON.stringify({ format: 'other/9', seeds: [] })), SEEDS)).toThrow(`${SEEDS}: expected format "orderlake.snapshot-seeds/1" with a seeds array, got format "other/9"`);
    expect(() => decodeSeeds(gzipSync(JSON.stringify({ format: 'orderlake.snapshot-seeds/1', seeds: [{ table: TABLE, version: '3' }] })), SEEDS))
      .toThrow(`${SEEDS}: expected each seed to have table, version, commitDigest and actions, got {"table":"gold/orders","version":"3"}`);
  });
});

describe('seedOf', () => {
  it('takes the digest a commit returned without reading, and reads the commit file of a version known from its checkpoint only', async () => {
    const root = tmp();
    const clock = new TestClock();
    const written = await table(root, 10, clock);
    const lake = new CountingLake(new LocalLake(root));
    const mine = (await seedOf(lake, written, clock.ms))!;
    expect(lake.reads).toEqual([]);
    const fromCheckpoint = await readSnapshot(new LocalLake(root), TABLE, { now: clock.now });
    expect([fromCheckpoint.checkpointVersion, fromCheckpoint.commitDigest]).toEqual([10, undefined]);
    const read = (await seedOf(lake, fromCheckpoint, clock.ms))!;
    expect(lake.reads).toEqual([log(10)]);
    // The same state, whichever snapshot the seed came from (a checkpoint orders a remove's keys its own way).
    expect({ ...read, actions: '' }).toEqual({ ...mine, actions: '', checkpointVersion: 10 });
    expect(stateOf((await seededSnapshot(lake, read, clock.ms))!)).toEqual(stateOf((await seededSnapshot(lake, mine, clock.ms))!));
    expect([mine.table, mine.version, mine.commitDigest]).toEqual([TABLE, 10, written.commitDigest]);
    rmSync(path.join(root, log(10)));
    expect(await seedOf(lake, fromCheckpoint, clock.ms)).toBeUndefined();
  });
});

describe('seededSnapshot', () => {
  it('is the table at the seed\'s version, from one read of that commit file', async () => {
    const root = tmp();
    const clock = new TestClock();
    const written = await table(root, 14, clock);
    const s = (await seedOf(new LocalLake(root), written, clock.ms))!;
    const lake = new CountingLake(new LocalLake(root));
    const seeded = (await seededSnapshot(lake, s, clock.ms))!;
    expect(lake.reads).toEqual([log(14)]);
    const fresh = (await tryReadSnapshot(new LocalLake(root), TABLE, { now: clock.now }))!;
    expect(stateOf(seeded)).toEqual(stateOf(fresh));
    expect([seeded.version, seeded.checkpointVersion, seeded.commitDigest, seeded.commitTimestamp]).toEqual([14, undefined, fresh.commitDigest, T0 + 14 * 60_000]); // the writer's own snapshot came from commits, not the checkpoint
    expect([seeded.files.size, seeded.tombstones.size, [...seeded.txns.values()].map((t) => t.version)]).toEqual([11, 4, [12]]);
  });

  it('is undefined when the commit file at the seed\'s version is gone or has other text (the table was written again)', async () => {
    const root = tmp();
    const clock = new TestClock();
    const s = (await seedOf(new LocalLake(root), await table(root, 4, clock), clock.ms))!;
    rmSync(path.join(root, TABLE), { recursive: true });
    expect(await seededSnapshot(new LocalLake(root), s, clock.ms)).toBeUndefined();
    await table(root, 4, clock, 'g'); // the same versions, other commits
    expect(await seededSnapshot(new LocalLake(root), s, clock.ms)).toBeUndefined();
    expect(await seededSnapshot(new LocalLake(root), { ...s, actions: [{ add: { path: 1 } }], commitDigest: (await seedOf(new LocalLake(root), (await readSnapshot(new LocalLake(root), TABLE, { now: clock.now })), clock.ms))!.commitDigest }, clock.ms)).toBeUndefined();
  });
});

describe('saveSeeds', () => {
  it('keeps a seed per snapshot at the path, which loadSeeds reads back', async () => {
    const root = tmp();
    const clock = new TestClock();
    const written = await table(root, 3, clock);
    const lake = new LocalLake(root);
    expect(await saveSeeds(lake, SEEDS, [written], clock.ms)).toBe(1);
    expect([...(await loadSeeds(lake, SEEDS)).values()]).toEqual([await seedOf(lake, written, clock.ms)]);
  });
});

describe('loadSeeds', () => {
  it('is empty without a file, and empty with a warning when the file is not seeds', async () => {
    const root = tmp();
    const lake = new LocalLake(root);
    const warnings: string[] = [];
    expect((await loadSeeds(lake, SEEDS, (m) => warnings.push(m))).size).toBe(0);
    expect(warnings).toEqual([]);
    await lake.writeFile(SEEDS, 'garbage');
    expect((await loadSeeds(lake, SEEDS, (m) => warnings.push(m))).size).toBe(0);
    expect(warnings).toEqual([`${SEEDS}: expected gzipped JSON of snapshot seeds, got 7 bytes that are not (incorrect header check); reading every table from its log instead`]);
  });
});

describe('SnapshotCache with seeds', () => {
  it('starts from a valid seed and reads only the commits written since', async () => {
    const root = tmp();
    const clock = new TestClock();
    const written = await table(root, 12, clock);
    const seeds = new Map([[TABLE, (await seedOf(new LocalLake(root), written, clock.ms))!]]);
    await commit(new LocalLake(root), TABLE, written, { operation: 'WRITE', adds: [orderFile('other13', '2026-01-03')] }, { now: clock.now });
    const lake = new CountingLake(new LocalLake(root));
    const read = (await new SnapshotCache(seeds).read(lake, TABLE, { now: clock.now }))!;
    expect(lake.reads).toEqual([log(13), log(12), log(14)]); // the next commit probed before the seed's own is checked
    expect(stateOf(read)).toEqual(stateOf((await tryReadSnapshot(new LocalLake(root), TABLE, { now: clock.now }))!));
    expect(read.version).toBe(13);
  });

  it('reads the log as usual when the seed no longer holds', async () => {
    const root = tmp();
    const clock = new TestClock();
    const seeds = new Map([[TABLE, (await seedOf(new LocalLake(root), await table(root, 12, clock), clock.ms))!]]);
    rmSync(path.join(root, TABLE), { recursive: true });
    await table(root, 12, clock, 'g');
    const lake = new CountingLake(new LocalLake(root));
    const read = (await new SnapshotCache(seeds).read(lake, TABLE, { now: clock.now }))!;
    expect(lake.reads).toEqual([log(13), log(12), `${TABLE}/_delta_log/_last_checkpoint`, `${TABLE}/_delta_log/00000000000000000010.checkpoint.parquet`, log(11), log(12), log(13)]);
    expect([...read.files.keys()].every((k) => k.includes('/g'))).toBe(true);
  });
});

/** The lake, running `then` once right after `after` has been read (another writer's cleanup racing this reader). */
function racing(inner: Lake, after: string, then: () => void): Lake {
  let done = false;
  return new Proxy(inner, {
    get(t, k) {
      const v = Reflect.get(t, k, t) as unknown;
      if (k === 'readFile') return async (p: string) => {
        const b = await (v as Lake['readFile']).call(t, p);
        if (p === after && !done) {
          done = true;
          then();
        }
        return b;
      };
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

describe('readFromSeed', () => {
  // Found by a review: the seed's commit checked, then a cleanup under a retention shortened
  // since the seed removed the commits after it, then the probe missed: a stale table, and a
  // next commit that re-created a cleaned version.
  it('sees a cleanup that races it under a retention shortened after the seed, whenever it comes', async () => {
    for (const after of [5, 6]) {
      const root = tmp();
      const lake = new LocalLake(root);
      const clock = new TestClock();
      let snap = await table(root, 5, clock);
      const s = (await seedOf(lake, snap, clock.ms))!;
      clock.advance(2 * DAY);
      snap = (await commit(lake, TABLE, snap, { operation: 'SET TBLPROPERTIES', metadata: { schema: ORDERS_SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': '10', 'delta.logRetentionDuration': 'interval 1 days' } } }, { now: clock.now })).snapshot;
      for (let v = 7; v <= 20; v++) snap = (await commit(lake, TABLE, snap, { operation: 'WRITE', adds: [orderFile(`w${v}`, '2026-01-02')] }, { now: clock.now, postCommit: v === 20 })).snapshot;
      clock.advance(2 * DAY);
      // Versions 0-19 are past the 1-day retention: another writer's cleanup may remove them, oldest first.
      const cleanup = () => {
        for (let v = 0; v < 20; v++) rmSync(path.join(root, log(v)), { force: true });
      };
      const raced = racing(lake, log(after), cleanup);
      const seeded = await readFromSeed(raced, s, { now: clock.now });
      // After the probe of 6 (the seed's commit then gone): no seed. After the check of 5: the
      // read stops at 6, whose age under the 1-day retention sends it to the hint.
      expect([after, seeded?.version]).toEqual([after, after === 6 ? undefined : 20]);
    }
  });

  it('gives the cache a table that holds: after a cleanup that removed the seed\'s commit, the log read from its checkpoint', async () => {
    const root = tmp();
    const lake = new LocalLake(root);
    const clock = new TestClock();
    let snap = await table(root, 5, clock);
    const seeds = new Map([[TABLE, (await seedOf(lake, snap, clock.ms))!]]);
    for (let v = 6; v <= 20; v++) snap = (await commit(lake, TABLE, snap, { operation: 'WRITE', adds: [orderFile(`w${v}`, '2026-01-02')] }, { now: clock.now })).snapshot;
    clock.advance(31 * DAY);
    for (let v = 0; v < 20; v++) rmSync(path.join(root, log(v)));
    const read = (await new SnapshotCache(seeds).read(lake, TABLE, { now: clock.now }))!;
    expect([read.version, read.checkpointVersion, read.files.size]).toEqual([20, 20, snap.files.size]);
  });

  it('is undefined when the seed\'s commit is gone, after one probe of the next', async () => {
    const root = tmp();
    const clock = new TestClock();
    const s = (await seedOf(new LocalLake(root), await table(root, 3, clock), clock.ms))!;
    rmSync(path.join(root, log(3)));
    const lake = new CountingLake(new LocalLake(root));
    expect(await readFromSeed(lake, s, { now: clock.now })).toBeUndefined();
    expect(lake.reads).toEqual([log(4), log(3)]);
  });
});
