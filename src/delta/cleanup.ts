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
import { scanLog } from './log-scan';
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

/**
 * Deletes expired log files of `table`, oldest first (a crash leaves the log contiguous); returns their paths.
 *
 * The log is read in version order and only up to the first log file that is young (modified
 * after the cutoff: its version is min_retention, as no earlier file is young) or past the
 * newest version that must stay: nothing after it can change the decision. In steady state
 * that is the few files expired since the last cleanup, one page, however long retention
 * makes the log.
 */
export async function cleanupExpiredLogs(lake: Lake, table: string, opts: CleanupOptions): Promise<string[]> {
  const dir = logDir(table);
  const cutoffMs = opts.cutoff.getTime();
  const hint = await readLastCheckpoint(lake, table);
  const keepCap = Math.min(opts.keepVersion, hint ? hint.version : Infinity);
  let keep = keepCap;
  const seen: Array<{ path: string; version: number; modifiedMs: number; checkpoint: boolean }> = [];
  for await (const e of scanLog(lake, `${dir}/`, `${table} log cleanup`)) {
    if (e.path.slice(dir.length + 1).includes('/')) continue; // _staged_commits and other folders
    const m = LOG_FILE.exec(e.path);
    if (!m) continue;
    const version = Number(m[1]);
    if (version > keepCap) break;
    const modifiedMs = e.modified.getTime();
    seen.push({ path: e.path, version, modifiedMs, checkpoint: CHECKPOINT_FILE.test(e.path) });
    if (modifiedMs >= cutoffMs) {
      keep = Math.min(keep, version);
      break;
    }
  }
  const checkpoints = seen.filter((f) => f.checkpoint && f.version <= keep).map((f) => f.version);
  if (!checkpoints.length) return [];
  const safe = Math.max(...checkpoints);
  const doomed = seen
    .filter((f) => f.version < safe && f.modifiedMs <= cutoffMs)
    .sort((a, b) => a.version - b.version || (a.path < b.path ? -1 : 1));
  for (const d of doomed) await lake.deleteFile(d.path);
  return doomed.map((d) => d.path);
}
