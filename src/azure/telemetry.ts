// Custom metrics to Application Insights (OpenTelemetry, Azure Monitor exporter, signed in
// with the app's identity: local auth is off). Every function records its counts here; the
// KQL that reads them is in docs/telemetry.md. Without APPLICATIONINSIGHTS_CONNECTION_STRING
// (local runs, tests) the meter is OpenTelemetry's no-op.
import { metrics, type Meter, type Counter, type Histogram } from '@opentelemetry/api';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { AzureMonitorMetricExporter } from '@azure/monitor-opentelemetry-exporter';
import { DefaultAzureCredential } from '@azure/identity';
import type { BatchCounts } from '../silver/refine';

export const METRICS = {
  bronzeEvents: 'orderlake.bronze.events',
  silverReceived: 'orderlake.silver.received',
  silverRecords: 'orderlake.silver.records',
  silverBatchSeconds: 'orderlake.silver.batch_seconds',
  silverFailedBatches: 'orderlake.silver.failed_batches',
  goldRunSeconds: 'orderlake.gold.run_seconds',
  goldChangedDates: 'orderlake.gold.changed_dates',
  goldLagSeconds: 'orderlake.gold.lag_seconds',
} as const;

export class PipelineMetrics {
  private readonly bronzeEvents: Counter;
  private readonly received: Counter;
  private readonly records: Counter;
  private readonly batchSeconds: Histogram;
  private readonly failed: Counter;
  private readonly goldSeconds: Histogram;
  private readonly changedDates: Counter;
  private readonly lag: Histogram;

  constructor(meter: Meter, private readonly flush: () => Promise<void> = async () => {}) {
    this.bronzeEvents = meter.createCounter(METRICS.bronzeEvents, { description: 'events written to bronze' });
    this.received = meter.createCounter(METRICS.silverReceived, { description: 'records silver took in' });
    this.records = meter.createCounter(METRICS.silverRecords, { description: 'records by outcome: written, quarantined, dropped, duplicates' });
    this.batchSeconds = meter.createHistogram(METRICS.silverBatchSeconds, { description: 'time to refine one bronze batch', unit: 's' });
    this.failed = meter.createCounter(METRICS.silverFailedBatches, { description: 'batches stopped by a fail rule' });
    this.goldSeconds = meter.createHistogram(METRICS.goldRunSeconds, { description: 'duration of a gold run', unit: 's' });
    this.changedDates = meter.createCounter(METRICS.goldChangedDates, { description: 'order dates a gold run recomputed' });
    this.lag = meter.createHistogram(METRICS.goldLagSeconds, { description: 'age of the newest silver batch when gold caught up with it', unit: 's' });
  }

  bronzeBatch(partition: string, events: number, notUtf8: number): void {
    this.bronzeEvents.add(events, { partition, body: 'utf8' });
    if (notUtf8) this.bronzeEvents.add(notUtf8, { partition, body: 'binary' });
  }

  silverBatch(partition: string, counts: BatchCounts, seconds: number): void {
    this.received.add(counts.received, { partition });
    for (const outcome of ['written', 'quarantined', 'dropped', 'duplicates'] as const) {
      if (counts[outcome]) this.records.add(counts[outcome], { partition, outcome });
    }
    this.batchSeconds.record(seconds, { partition });
  }

  silverFailed(rule: string): void {
    this.failed.add(1, { rule });
  }

  async goldRun(seconds: number, changedDates: number, lagSeconds: number | null): Promise<void> {
    this.goldSeconds.record(seconds);
    this.changedDates.add(changedDates);
    if (lagSeconds !== null) this.lag.record(lagSeconds);
    await this.flush(); // gold runs are rare: send now rather than wait for the next interval
  }
}

let current: PipelineMetrics | undefined;

export function pipelineMetrics(env: NodeJS.ProcessEnv = process.env): PipelineMetrics {
  if (current) return current;
  const connectionString = env['APPLICATIONINSIGHTS_CONNECTION_STRING'];
  if (!connectionString) return (current = new PipelineMetrics(metrics.getMeter('orderlake')));
  const clientId = env['AZURE_CLIENT_ID'];
  const exporter = new AzureMonitorMetricExporter({ connectionString, credential: new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}) });
  const provider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 15_000 })] });
  return (current = new PipelineMetrics(provider.getMeter('orderlake'), () => provider.forceFlush()));
}

/** For tests: record into this meter (e.g. one with an in-memory reader). */
export function setPipelineMetrics(m: PipelineMetrics | undefined): void {
  current = m;
}
