// Timer -> silver's Delta tables, then gold, incrementally, then upkeep (compaction, vacuum).
// A lease makes sure two runs never overlap (a timer can fire on two instances, or fire again
// while a long run is still going).
import * as os from 'node:os';
import * as path from 'node:path';
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { PLAN_LINE } from '../src/gold/build-gold';
import { scheduledGold } from '../src/pipeline/scheduled-gold';
import { services, GOLD_LEASE } from '../src/azure/services';
import { readGoldFold, readGoldMemoryLimit } from '../src/azure/settings';
import { pipelineMetrics } from '../src/azure/telemetry';

/** One per instance: the lease (longer than host.json's 10-minute functionTimeout) keeps runs one at a time, so each run may sweep what a killed one left. */
const SCRATCH = path.join(os.tmpdir(), 'orderlake-gold');
/** No new gold step starts after this much of a run: with host.json's 10-minute timeout, a step (at most 4,000 silver commits, about 30 s on the bench machine for 3 million events) and the upkeep after it still fit. */
const STEP_BUDGET_MS = 5 * 60_000;

export async function buildGoldOnTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const { lake, commits, documents, lease } = await services();
  const owner = context.invocationId;
  if (!(await lease.acquire(GOLD_LEASE.name, owner, GOLD_LEASE.ttlMs))) {
    context.log(JSON.stringify({ stage: 'gold', skipped: 'another gold run holds the lease' }));
    return;
  }
  try {
    const started = Date.now();
    // Temporary files of writes killed over an hour ago (no write takes that long); younger ones may be in progress.
    const swept = await lake.sweepTemporary(new Date(started - 3_600_000));
    if (swept) context.log(JSON.stringify({ stage: 'gold', sweptTemporaryFiles: swept }));
    // A backlog goes in steps; what is left when the budget is spent waits for the next tick.
    const onProgress = (m: string) => {
      if (m.startsWith(PLAN_LINE)) context.log(m);
    };
    // Hot dates at once, cold ones folded within a budget a run: a run's work is bounded however
    // wide the change. Then silver compacted when its small files pile up, and a daily vacuum:
    // under the same lease.
    const memoryLimit = readGoldMemoryLimit(process.env);
    const { gold: s, upkeep } = await scheduledGold({ lake, commits, documents, scratchDir: SCRATCH, onProgress, fold: readGoldFold(process.env), ...(memoryLimit ? { memoryLimit } : {}) }, { deadline: started + STEP_BUDGET_MS });
    if (upkeep.optimized.length || upkeep.vacuumed) context.log(JSON.stringify({ stage: 'maintenance', optimized: upkeep.optimized, vacuumed: upkeep.vacuumed ? Object.fromEntries(Object.entries(upkeep.vacuumed.deleted).map(([k, v]) => [k, v.length])) : undefined }));
    const seconds = (Date.now() - started) / 1000;
    // Lag: how old the newest silver batch was when gold caught up with it.
    const lagSeconds = s.latestCommitAt ? Math.max(0, (Date.now() - Date.parse(s.latestCommitAt)) / 1000) : null;
    context.log(JSON.stringify({ stage: 'gold', run: s.run, newBatches: s.newBatches, changedDates: s.changedDates, ordersRewritten: s.ordersRewritten, datesWaiting: s.datesWaiting, tables: s.tables.length, steps: s.steps, backlogLeft: s.more, seconds, lagSeconds }));
    await pipelineMetrics().goldRun(seconds, s.changedDates, lagSeconds);
  } finally {
    await lease.release(GOLD_LEASE.name, owner);
  }
}

app.timer('buildGold', { schedule: '%GOLD_SCHEDULE%', handler: buildGoldOnTimer });
