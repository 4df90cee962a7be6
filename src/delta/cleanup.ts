// Log retention: deletes commit and checkpoint files older than delta.logRetentionDuration that
// lie before a checkpoint every reader can start from. The rule is delta-rs's
// cleanup_expired_logs_for (protocol/checkpoints.rs), with file ages from the listing's
// last-modified times as delta-rs takes them from its object store listing:
//   1. min_retention = the lowest version among log files modified at or after the cutoff;
//   2. keep = min(keepVersion, min_retention);
//   3. safe = the newest checkpoint at or before keep; none: delete nothing;
//   4. delete log files with version < safe and modified at or before the cutoff.
// One guard more than delta-rs: keep is also capped at the version _last_checkpoint names, so
// the checkpoint the hint points readers at is never deleted (kernel-rs errors on a dangling hint).
import type { Lake, LakeEntry } from '../pipeline/ports';
import { readLastCheckpoint } from './checkpoint';
import { logDir } from './paths';

// delta-rs logstore DELTA_LOG_REGEX and protocol/checkpoints.rs CHECKPOINT_REGEX.
const LOG_FILE = /(\d{20})\.(json|checkpoint(\.\d+)?\.parquet)$/;
const CHECKPOINT_FILE = /(\d{20})\.checkpoint.*$/;

export interface CleanupOptions {
  /** The newest version that must stay readable (the version just committed or checkpointed). */
  keepVersion: number;
  /** Log files modified at or before this time may go (now − delta.logRetentionDuration). */
  cutoff: Date;
}

/** Listing with last-modified times; the lake must offer it. */
export async function listWithAges(lake: Lake, prefix: string, purpose: string): Promise<LakeEntry[]> {
  if (!lake.listEntries) throw new Error(`${purpose}: expected a Lake with listEntries (file ages), got one without`);
  return lake.listEntries(prefix);
}

/** Deletes expired log files of `table`, oldest first (a crash leaves the log contiguous); returns their paths. */
export async function cleanupExpiredLogs(lake: Lake, table: string, opts: CleanupOptions): Promise<string[]> {
  const dir = logDir(table);
  const cutoffMs = opts.cutoff.getTime();
  const files = (await listWithAges(lake, dir, `${table} log cleanup`))
    .filter((e) => !e.path.slice(dir.length + 1).includes('/'))
    .map((e) => ({ e, m: LOG_FILE.exec(e.path), cp: CHECKPOINT_FILE.exec(e.path) }));
  const versions = files.filter((f) => f.m && f.e.modified.getTime() >= cutoffMs).map((f) => Number(f.m![1]));
  let keep = Math.min(opts.keepVersion, ...versions);
  const hint = await readLastCheckpoint(lake, table);
  if (hint) keep = Math.min(keep, hint.version);
  const checkpoints = files.filter((f) => f.cp).map((f) => Number(f.cp![1])).filter((v) => v <= keep);
  if (!checkpoints.length) return [];
  const safe = Math.max(...checkpoints);
  const doomed = files
    .filter((f) => f.m && Number(f.m[1]) < safe && f.e.modified.getTime() <= cutoffMs)
    .map((f) => ({ path: f.e.path, version: Number(f.m![1]) }))
    .sort((a, b) => a.version - b.version || (a.path < b.path ? -1 : 1));
  for (const d of doomed) await lake.deleteFile(d.path);
  return doomed.map((d) => d.path);
}
