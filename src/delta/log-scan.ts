// Reading _delta_log in version order, only as far as the caller needs. Log file names carry
// the version zero-padded to 20 digits, so path order is version order; the lake's
// scanEntries pages through them (one List Blobs request per 5,000 files on ADLS) and a caller
// that stops early pays only for what it read. A lake without scanEntries is listed whole.
import type { Lake, LakeEntry } from '../pipeline/ports';
import { formatVersion, logDir } from './paths';

/** Entries whose path starts with `prefix`, in path order. */
export async function* scanLog(lake: Lake, prefix: string, purpose: string): AsyncIterable<LakeEntry> {
  if (lake.scanEntries) {
    yield* lake.scanEntries(prefix);
    return;
  }
  if (!lake.listEntries) throw new Error(`${purpose}: expected a Lake with scanEntries or listEntries (file ages), got one without`);
  const dir = prefix.slice(0, prefix.lastIndexOf('/'));
  for (const e of await lake.listEntries(dir)) if (e.path.startsWith(prefix)) yield e;
}

/**
 * The name prefix the 1,000 versions around `version` share (its 20 digits without the last
 * 3): a scan of it reads at most one page however long the log is.
 */
export function versionBlockPrefix(table: string, version: number): string {
  return `${logDir(table)}/${formatVersion(version).slice(0, 17)}`;
}
