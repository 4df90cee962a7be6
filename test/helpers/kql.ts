// What the app's telemetry actually emits (recorded through src/azure/telemetry.ts into an
// in-memory OpenTelemetry reader), and what a KQL query names of it, so the alerts and the
// workbook can be checked against the code rather than against a copy of its names.
import { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { PipelineMetrics } from '../../src/azure/telemetry';
import { emptyCounts } from '../../src/silver/refine';

/** Metric name -> attribute key -> the values seen. */
export type Emitted = Map<string, Map<string, Set<string>>>;

/** Calls every recording method of PipelineMetrics with inputs that set every attribute it has. */
export async function emittedTelemetry(): Promise<Emitted> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const provider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })] });
  const m = new PipelineMetrics(provider.getMeter('emitted'), () => provider.forceFlush());
  m.bronzeBatch('0', 5, 1);
  m.silverBatch('0', { ...emptyCounts(), received: 10, written: 4, quarantined: 3, dropped: 2, duplicates: 1 }, 0.5);
  m.silverFailed('quarantine_ratio');
  await m.goldRun(2, 3, 60);
  await provider.forceFlush();
  const out: Emitted = new Map();
  for (const rm of exporter.getMetrics()) {
    for (const sm of rm.scopeMetrics) {
      for (const metric of sm.metrics) {
        const attrs = out.get(metric.descriptor.name) ?? new Map<string, Set<string>>();
        for (const dp of metric.dataPoints) {
          for (const [k, v] of Object.entries(dp.attributes)) attrs.set(k, (attrs.get(k) ?? new Set()).add(String(v)));
        }
        out.set(metric.descriptor.name, attrs);
      }
    }
  }
  return out;
}

export interface KqlReferences {
  /** Quoted orderlake.* metric names. */
  metrics: string[];
  /** Keys read as customDimensions.<key> (Application Insights) or Properties.<key> (workspace AppMetrics). */
  dimensions: string[];
  /** Values compared with a dimension: `tostring(customDimensions.outcome) == "quarantined"` gives outcome=quarantined. */
  comparisons: Array<{ key: string; value: string }>;
  /** Tables the query reads. */
  tables: string[];
}

const TABLES = ['customMetrics', 'requests', 'traces', 'exceptions', 'AppMetrics', 'AppRequests', 'AzureMetrics', 'StorageQueueLogs'];

export function kqlReferences(query: string): KqlReferences {
  const code = query.split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
  return {
    metrics: [...new Set([...code.matchAll(/"(orderlake\.[a-z0-9_.]+)"/g)].map((m) => m[1]!))],
    dimensions: [...new Set([...code.matchAll(/\b(?:customDimensions|Properties)\.([A-Za-z_]\w*)/g)].map((m) => m[1]!))],
    comparisons: [...code.matchAll(/\b(?:customDimensions|Properties)\.([A-Za-z_]\w*)\)?\s*==\s*"([^"]*)"/g)].map((m) => ({ key: m[1]!, value: m[2]! })),
    tables: TABLES.filter((t) => new RegExp(`(^|[\\s(])${t}\\b(?!\\.)`, 'm').test(code)),
  };
}

/** Problems of one query against what is emitted: unknown metrics, dimensions or values. */
export function mismatches(query: string, emitted: Emitted, known: readonly string[]): string[] {
  const r = kqlReferences(query);
  const out: string[] = [];
  for (const m of r.metrics) {
    if (!known.includes(m)) out.push(`metric ${m} is not in METRICS`);
    else if (!emitted.has(m)) out.push(`metric ${m} is in METRICS but no PipelineMetrics call records it`);
  }
  const named = r.metrics.filter((m) => emitted.has(m));
  for (const d of r.dimensions) {
    if (!named.some((m) => emitted.get(m)!.has(d))) out.push(`dimension ${d} is not recorded on ${named.join(', ') || 'any metric named here'}`);
  }
  for (const c of r.comparisons) {
    if (!named.some((m) => emitted.get(m)!.get(c.key)?.has(c.value))) out.push(`value ${c.key}=${c.value} is never recorded on ${named.join(', ')}`);
  }
  return out;
}
