import { BINDING_SETTINGS, CODE_SETTINGS } from '../../src/azure/settings';
import { all, bodyOf, parser, prop, resourceType, tree, trees, type Node } from '../helpers/bicep';

/** App settings the Functions runtime itself reads (not our code): host storage, telemetry, connection identities. */
const RUNTIME_SETTINGS = [
  'AzureWebJobsStorage__accountName', 'AzureWebJobsStorage__credential', 'AzureWebJobsStorage__clientId',
  'APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  'EventHubConnection__credential', 'EventHubConnection__clientId', 'StateStorage__credential', 'StateStorage__clientId',
];
/** What our code and bindings read in Azure (LAKE_DIR and STATE_CONNECTION_STRING are local-development alternatives). */
const READ_IN_AZURE = [...BINDING_SETTINGS, ...CODE_SETTINGS.filter((s) => s !== 'LAKE_DIR' && s !== 'STATE_CONNECTION_STRING')];

function appSettings(): Map<string, string> {
  const settings = all(tree('modules/functions.bicep'), 'object_property').find((p) => p.namedChildren[0]?.text === 'appSettings')!.namedChildren[1]!;
  return new Map(settings.namedChildren.filter((o) => o.type === 'object').map((o) => [prop(o, 'name')!.text.replace(/'/g, ''), prop(o, 'value')!.text]));
}

describe('infra/*.bicep', () => {
  it.each([...trees.keys()])('%s parses with the Bicep grammar, without syntax errors', (name) => {
    const errors = [...all(tree(name), 'ERROR'), ...(function missing(n: Node, out: Node[] = []): Node[] {
      if (n.isMissing) out.push(n);
      for (const c of n.children) missing(c, out);
      return out;
    })(tree(name))];
    expect(errors.map((e) => `${name}:${e.startPosition.row + 1}:${e.startPosition.column + 1} ${e.isMissing ? `missing ${e.type}` : `unexpected ${JSON.stringify(e.text.slice(0, 40))}`}`)).toEqual([]);
  });

  it('catches a syntax error (the check can fail)', () => {
    expect(parser.parse("param x string =\nresource r 'A/b@1' = {\n").rootNode.hasError).toBe(true);
  });

  it('describes every parameter', () => {
    const undescribed: string[] = [];
    for (const [name, t] of trees) {
      for (const p of all(t.rootNode, 'parameter_declaration')) {
        const decorators = p.previousNamedSibling?.type === 'decorators' ? p.previousNamedSibling.text : p.previousNamedSibling?.type === 'comment' ? '' : '';
        if (!decorators.includes('@description(')) undescribed.push(`${name}: ${p.namedChildren[0]?.text}`);
      }
    }
    expect(undescribed).toEqual([]);
  });

  it('names every role assignment guid(scope, principal, role)', () => {
    const names: string[] = [];
    for (const [, t] of trees) {
      for (const r of all(t.rootNode, 'resource_declaration')) {
        if (!resourceType(r).startsWith('Microsoft.Authorization/roleAssignments@')) continue;
        names.push(prop(bodyOf(r)!, 'name')!.text);
      }
    }
    expect(names.sort()).toEqual([
      'guid(appInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)',
      'guid(hub.id, appPrincipalId, roles.eventHubsDataReceiver)',
      'guid(hub.id, userPrincipalId, roles.eventHubsDataSender)',
      'guid(lake.id, appPrincipalId, roles.blobDataContributor)',
      'guid(lake.id, userPrincipalId, roles.blobDataReader)',
      'guid(runtimeStorage.id, appPrincipalId, roles.blobDataOwner)',
      'guid(state.id, appPrincipalId, roles.queueDataContributor)',
      'guid(state.id, appPrincipalId, roles.tableDataContributor)',
      'guid(state.id, userPrincipalId, roles.queueDataContributor)',
      'guid(state.id, userPrincipalId, roles.tableDataReader)',
    ]);
  });

  it('turns shared keys and local auth off everywhere (storage, Event Hubs, Application Insights, Log Analytics)', () => {
    const checks: string[] = [];
    for (const [name, t] of trees) {
      for (const r of all(t.rootNode, 'resource_declaration')) {
        const type = resourceType(r);
        const props = bodyOf(r) && prop(bodyOf(r)!, 'properties');
        if (r.text.includes(' existing')) continue;
        if (type.startsWith('Microsoft.Storage/storageAccounts@')) checks.push(`${name} ${r.namedChildren[0]!.text} allowSharedKeyAccess=${prop(props!, 'allowSharedKeyAccess')?.text}`);
        if (type.startsWith('Microsoft.EventHub/namespaces@')) checks.push(`${name} ${r.namedChildren[0]!.text} disableLocalAuth=${prop(props!, 'disableLocalAuth')?.text}`);
        if (type.startsWith('Microsoft.Insights/components@')) checks.push(`${name} ${r.namedChildren[0]!.text} DisableLocalAuth=${prop(props!, 'DisableLocalAuth')?.text}`);
        if (type.startsWith('Microsoft.OperationalInsights/workspaces@')) checks.push(`${name} ${r.namedChildren[0]!.text} disableLocalAuth=${prop(prop(props!, 'features')!, 'disableLocalAuth')?.text}`);
      }
    }
    expect(checks.sort()).toEqual([
      'modules/eventhubs.bicep namespace disableLocalAuth=true',
      'modules/lake.bicep lake allowSharedKeyAccess=false',
      'modules/monitoring.bicep appInsights DisableLocalAuth=true',
      'modules/monitoring.bicep logs disableLocalAuth=true',
      'modules/runtime-storage.bicep runtimeStorage allowSharedKeyAccess=false',
      'modules/state.bicep state allowSharedKeyAccess=false',
    ]);
  });

  it('sets every app setting the code reads, and reads every one it sets', () => {
    const set = [...appSettings().keys()];
    expect(READ_IN_AZURE.filter((s) => !set.includes(s))).toEqual([]);
    expect(set.filter((s) => !READ_IN_AZURE.includes(s as never) && !RUNTIME_SETTINGS.includes(s))).toEqual([]);
  });

  it('outputs every setting the code reads, under the setting\'s own name', () => {
    const outputs = all(tree('main.bicep'), 'output_declaration').map((o) => o.namedChildren[0]!.text);
    expect(READ_IN_AZURE.filter((s) => !outputs.includes(s))).toEqual([]);
    expect(outputs).toContain('EVENTHUB_FULLY_QUALIFIED_NAMESPACE'); // what the producer reads
  });

  it('puts no key or connection string in any output or app setting', () => {
    const secretish = /listKeys|listConnectionStrings|primaryKey|secondaryKey|SharedAccessKey|AccountKey|[Cc]onnection[Ss]tring/;
    const leaks: string[] = [];
    for (const [name, t] of trees) {
      for (const o of all(t.rootNode, 'output_declaration')) if (secretish.test(o.text)) leaks.push(`${name} output ${o.namedChildren[0]!.text}`);
      if (/listKeys|listConnectionStrings/.test(t.rootNode.text)) leaks.push(`${name} calls listKeys/listConnectionStrings`);
    }
    for (const [key, value] of appSettings()) {
      // The Application Insights connection string only locates the component (instrumentation
      // key and endpoint, no secret); with local auth off, ingestion needs the Entra ID token.
      if (key === 'APPLICATIONINSIGHTS_CONNECTION_STRING') {
        expect(value).toBe('appInsights.properties.ConnectionString');
        continue;
      }
      if (secretish.test(value)) leaks.push(`app setting ${key}`);
    }
    expect(leaks).toEqual([]);
  });
});
