// The workbook (infra/modules/workbook.json, deployed by workbook.bicep) against what
// src/azure/telemetry.ts records. Not rendered here: that needs the Azure portal.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { METRICS } from '../../src/azure/telemetry';
import { all, bodyOf, prop, resource, unquote, variable, INFRA } from '../helpers/bicep';
import { emittedTelemetry, kqlReferences, mismatches } from '../helpers/kql';

interface Item { type: number; name: string; content: { query?: string; title?: string; json?: string; resourceType?: string; crossComponentResources?: string[]; timeContextFromParameter?: string; visualization?: string } }
const raw = readFileSync(path.join(INFRA, 'modules/workbook.json'), 'utf8');
const workbook = JSON.parse(raw) as { version: string; items: Item[]; fallbackResourceIds: string[] };
const queries = workbook.items.filter((i) => i.type === 3);

describe('modules/workbook.json', () => {
  it('is a workbook document with a time range and one query per panel, each bound to the time range', () => {
    expect(workbook.version).toBe('Notebook/1.0');
    expect(workbook.items.map((i) => i.type)).toContain(9);
    expect(new Set(workbook.items.map((i) => i.name)).size).toBe(workbook.items.length);
    expect(queries.length).toBeGreaterThanOrEqual(10);
    for (const q of queries) expect([q.name, q.content.timeContextFromParameter, typeof q.content.query, typeof q.content.title]).toEqual([q.name, 'TimeRange', 'string', 'string']);
  });

  it('names only metrics, dimensions and values that src/azure/telemetry.ts records', async () => {
    const emitted = await emittedTelemetry();
    expect(queries.flatMap((q) => mismatches(q.content.query!, emitted, Object.values(METRICS)).map((p) => `${q.name}: ${p}`))).toEqual([]);
  });

  it('shows throughput per stage, silver outcomes with quarantine and duplicates, gold lag and freshness', () => {
    const shown = new Set(queries.flatMap((q) => kqlReferences(q.content.query!).metrics));
    expect([METRICS.bronzeEvents, METRICS.silverReceived, METRICS.silverRecords, METRICS.silverFailedBatches, METRICS.goldLagSeconds, METRICS.goldRunSeconds, METRICS.goldChangedDates].filter((m) => !shown.has(m))).toEqual([]);
    const outcomes = queries.flatMap((q) => kqlReferences(q.content.query!).comparisons).filter((c) => c.key === 'outcome').map((c) => c.value);
    expect([...new Set(outcomes)].sort()).toEqual(['duplicates', 'quarantined', 'written']);
  });

  it('runs app queries on Application Insights and platform queries on the workspace', () => {
    for (const q of queries) {
      const workspaceTables = kqlReferences(q.content.query!).tables.filter((t) => ['AzureMetrics', 'AppMetrics', 'StorageQueueLogs'].includes(t));
      const expected = workspaceTables.length
        ? { resourceType: 'microsoft.operationalinsights/workspaces', crossComponentResources: ['__WORKSPACE_ID__'] }
        : { resourceType: 'microsoft.insights/components' };
      expect([q.name, { resourceType: q.content.resourceType, ...(q.content.crossComponentResources ? { crossComponentResources: q.content.crossComponentResources } : {}) }]).toEqual([q.name, expected]);
    }
  });
});

describe('modules/workbook.bicep', () => {
  it('fills in exactly the placeholders workbook.json has', () => {
    const inJson = [...new Set(raw.match(/__[A-Z_]+__/g))].sort();
    const replaced = all(variable('modules/workbook.bicep', 'content'), 'string').map((s) => unquote(s.text)).filter((s) => /^__[A-Z_]+__$/.test(s)).sort();
    expect(inJson).toEqual(['__APP_INSIGHTS_ID__', '__EVENTHUBS_NAMESPACE_ID__', '__WORKSPACE_ID__']);
    expect(replaced).toEqual(inJson);
  });

  it('deploys it as a shared workbook linked to the Application Insights component', () => {
    const props = prop(bodyOf(resource('modules/workbook.bicep', 'workbook'))!, 'properties')!;
    expect([prop(props, 'category')!.text, prop(props, 'sourceId')!.text, prop(props, 'serializedData')!.text]).toEqual(["'workbook'", 'appInsightsId', 'content']);
  });
});
