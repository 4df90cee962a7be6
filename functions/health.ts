// GET /api/health (function key): counts per layer, the last gold run and the lag.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { services } from '../src/azure/services';
import { statsOf, latestCommittedAt } from '../src/pipeline/stats';

export async function health(_req: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const { commits, documents } = await services();
  // Running totals of the partition heads: one read per source partition, whatever the lake's age.
  const heads = await commits.heads();
  const stats = statsOf(heads);
  const gold = await documents.get<{ runs: number; at?: string }>('gold-state');
  const lastCommit = latestCommittedAt(heads);
  const now = Date.now();
  return {
    jsonBody: {
      status: 'ok',
      layers: { bronzeBatches: stats.batches, received: stats.received, silver: stats.written, quarantine: stats.quarantined, dropped: stats.dropped, duplicates: stats.duplicates },
      lastSilverCommit: lastCommit,
      gold: gold ? { runs: gold.runs, lastRunAt: gold.at ?? null } : null,
      // How far gold is behind silver: the newest commit's age when gold ran before it.
      goldLagSeconds: gold?.at && lastCommit ? Math.max(0, (Date.parse(lastCommit) - Date.parse(gold.at)) / 1000) : null,
      silverAgeSeconds: lastCommit ? (now - Date.parse(lastCommit)) / 1000 : null,
    },
  };
}

app.http('health', { methods: ['GET'], authLevel: 'function', handler: health });
