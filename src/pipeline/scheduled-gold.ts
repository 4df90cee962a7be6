// One scheduled gold run, as both worlds do it: gold (incrementally, in steps up to a deadline),
// then the upkeep the one writer does after it (silver compacted when small files piled up, a
// daily vacuum). One run's snapshots are shared, so maintenance reads silver as gold's commits
// left it instead of from its checkpoint again. The Azure timer calls it under its lease, the
// local runner under the lake's lock.
import { buildGold, type GoldDeps, type GoldOptions, type GoldSummary } from '../gold/build-gold';
import { SnapshotCache } from '../delta';
import { routineMaintenance, type RoutineMaintenanceResult } from './maintenance';

export interface ScheduledGoldResult {
  gold: GoldSummary;
  upkeep: RoutineMaintenanceResult;
}

export async function scheduledGold(deps: Omit<GoldDeps, 'snapshots'>, opts: GoldOptions = {}): Promise<ScheduledGoldResult> {
  const snapshots = new SnapshotCache();
  const gold = await buildGold({ ...deps, snapshots }, opts);
  const upkeep = await routineMaintenance(deps.lake, deps.commits, deps.documents, {
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.scratchDir ? { scratchDir: deps.scratchDir } : {}),
    snapshots,
  });
  return { gold, upkeep };
}
