// Timer -> gold, incrementally. A lease makes sure two runs never overlap (a timer can
// fire on two instances, or fire again while a long run is still going).
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { buildGold } from '../src/gold/build-gold';
import { services } from '../src/azure/services';
import { pipelineMetrics } from '../src/azure/telemetry';

export const GOLD_LEASE_MS = 15 * 60_000;

export async function buildGoldOnTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const { lake, commits, documents, lease } = await services();
  const owner = context.invocationId;
  if (!(await lease.acquire('gold', owner, GOLD_LEASE_MS))) {
    context.log(JSON.stringify({ stage: 'gold', skipped: 'another gold run holds the lease' }));
    return;
  }
  try {
    const started = Date.now();
    const s = await buildGold({ lake, commits, documents });
    const seconds = (Date.now() - started) / 1000;
    // Lag: how old the newest silver batch was when gold caught up with it.
    const lagSeconds = s.latestCommitAt ? Math.max(0, (Date.now() - Date.parse(s.latestCommitAt)) / 1000) : null;
    context.log(JSON.stringify({ stage: 'gold', run: s.run, newBatches: s.newBatches, changedDates: s.changedDates, tables: s.tables.length, seconds, lagSeconds }));
    await pipelineMetrics().goldRun(seconds, s.changedDates, lagSeconds);
  } finally {
    await lease.release('gold', owner);
  }
}

app.timer('buildGold', { schedule: '%GOLD_SCHEDULE%', handler: buildGoldOnTimer });
