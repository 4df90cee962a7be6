// Snapshots one invocation keeps while it reads and commits the same tables several times (gold
// publishes silver, reads every table, commits them, then maintenance reads silver again). A
// table read again costs the commits after the kept version: a probe for the next commit and
// the checkpoint hint, not a checkpoint and its commits. Commits are immutable and numbered, so
// the kept state plus the newer commits is the table now, whoever wrote them; a log cleaned up
// past the kept version is read afresh (updateSnapshot). Meant for one run, not a process: a
// table deleted and created again under a long-lived cache would not be noticed.
import type { Lake } from '../pipeline/ports';
import { tryReadSnapshot, updateSnapshot, type SnapshotOptions } from './snapshot';
import type { DeltaSnapshot } from './types';

export class SnapshotCache {
  private readonly kept = new Map<string, DeltaSnapshot>();

  /** The table now (undefined when it has no log), from the kept snapshot when there is one. */
  async read(lake: Lake, table: string, opts: SnapshotOptions = {}): Promise<DeltaSnapshot | undefined> {
    const kept = this.kept.get(table);
    const snap = kept ? await updateSnapshot(lake, kept, opts) : await tryReadSnapshot(lake, table, opts);
    if (snap) this.kept.set(table, snap);
    return snap;
  }

  /** Keeps the snapshot a commit returned (the table at the version it wrote). */
  keep(snap: DeltaSnapshot): void {
    this.kept.set(snap.table, snap);
  }
}

/** Reads through `cache` when there is one, else reads the log. */
export function readTable(cache: SnapshotCache | undefined, lake: Lake, table: string, opts: SnapshotOptions = {}): Promise<DeltaSnapshot | undefined> {
  return cache ? cache.read(lake, table, opts) : tryReadSnapshot(lake, table, opts);
}
