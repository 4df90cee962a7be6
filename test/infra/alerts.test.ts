// The alerts (infra/modules/alerts.bicep, queries in infra/modules/alerts/*.kql) against
// what src/azure/telemetry.ts actually records, and against the platform data that
// diagnostics.bicep sends to the workspace.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { METRICS } from '../../src/azure/telemetry';
import { all, bodyOf, decoratorsOf, prop, resource, unquote, variable, INFRA, type Node } from '../helpers/bicep';
import { emittedTelemetry, kqlReferences, mismatches, type Emitted } from '../helpers/kql';

const FILE = 'modules/alerts.bicep';
const MODULE_DIR = path.join(INFRA, 'modules');

/** Evaluates the few Bicep forms a query is built with: loadTextContent('f'), replace(x, 'a', expr), literals. Other expressions become ⟨expr⟩. */
function evaluate(n: Node): string {
  if (n.type === 'string') return unquote(n.text);
  if (n.type === 'call_expression') {
    const fn = n.namedChildren[0]!.text;
    const args = n.namedChildren[1]!.namedChildren;
    if (fn === 'loadTextContent') return readFileSync(path.join(MODULE_DIR, unquote(args[0]!.text)), 'utf8');
    if (fn === 'replace') return evaluate(args[0]!).split(evaluate(args[1]!)).join(evaluate(args[2]!));
  }
  return `⟨${n.text}⟩`;
}

interface Alert { name: string; scope: string; query: string; files: string[]; measure: string; dimensions: string[]; threshold: string; description: string }

const alerts: Alert[] = variable(FILE, 'alerts').namedChildren.filter((o) => o.type === 'object').map((o) => {
  const q = prop(o, 'query')!;
  return {
    name: unquote(prop(o, 'name')!.text),
    scope: prop(o, 'scope')!.text,
    query: evaluate(q),
    files: all(q, 'call_expression').filter((c) => c.namedChildren[0]!.text === 'loadTextContent').map((c) => unquote(c.namedChildren[1]!.namedChildren[0]!.text)),
    measure: unquote(prop(o, 'measure')!.text),
    dimensions: all(prop(o, 'dimensions')!, 'object').map((d) => unquote(prop(d, 'name')!.text)),
    threshold: prop(o, 'threshold')!.text,
    description: unquote(prop(o, 'description')!.text),
  };
});

let emitted: Emitted;
beforeAll(async () => {
  emitted = await emittedTelemetry();
});

