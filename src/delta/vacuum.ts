// Vacuum (full mode, Spark's default and delta-rs VacuumMode::Full): deletes files under the
// table that the current snapshot does not reference, unless a tombstone inside
// delta.deletedFileRetentionDuration protects them (readers of older versions may still read
// them) or the file itself is younger than the retention (a writer may be about to commit it).
// Never _delta_log, never a path with a segment starting '_' or '.' (except partition folders
// "<partition column>=..."), as Spark's DeltaTableUtils.isHiddenDirectory.
import type { Lake } from '../pipeline/ports';
import { listWithAges } from './cleanup';
import { LOG_DIR } from './paths';
import { readSnapshot } from './snapshot';
import type { DeltaSnapshot } from './types';

export interface VacuumOptions {
  now?: () => Date;
  /** Default: the table's delta.deletedFileRetentionDuration. */
  retentionMs?: number;
  /** Default true: refuse a retention shorter than the table's (Spark's retentionDurationCheck). */
  enforceRetention?: boolean;
  /** List what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Files (by key) to keep although no version references them: data a table does not hold but others still name. */
  keep?: (key: string) => boolean;
  /** The table at its latest version, as the caller just read it: saves reading the log again. An older one would let files of later versions go. */
  snapshot?: DeltaSnapshot;
}

export interface VacuumResult {
  /** Lake paths deleted (or, in a dry run, that would be). */
  files: string[];
  dryRun: boolean;
  /** The snapshot version the decision was made against. */
  version: number;
}

function isHidden(key: string, partitionColumns: readonly string[]): boolean {
  const segments = key.split('/');
  if (segments[0] === LOG_DIR) return true;
  return segments.some((s, i) => {
    if (!s.startsWith('_') && !s.startsWith('.')) return false;
    const isFolder = i < segments.length - 1;
    return !(isFolder && partitionColumns.some((c) => s.startsWith(`${c}=`)));
  });
}

/** Deletes (or lists, dry run) the table's unreferenced data files whose retention has passed. */
export async function vacuum(lake: Lake, table: string, opts: VacuumOptions = {}): Promise<VacuumResult> {
  const now = opts.now ?? (() => new Date());
  const snap = opts.snapshot ?? (await readSnapshot(lake, table, { now }));
  const tableRetention = snap.properties.deletedFileRetentionMs;
  const retentionMs = opts.retentionMs ?? tableRetention;
  if ((opts.enforceRetention ?? true) && retentionMs < tableRetention) {
    throw new Error(`${table}: expected a vacuum retention of at least the table's delta.deletedFileRetentionDuration (${tableRetention} ms), got ${retentionMs} ms (pass enforceRetention: false to override)`);
  }
  const cutoff = now().getTime() - retentionMs;
  const keep = new Set<string>();
  for (const f of snap.files.values()) keep.add(f.key);
  for (const t of snap.tombstones.values()) if (t.deletionTimestamp > cutoff) keep.add(t.key);
  const doomed: string[] = [];
  for (const e of await listWithAges(lake, table, `${table} vacuum`)) {
    const key = e.path.slice(table.length + 1);
    if (isHidden(key, snap.metadata.partitionColumns) || keep.has(key) || opts.keep?.(key)) continue;
    if (e.modified.getTime() > cutoff) continue; // young: maybe a write not yet committed
    doomed.push(e.path);
  }
  if (!opts.dryRun) for (const p of doomed) await lake.deleteFile(p);
  return { files: doomed, dryRun: opts.dryRun ?? false, version: snap.version };
}
