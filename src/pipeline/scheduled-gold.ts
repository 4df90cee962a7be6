// One scheduled gold run, as both worlds do it: gold (incrementally, in steps up to a deadline),
// then the upkeep the one writer does after it (silver compacted when small files piled up, a
// daily vacuum). One run's snapshots are shared, so maintenance reads silver as gold's commits
// left it instead of from its checkpoint again, and they are kept for the next run as seeds
// (src/delta/snapshot-seeds.ts): it then reads only the commits written since, not each
// table's checkpoint. The Azure timer calls it under its lease, the local runner under the
// lake's lock; only that one writer writes the seeds.
import { buildGold, type GoldDeps, type GoldOptions, type GoldSummary } from '../gold/build-gold';
import { SNAPSHOT_SEEDS_PATH } from '../gold/state';
import { SnapshotCache, loadSeeds, saveSeeds } from '../delta';
import { routineMaintenance, type RoutineMaintenanceResult } from './maintenance';

export interface ScheduledGoldResult {
  gold: GoldSummary;
  upkeep: RoutineMaintenanceResult;
}

export async function scheduledGold(deps: Omit<GoldDeps, 'snapshots'>, opts: GoldOptions = {}): Promise<ScheduledGoldResult> {
  const now = deps.now ?? (() => new Date());
  const snapshots = new SnapshotCache(await loadSeeds(deps.lake, SNAPSHOT_SEEDS_PATH, deps.onProgress));
  const gold = await buildGold({ ...deps, snapshots }, opts);
  const upkeep = await routineMaintenance(deps.lake, deps.commits, deps.documents, {
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.scratchDir ? { scratchDir: deps.scratchDir } : {}),
    snapshots,
  });
  // The seeds are a hint: a run that could not keep them has done its work all the same.
  if (snapshots.movedPastSeeds()) {
    try {
      await saveSeeds(deps.lake, SNAPSHOT_SEEDS_PATH, snapshots.snapshots(), now().getTime());
    } catch (e) {
      deps.onProgress?.(`gold: could not keep the tables' snapshots for the next run in ${SNAPSHOT_SEEDS_PATH} (${(e as Error).message}); it will read each table from its checkpoint`);
    }
  }
  return { gold, upkeep };
}
