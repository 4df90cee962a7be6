// Snapshots one invocation keeps while it reads and commits the same tables several times (gold
// publishes silver, reads every table, commits them, then maintenance reads silver again). A
// table read again costs the commits after the kept version: a probe for the next commit and
// the checkpoint hint, not a checkpoint and its commits. Commits are immutable and numbered, so
// the kept state plus the newer commits is the table now, whoever wrote them; a log cleaned up
// past the kept version is read afresh (updateSnapshot). Seeds (snapshot-seeds.ts) carry the
// kept snapshots from one scheduled run to the next; each is checked against its commit file
// before it is used. Meant for one run, not a process: a table deleted and created again
// while a cache keeps it would not be noticed.
import type { Lake } from '../pipeline/ports';
import { tryReadSnapshot, updateSnapshot, type SnapshotOptions } from './snapshot';
import { readFromSeed, type SnapshotSeed } from './snapshot-seeds';
import type { DeltaSnapshot } from './types';

export class SnapshotCache {
  private readonly kept = new Map<string, DeltaSnapshot>();

  /** `seeds`: the tables as an earlier run left them, used once each when still valid. */
  constructor(private readonly seeds: ReadonlyMap<string, SnapshotSeed> = new Map()) {}

  /** The table now (undefined when it has no log), from the kept snapshot or a valid seed when there is one. */
  async read(lake: Lake, table: string, opts: SnapshotOptions = {}): Promise<DeltaSnapshot | undefined> {
    const kept = this.kept.get(table);
    const seed = kept ? undefined : this.seeds.get(table);
    const snap = kept
      ? await updateSnapshot(lake, kept, opts)
      : ((seed && (await readFromSeed(lake, seed, opts))) ?? (await tryReadSnapshot(lake, table, opts)));
    if (snap) this.kept.set(table, snap);
    return snap;
  }

  /** Keeps the snapshot a commit returned (the table at the version it wrote). */
  keep(snap: DeltaSnapshot): void {
    this.kept.set(snap.table, snap);
  }

  /** Every snapshot kept so far, newest of each table: the seeds for the next run. */
  snapshots(): DeltaSnapshot[] {
    return [...this.kept.values()];
  }

  /** Whether a table kept is at another version than its seed, or has none: new seeds would say more than the old. */
  movedPastSeeds(): boolean {
    return [...this.kept.values()].some((s) => this.seeds.get(s.table)?.version !== s.version);
  }
}

/** Reads through `cache` when there is one, else reads the log. */
export function readTable(cache: SnapshotCache | undefined, lake: Lake, table: string, opts: SnapshotOptions = {}): Promise<DeltaSnapshot | undefined> {
  return cache ? cache.read(lake, table, opts) : tryReadSnapshot(lake, table, opts);
}
