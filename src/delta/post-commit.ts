// After a commit: a checkpoint when one is due (Spark's rule, every delta.checkpointInterval
// versions), then, as Spark does after a checkpoint, log cleanup when
// delta.enableExpiredLogCleanup is on.
import type { Lake } from '../pipeline/ports';
import { isCheckpointDue, writeCheckpoint, type LastCheckpoint } from './checkpoint';
import { cleanupExpiredLogs } from './cleanup';
import { PostCommitError } from './errors';
import type { DeltaSnapshot } from './types';

export interface PostCommitResult {
  /** The checkpoint written after this commit, if one was due. */
  checkpoint: LastCheckpoint | undefined;
  /** Log files deleted by retention. */
  deletedLogFiles: string[];
}

/** Runs the post-commit steps for `snap` (the table at the version just committed). */
export async function runPostCommit(lake: Lake, snap: DeltaSnapshot, opts: { now?: () => Date } = {}): Promise<PostCommitResult> {
  const now = opts.now ?? (() => new Date());
  if (!isCheckpointDue(snap.version, snap.properties.checkpointInterval)) return { checkpoint: undefined, deletedLogFiles: [] };
  try {
    const checkpoint = await writeCheckpoint(lake, snap, { now });
    const deletedLogFiles = snap.properties.enableExpiredLogCleanup
      ? await cleanupExpiredLogs(lake, snap.table, { keepVersion: snap.version, cutoff: new Date(now().getTime() - snap.properties.logRetentionMs) })
      : [];
    return { checkpoint, deletedLogFiles };
  } catch (e) {
    throw new PostCommitError(snap.table, snap.version, e);
  }
}
