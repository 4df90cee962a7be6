// Snapshots kept from one scheduled run to the next ("seeds"), so that a run reads the commits
// written since the last run instead of each table's _last_checkpoint, checkpoint and the
// commits after it: what a run reads of a log then follows what changed, not where the table
// is between two checkpoints. A seed is a hint, never trusted alone: it is used only while the
// commit file at its version still has the text it had (commitDigest), so a table deleted and
// written again, or a seed copied from another lake, is read from its log as usual. Commits
// are immutable and numbered, so the seed's state plus the commits after it is the table now,
// whoever wrote them (readFromSeed; SnapshotCache reads through it).
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Lake } from '../pipeline/ports';
import { NotFoundError } from '../pipeline/ports';
import { commitDigest, parseAction } from './actions';
import { checkpointActions } from './checkpoint';
import { DeltaLogError } from './errors';
import { commitPath } from './paths';
import { markOf, readCommitsFrom, readVersion, settleSnapshot, snapshotOfState, type SnapshotOptions, type VersionActions } from './snapshot';
import type { Action, DeltaSnapshot } from './types';
import { show } from '../util/show';

export interface SnapshotSeed {
  table: string;
  version: number;
  checkpointVersion?: number;
  /** commitDigest of the table's commit file at `version`. */
  commitDigest: string;
  /** The table's state at `version`, as a checkpoint holds it (protocol, metaData, txn, add, remove). */
  actions: unknown[];
}

const FORMAT = 'orderlake.snapshot-seeds/1';

/** The seeds as one gzipped JSON document. */
export function encodeSeeds(seeds: readonly SnapshotSeed[]): Buffer {
  return gzipSync(JSON.stringify({ format: FORMAT, seeds }));
}

/** The seeds of a file encodeSeeds wrote, by table; an error says what was expected when it is not one. */
export function decodeSeeds(data: Uint8Array, where: string): Map<string, SnapshotSeed> {
  let doc: unknown;
  try {
    doc = JSON.parse(gunzipSync(data).toString('utf8'));
  } catch (e) {
    throw new Error(`${where}: expected gzipped JSON of snapshot seeds, got ${data.length} bytes that are not (${(e as Error).message})`);
  }
  const d = doc as { format?: unknown; seeds?: unknown };
  if (d?.format !== FORMAT || !Array.isArray(d.seeds)) throw new Error(`${where}: expected format ${JSON.stringify(FORMAT)} with a seeds array, got format ${JSON.stringify(d?.format)}`);
  const out = new Map<string, SnapshotSeed>();
  for (const s of d.seeds as Partial<SnapshotSeed>[]) {
    const ok = typeof s?.table === 'string' && Number.isSafeInteger(s.version) && s.version! >= 0 && typeof s.commitDigest === 'string' && Array.isArray(s.actions)
      && (s.checkpointVersion === undefined || Number.isSafeInteger(s.checkpointVersion));
    if (!ok) throw new Error(`${where}: expected each seed to have table, version, commitDigest and actions, got ${show(s)}`);
    out.set(s.table!, s as SnapshotSeed);
  }
  return out;
}

/** The seed of a snapshot; undefined when the commit file at its version is gone (nothing to check a seed against). */
export async function seedOf(lake: Lake, snap: DeltaSnapshot, nowMs: number): Promise<SnapshotSeed | undefined> {
  let digest = snap.commitDigest;
  if (digest === undefined) {
    try {
      digest = commitDigest((await lake.readFile(commitPath(snap.table, snap.version))).toString('utf8'));
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }
  return {
    table: snap.table,
    version: snap.version,
    ...(snap.checkpointVersion !== undefined ? { checkpointVersion: snap.checkpointVersion } : {}),
    commitDigest: digest,
    actions: checkpointActions(snap, nowMs),
  };
}

/**
 * The table at the seed's version, when the commit file there still has the seed's digest;
 * undefined when it does not (or is gone), so the caller reads the log instead. One read.
 */
export async function seededSnapshot(lake: Lake, seed: SnapshotSeed, nowMs: number): Promise<DeltaSnapshot | undefined> {
  let commit: VersionActions;
  try {
    commit = await readVersion(lake, seed.table, seed.version);
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof DeltaLogError) return undefined;
    throw e;
  }
  if (commit.digest !== seed.commitDigest) return undefined;
  const where = `snapshot seed of ${seed.table} at version ${seed.version}`;
  try {
    const actions = seed.actions.map((a, i) => parseAction(a, `${where}, action ${i + 1}`)).filter((a): a is Action => a !== undefined);
    return snapshotOfState({ table: seed.table, version: seed.version, checkpointVersion: seed.checkpointVersion, ...markOf(commit) }, actions, where, nowMs);
  } catch (e) {
    if (e instanceof DeltaLogError) return undefined; // a damaged seed: the log itself is the truth
    throw e;
  }
}

/**
 * The table now, from a seed and the commits after it; undefined when the seed does not hold.
 * The commit after the seed is probed before the seed's own commit is checked: log cleanup
 * deletes oldest first (cleanup.ts), so a seed commit still there after a missing next one
 * means nothing after it had been removed. Then settleSnapshot reads the hint if cleanup could
 * have reached the last version by the retention the table has now.
 */
export async function readFromSeed(lake: Lake, seed: SnapshotSeed, opts: SnapshotOptions = {}): Promise<DeltaSnapshot | undefined> {
  const next = await readCommitsFrom(lake, seed.table, seed.version + 1, 1);
  const start = await seededSnapshot(lake, seed, (opts.now ?? (() => new Date()))().getTime());
  if (!start) return undefined;
  const rest = next.length ? await readCommitsFrom(lake, seed.table, seed.version + 2) : [];
  return settleSnapshot(lake, start, [...next, ...rest], opts);
}

/**
 * The seeds kept at `path`; none when there is no file or it cannot be read as seeds (`warn`
 * says why: a run then reads every table from its log, as without seeds).
 */
export async function loadSeeds(lake: Lake, path: string, warn?: (message: string) => void): Promise<Map<string, SnapshotSeed>> {
  try {
    return decodeSeeds(await lake.readFile(path), path);
  } catch (e) {
    if (!(e instanceof NotFoundError)) warn?.(`${(e as Error).message}; reading every table from its log instead`);
    return new Map();
  }
}

/** Keeps the seeds of these snapshots at `path` (replaced whole, atomically). */
export async function saveSeeds(lake: Lake, path: string, snaps: readonly DeltaSnapshot[], nowMs: number): Promise<number> {
  const seeds = (await Promise.all(snaps.map((s) => seedOf(lake, s, nowMs)))).filter((s): s is SnapshotSeed => s !== undefined);
  await lake.writeFile(path, encodeSeeds(seeds));
  return seeds.length;
}