describe('modules/alerts.bicep', () => {
  it('alerts on stopped batches, the poison queue, the quarantine rate, gold lag, function failures and the Event Hubs backlog', () => {
    expect(alerts.map((a) => a.name)).toEqual(['stopped-batches', 'poison-queue', 'quarantine-rate', 'gold-lag', 'function-failures', 'eventhubs-backlog']);
  });

  it('loads every query file once, and fills every placeholder in it', () => {
    expect(alerts.flatMap((a) => a.files).sort()).toEqual(readdirSync(path.join(MODULE_DIR, 'alerts')).filter((f) => f.endsWith('.kql')).map((f) => `alerts/${f}`).sort());
    expect(alerts.filter((a) => /\{\{\w+\}\}/.test(a.query)).map((a) => a.name)).toEqual([]);
  });

  it('names only metrics that src/azure/telemetry.ts records, with the dimensions and values it records', () => {
    const problems = alerts.flatMap((a) => mismatches(a.query, emitted, Object.values(METRICS)).map((p) => `${a.name}: ${p}`));
    expect(problems).toEqual([]);
    const byAlert = Object.fromEntries(alerts.map((a) => [a.name, kqlReferences(a.query).metrics]));
    expect(byAlert).toEqual({
      'stopped-batches': [METRICS.silverFailedBatches],
      'poison-queue': [],
      'quarantine-rate': [METRICS.silverRecords],
      'gold-lag': [METRICS.goldRunSeconds, METRICS.silverReceived],
      'function-failures': [],
      'eventhubs-backlog': [METRICS.bronzeEvents],
    });
  });

  it('would catch a metric or dimension the code does not record (the check can fail)', () => {
    expect(mismatches('customMetrics | where name == "orderlake.silver.poisoned" | summarize by tostring(customDimensions.queue)', emitted, Object.values(METRICS)))
      .toEqual(['metric orderlake.silver.poisoned is not in METRICS', 'dimension queue is not recorded on any metric named here']);
    expect(mismatches('customMetrics | where name == "orderlake.silver.records" and tostring(customDimensions.outcome) == "poisoned"', emitted, Object.values(METRICS)))
      .toEqual(['value outcome=poisoned is never recorded on orderlake.silver.records']);
  });

  it('queries Application Insights for app telemetry and the workspace for platform data', () => {
    const scopes = Object.fromEntries(alerts.map((a) => [a.name, [a.scope, kqlReferences(a.query).tables]]));
    expect(scopes).toEqual({
      'stopped-batches': ['appInsightsId', ['customMetrics']],
      'poison-queue': ['workspaceId', ['StorageQueueLogs']],
      'quarantine-rate': ['appInsightsId', ['customMetrics']],
      'gold-lag': ['appInsightsId', ['customMetrics']],
      'function-failures': ['appInsightsId', ['requests']],
      'eventhubs-backlog': ['workspaceId', ['AppMetrics', 'AzureMetrics']],
    });
  });

  it('measures a column each query makes, and splits by columns it makes', () => {
    for (const a of alerts) {
      expect([a.name, new RegExp(`\\b${a.measure} = `).test(a.query)]).toEqual([a.name, true]);
      for (const d of a.dimensions) expect([a.name, d, new RegExp(`by ${d} = `).test(a.query)]).toEqual([a.name, d, true]);
    }
  });

  it('takes every threshold from a described parameter, except the "above 0" ones', () => {
    expect(Object.fromEntries(alerts.map((a) => [a.name, a.threshold]))).toEqual({
      'stopped-batches': '0', 'poison-queue': '0', 'quarantine-rate': 'quarantinePercent', 'gold-lag': 'goldLagMinutes', 'function-failures': 'functionFailures', 'eventhubs-backlog': 'eventHubBacklogEvents',
    });
    for (const p of ['quarantinePercent', 'quarantineMinRecords', 'goldLagMinutes', 'functionFailures', 'eventHubBacklogEvents']) {
      expect(decoratorsOf(FILE, p).some((d) => d.startsWith('@description('))).toBe(true);
    }
    for (const a of alerts) expect(a.description.length).toBeGreaterThan(60);
  });

  it('e-mails the operator through an action group when an address is given', () => {
    const group = bodyOf(resource(FILE, 'actionGroup'))!;
    expect(resource(FILE, 'actionGroup').text).toContain("= if (!empty(alertEmail))");
    expect(prop(all(prop(prop(group, 'properties')!, 'emailReceivers')!, 'object')[0]!, 'emailAddress')!.text).toBe('alertEmail');
    const actions = prop(prop(bodyOf(resource(FILE, 'rules'))!, 'properties')!, 'actions')!;
    expect(actions.text).toBe('{ actionGroups: empty(alertEmail) ? [] : [actionGroup.id] }');
  });
});

describe('modules/diagnostics.bicep', () => {
  it('sends what the workspace alerts read: Event Hubs metrics, and the poison queue\'s rows of the queue logs', () => {
    const eh = prop(bodyOf(resource('modules/diagnostics.bicep', 'eventHubsMetrics'))!, 'properties')!;
    expect(prop(eh, 'metrics')!.text).toBe("[{ category: 'AllMetrics', enabled: true }]");
    const queue = bodyOf(resource('modules/diagnostics.bicep', 'queueLogs'))!;
    expect(prop(queue, 'scope')!.text).toBe('stateQueues');
    expect(all(prop(prop(queue, 'properties')!, 'logs')!, 'object').map((o) => unquote(prop(o, 'category')!.text))).toEqual(['StorageWrite', 'StorageDelete']);
    const flow = all(prop(prop(bodyOf(resource('modules/diagnostics.bicep', 'workspaceTransforms'))!, 'properties')!, 'dataFlows')!, 'object')[0]!;
    expect(prop(flow, 'streams')!.text).toBe("['Microsoft-Table-StorageQueueLogs']");
    // The transformation keeps at least the rows the poison alert counts.
    const transform = unquote(prop(flow, 'transformKql')!.text).replace('${silverQueueName}', 'silver-batches');
    const poison = alerts.find((a) => a.name === 'poison-queue')!.query.replace('${silverQueueName}', 'silver-batches');
    expect(transform).toBe('source | where Uri contains "/silver-batches-poison/"');
    expect(poison).toContain('Uri contains "/silver-batches-poison/messages"');
  });
});
