// Action reconciliation (PROTOCOL.md §Action Reconciliation): the latest protocol and metaData
// win, the latest txn per appId wins, and the newest add or remove of each path decides
// whether the file is live or a tombstone. Shared by snapshot reads, checkpoints and commits.
import { fromLogPath } from './paths';
import { DeltaLogError } from './errors';
import type { Action, FileStats, LiveFile, MetadataAction, ProtocolAction, Tombstone, TxnAction } from './types';

/** The state being replayed: mutable, owned by one replay. */
export interface ReplayState {
  protocol: ProtocolAction | undefined;
  metadata: MetadataAction | undefined;
  files: Map<string, LiveFile>;
  tombstones: Map<string, Tombstone>;
  txns: Map<string, TxnAction>;
}

export function emptyState(): ReplayState {
  return { protocol: undefined, metadata: undefined, files: new Map(), tombstones: new Map(), txns: new Map() };
}

/** add.stats parsed; a malformed stats string is reported where it is. */
export function parseStats(stats: string | null | undefined, where: string): FileStats | undefined {
  if (stats === undefined || stats === null) return undefined;
  try {
    const o = JSON.parse(stats) as unknown;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('not an object');
    return o as FileStats;
  } catch (e) {
    throw new DeltaLogError(`${where}: expected add.stats to be a JSON object in a string, got ${JSON.stringify(stats.slice(0, 80))} (${(e as Error).message})`);
  }
}

/** Applies one version's actions (a commit file, or a whole checkpoint) in order. */
export function applyActions(state: ReplayState, actions: readonly Action[], where: string): void {
  for (const a of actions) {
    if ('add' in a) {
      const add = a.add;
      state.tombstones.delete(add.path);
      // Stats are parsed once the replay is done, for live files only (most adds of a long log are removed later).
      state.files.set(add.path, { add, key: fromLogPath(add.path, where), stats: undefined });
    } else if ('remove' in a) {
      const remove = a.remove;
      state.files.delete(remove.path);
      state.tombstones.set(remove.path, { remove, key: fromLogPath(remove.path, where), deletionTimestamp: remove.deletionTimestamp ?? 0 });
    } else if ('metaData' in a) {
      state.metadata = a.metaData;
    } else if ('protocol' in a) {
      state.protocol = a.protocol;
    } else if ('txn' in a) {
      state.txns.set(a.txn.appId, a.txn);
    }
  }
}

/** Parses add.stats of the live files that have stats not yet parsed. */
export function parseLiveStats(state: ReplayState, where: string): void {
  for (const f of state.files.values()) if (f.stats === undefined && f.add.stats != null) f.stats = parseStats(f.add.stats, `${where} add ${f.add.path}`);
}

/**
 * Drops tombstones that expired (deletionTimestamp <= now - retention, kernel-rs
 * log_replay.rs) and txns older than delta.setTransactionRetentionDuration when it is set.
 */
export function dropExpired(state: ReplayState, nowMs: number, deletedFileRetentionMs: number, txnRetentionMs: number | undefined): void {
  const tombstoneCutoff = nowMs - deletedFileRetentionMs;
  for (const [path, t] of state.tombstones) if (t.deletionTimestamp <= tombstoneCutoff) state.tombstones.delete(path);
  if (txnRetentionMs !== undefined) {
    const txnCutoff = nowMs - txnRetentionMs;
    for (const [appId, t] of state.txns) if (t.lastUpdated != null && t.lastUpdated <= txnCutoff) state.txns.delete(appId);
  }
}
