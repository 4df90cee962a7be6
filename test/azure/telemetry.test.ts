import * as path from 'node:path';
import { InvocationContext } from '@azure/functions';
import { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PipelineMetrics, setPipelineMetrics, pipelineMetrics, METRICS } from '../../src/azure/telemetry';
import { setServices } from '../../src/azure/services';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { LocalState } from '../../src/adapters/local/local-state';
import { ingestBronze } from '../../functions/ingestBronze';
import { refineSilver } from '../../functions/refineSilver';
import { emptyCounts } from '../../src/silver/refine';
import { orderEvent, uuid } from '../helpers/events';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();

function inMemory() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const m = new PipelineMetrics(provider.getMeter('test'), () => provider.forceFlush());
  /** Sum of a metric's data points (counter values, or histogram sums), optionally by one attribute. */
  const read = async (name: string, attr?: string): Promise<Record<string, number>> => {
    await provider.forceFlush();
    const all: ResourceMetrics[] = exporter.getMetrics();
    const out: Record<string, number> = {};
    const last = all[all.length - 1];
    for (const sm of last?.scopeMetrics ?? []) {
      for (const metric of sm.metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const dp of metric.dataPoints) {
          const key = attr ? String(dp.attributes[attr]) : 'all';
          const v = typeof dp.value === 'number' ? dp.value : (dp.value as { sum?: number }).sum ?? 0;
          out[key] = (out[key] ?? 0) + v;
        }
      }
    }
    return out;
  };
  return { m, read };
}

afterEach(() => {
  setPipelineMetrics(undefined);
  setServices(undefined);
});

describe('PipelineMetrics', () => {
  it('records silver counts by outcome, failures, and gold runs', async () => {
    const { m, read } = inMemory();
    m.silverBatch('0', { ...emptyCounts(), received: 10, written: 7, quarantined: 2, duplicates: 1 }, 0.25);
    m.silverBatch('1', { ...emptyCounts(), received: 5, written: 5 }, 0.1);
    m.silverFailed('quarantine_ratio');
    await m.goldRun(3.5, 12, 42);
    expect(await read(METRICS.silverReceived)).toEqual({ all: 15 });
    expect(await read(METRICS.silverRecords, 'outcome')).toEqual({ written: 12, quarantined: 2, duplicates: 1 });
    expect(await read(METRICS.silverFailedBatches, 'rule')).toEqual({ quarantine_ratio: 1 });
    expect(await read(METRICS.goldRunSeconds)).toEqual({ all: 3.5 });
    expect(await read(METRICS.goldChangedDates)).toEqual({ all: 12 });
    expect(await read(METRICS.goldLagSeconds)).toEqual({ all: 42 });
  });
});

describe('pipelineMetrics', () => {
  it('is a no-op meter without an Application Insights connection string', () => {
    expect(() => pipelineMetrics({}).silverBatch('0', emptyCounts(), 0)).not.toThrow();
  });

  it('receives the counts of every batch the functions process', async () => {
    const { m, read } = inMemory();
    setPipelineMetrics(m);
    const dir = tmp();
    const state = new LocalState(path.join(dir, '_state'));
    setServices({ lake: new LocalLake(dir), ledger: state.ledger, commits: state.commits, documents: state.documents, lease: { acquire: async () => true, release: async () => {} } });
    const bodies = [Buffer.from(JSON.stringify(orderEvent({ event_id: uuid(1) }))), Buffer.from('nope'), Buffer.from([0xff])];
    const ctx = new InvocationContext({ functionName: 'ingestBronze', triggerMetadata: { partitionContext: { partitionId: '2' }, sequenceNumberArray: [0, 1, 2], offsetArray: ['0', '1', '2'], enqueuedTimeUtcArray: ['2026-03-05T12:00:00Z', '2026-03-05T12:00:00Z', '2026-03-05T12:00:00Z'] } });
    const message = await ingestBronze(bodies, ctx);
    await refineSilver(message, new InvocationContext({ functionName: 'refineSilver' }));
    expect(await read(METRICS.bronzeEvents, 'body')).toEqual({ utf8: 2, binary: 1 });
    expect(await read(METRICS.silverRecords, 'outcome')).toEqual({ written: 1, quarantined: 2 });
    expect(await read(METRICS.silverReceived, 'partition')).toEqual({ 2: 3 });
  });
});
