// Classic single-file checkpoints (PROTOCOL.md §Checkpoints) and the _last_checkpoint hint
// (P §Last Checkpoint File Schema). The checkpoint of version N holds the state at N: protocol,
// metaData, the latest txn per appId, live adds and unexpired tombstones; never commitInfo.
import type { Lake } from '../pipeline/ports';
import { NotFoundError } from '../pipeline/ports';
import { checkpointParquet } from './checkpoint-file';
import { checkpointPath, lastCheckpointPath } from './paths';
import type { Action, DeltaSnapshot } from './types';

/** _last_checkpoint: `version` and `size` are required; no `parts` for a classic checkpoint (Trino reads parts:1 as multi-part). */
export interface LastCheckpoint {
  version: number;
  /** Actions (rows) in the checkpoint. */
  size: number;
  /** Multi-part checkpoints only. */
  parts?: number;
  sizeInBytes?: number;
  numOfAddFiles?: number;
}

/** Spark's rule (TransactionHelper.isCheckpointNeeded): after commit v when v != 0 and v % interval == 0. */
export function isCheckpointDue(version: number, checkpointInterval: number): boolean {
  return version > 0 && version % checkpointInterval === 0;
}

/**
 * The rows of the snapshot's checkpoint: adds and removes as the log has them (kernel-rs keeps
 * them unchanged; Spark's dataChange=false on adds is equally valid), tombstones that expired by
 * `nowMs` left out (deletionTimestamp <= now - retention, kernel-rs is_expired_tombstone).
 */
export function checkpointActions(snap: DeltaSnapshot, nowMs: number): Action[] {
  const cutoff = nowMs - snap.properties.deletedFileRetentionMs;
  const out: Action[] = [{ protocol: snap.protocol }, { metaData: snap.metadata }];
  for (const txn of snap.txns.values()) out.push({ txn });
  for (const f of snap.files.values()) out.push({ add: f.add });
  for (const t of snap.tombstones.values()) if (t.deletionTimestamp > cutoff) out.push({ remove: t.remove });
  return out;
}

/** The hint, or undefined when it is missing or unusable (readers then list the log). */
export async function readLastCheckpoint(lake: Lake, table: string): Promise<LastCheckpoint | undefined> {
  let text: string;
  try {
    text = (await lake.readFile(lastCheckpointPath(table))).toString('utf8');
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
  try {
    const o = JSON.parse(text) as Partial<LastCheckpoint>;
    // kernel-rs ignores a hint without both version and size; so do we.
    if (!Number.isSafeInteger(o.version) || !Number.isSafeInteger(o.size)) return undefined;
    return o as LastCheckpoint;
  } catch {
    return undefined;
  }
}

/**
 * Writes the checkpoint of `snap` (the state at snap.version, which must be committed), then
 * _last_checkpoint unless it already names a newer checkpoint (it never moves backwards).
 * The Parquet is built in a local temporary file, then written to the lake whole.
 */
export async function writeCheckpoint(lake: Lake, snap: DeltaSnapshot, opts: { now?: () => Date } = {}): Promise<LastCheckpoint> {
  const nowMs = (opts.now ?? (() => new Date()))().getTime();
  const actions = checkpointActions(snap, nowMs);
  const data = await checkpointParquet(actions, { writeStatsAsJson: snap.properties.checkpointWriteStatsAsJson });
  await lake.writeFile(checkpointPath(snap.table, snap.version), data);
  const hint: LastCheckpoint = {
    version: snap.version,
    size: actions.length,
    sizeInBytes: data.length,
    numOfAddFiles: snap.files.size,
  };
  const current = await readLastCheckpoint(lake, snap.table);
  if (!current || current.version <= snap.version) await lake.writeFile(lastCheckpointPath(snap.table), JSON.stringify(hint));
  return hint;
}
