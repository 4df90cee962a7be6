// What would stop a first `azd up` on Flex Consumption, held as properties of the Bicep
// (issue 19, points 1 and 4 to 7). The deployment itself only Azure can run.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { all, bodyOf, decoratorsOf, defaultOf, keys, moduleDecl, parser, prop, resource, resourceType, strings, tree, unquote, variable, INFRA, type Node } from '../helpers/bicep';

/** siteConfig properties ARM rejects on Flex Consumption sites with error 51021 in newer regions
 *  (verbatim rejection lists quoted in Azure/terraform-azurerm-avm-res-web-site#283, #345, #360). */
const REJECTED_ON_FLEX = ['ftpsState', 'use32BitWorkerProcess', 'preWarmedInstanceCount', 'netFrameworkVersion', 'functionsRuntimeScaleMonitoringEnabled', 'linuxFxVersion', 'windowsFxVersion'];
/** App settings Flex Consumption deprecates or replaces by functionAppConfig ("Flex Consumption plan deprecations", Functions app settings reference). */
const DEPRECATED_ON_FLEX = ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTSHARE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'ENABLE_ORYX_BUILD', 'WEBSITE_NODE_DEFAULT_VERSION'];

function siteConfigOf(root: Node): Node {
  const sites = all(root, 'resource_declaration').filter((r) => resourceType(r).startsWith('Microsoft.Web/sites@'));
  return prop(prop(bodyOf(sites[0]!)!, 'properties')!, 'siteConfig')!;
}
function rejectedIn(siteConfig: Node): string[] {
  return keys(siteConfig).filter((k) => REJECTED_ON_FLEX.some((r) => r.toLowerCase() === k.toLowerCase()));
}
function paramsOf(file: string, moduleName: string): Node {
  return prop(bodyOf(moduleDecl(file, moduleName))!, 'params')!;
}

describe('modules/functions.bicep', () => {
  const siteConfig = siteConfigOf(tree('modules/functions.bicep'));

  it('sets only minTlsVersion and the app settings in siteConfig, as Microsoft\'s Flex quickstart does', () => {
    expect(keys(siteConfig)).toEqual(['minTlsVersion', 'appSettings']);
    expect(rejectedIn(siteConfig)).toEqual([]);
  });

  it('would catch ftpsState (the check can fail)', () => {
    const site = parser.parse("resource app 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n  properties: {\n    siteConfig: {\n      minTlsVersion: '1.2'\n      ftpsState: 'Disabled'\n    }\n  }\n}\n");
    expect(rejectedIn(siteConfigOf(site.rootNode))).toEqual(['ftpsState']);
  });

  it('sets no app setting that Flex Consumption deprecates (the runtime is in functionAppConfig)', () => {
    const names = all(prop(siteConfig, 'appSettings')!, 'object').map((o) => unquote(prop(o, 'name')!.text));
    expect(names.filter((n) => DEPRECATED_ON_FLEX.includes(n))).toEqual([]);
    const runtime = prop(prop(prop(bodyOf(resource('modules/functions.bicep', 'app'))!, 'properties')!, 'functionAppConfig')!, 'runtime')!;
    expect(runtime.text).toBe("{ name: 'node', version: '22' }");
  });

  it('scales between the Flex bounds, 40 to 1000 instances', () => {
    for (const file of ['main.bicep', 'modules/functions.bicep']) {
      expect(decoratorsOf(file, 'maximumInstanceCount').filter((d) => !d.startsWith('@description'))).toEqual(['@minValue(40)', '@maxValue(1000)']);
    }
  });

  it('runs on instances of 4,096 MB (two cores) by default, 2,048 MB allowed, chosen in main.bicep and passed to the app', () => {
    expect(defaultOf('main.bicep', 'instanceMemoryMB')).toBe('4096');
    expect(defaultOf('modules/functions.bicep', 'instanceMemoryMB')).toBeUndefined();
    for (const file of ['main.bicep', 'modules/functions.bicep']) {
      expect(decoratorsOf(file, 'instanceMemoryMB').filter((d) => !d.startsWith('@description'))).toEqual(['@allowed([2048, 4096])']);
    }
    const params = prop(bodyOf(moduleDecl('main.bicep', 'functions'))!, 'params')!;
    expect(prop(params, 'instanceMemoryMB')?.text).toBe('instanceMemoryMB');
  });

  it('connects host storage by blob only (no queue or table service of the runtime account)', () => {
    const names = all(prop(siteConfig, 'appSettings')!, 'object').map((o) => unquote(prop(o, 'name')!.text)).filter((n) => n.startsWith('AzureWebJobsStorage'));
    expect(names).toEqual(['AzureWebJobsStorage__accountName', 'AzureWebJobsStorage__credential', 'AzureWebJobsStorage__clientId']);
  });
});

describe('main.bicep', () => {
  it('deploys the roles before the function app, and the runtime account before both', () => {
    const fn = bodyOf(moduleDecl('main.bicep', 'functions'))!;
    expect(prop(fn, 'dependsOn')!.text).toBe('[roles]');
    expect(prop(paramsOf('main.bicep', 'roles'), 'runtimeStorageName')!.text).toBe('runtimeStorage.outputs.name');
    expect(prop(paramsOf('main.bicep', 'functions'), 'runtimeStorageName')!.text).toBe('runtimeStorage.outputs.name');
    // The roles module must not wait for the app: nothing of it reads the functions module.
    expect(moduleDecl('main.bicep', 'roles').text).not.toMatch(/functions\./);
  });

  it('allows only regions that offer Flex Consumption, and asks azd for one of them', () => {
    const d = decoratorsOf('main.bicep', 'location');
    const allowed = d.find((x) => x.startsWith('@allowed'))!;
    const regions = [...allowed.matchAll(/'([a-z0-9]+)'/g)].map((m) => m[1]!);
    expect(regions.length).toBeGreaterThanOrEqual(30);
    expect(regions).toContain('westeurope');
    expect(d).toContain("@metadata({ azd: { type: 'location' } })");
  });

  it('uses ZRS only in regions with availability zones', () => {
    // Regions with availability zones, from the Azure reliability docs ("regions that support
    // availability zones"), plus Italy North and Spain Central, which opened with zones later.
    const zonal = ['brazilsouth', 'canadacentral', 'centralus', 'eastus', 'eastus2', 'southcentralus', 'westus2', 'westus3', 'francecentral', 'germanywestcentral', 'northeurope', 'norwayeast', 'uksouth', 'westeurope', 'swedencentral', 'switzerlandnorth', 'polandcentral', 'qatarcentral', 'uaenorth', 'southafricanorth', 'australiaeast', 'centralindia', 'japaneast', 'koreacentral', 'southeastasia', 'eastasia', 'italynorth', 'spaincentral'];
    const allowed = [...decoratorsOf('main.bicep', 'location').find((x) => x.startsWith('@allowed'))!.matchAll(/'([a-z0-9]+)'/g)].map((m) => m[1]!);
    const withoutZones = strings(variable('main.bicep', 'regionsWithoutZones'));
    expect(withoutZones.filter((r) => zonal.includes(r))).toEqual([]);
    expect(allowed.filter((r) => !zonal.includes(r) && !withoutZones.includes(r))).toEqual([]);
    expect(variable('main.bicep', 'storageSku').text).toBe("!empty(storageSkuName) ? storageSkuName : (contains(regionsWithoutZones, location) ? 'Standard_LRS' : 'Standard_ZRS')");
    for (const m of ['lake', 'state', 'runtimeStorage']) expect(prop(paramsOf('main.bicep', m), 'skuName')!.text).toBe('storageSku');
  });

  it('takes the principal and its type from azd, so CI as a service principal works', () => {
    const params = JSON.parse(readFileSync(path.join(INFRA, 'main.parameters.json'), 'utf8')).parameters as Record<string, { value: string }>;
    expect(params['principalId']!.value).toBe('${AZURE_PRINCIPAL_ID}');
    expect(params['principalType']!.value).toBe('${AZURE_PRINCIPAL_TYPE}');
    expect(prop(paramsOf('main.bicep', 'roles'), 'userPrincipalType')!.text).toBe('principalType');
  });

  it('keeps Event Hubs events 7 days by default, the most the Standard tier allows', () => {
    expect(defaultOf('main.bicep', 'eventHubRetentionDays')).toBe('7');
    expect(decoratorsOf('main.bicep', 'eventHubRetentionDays')).toContain('@maxValue(7)');
    expect(prop(paramsOf('main.bicep', 'eventHubs'), 'retentionInDays')!.text).toBe('eventHubRetentionDays');
  });
});

describe('modules/eventhubs.bicep', () => {
  it('retains 1 to 7 days, 7 by default', () => {
    expect(defaultOf('modules/eventhubs.bicep', 'retentionInDays')).toBe('7');
    expect(decoratorsOf('modules/eventhubs.bicep', 'retentionInDays').filter((d) => !d.startsWith('@description'))).toEqual(['@minValue(1)', '@maxValue(7)']);
    const hub = prop(bodyOf(resource('modules/eventhubs.bicep', 'hub'))!, 'properties')!;
    expect(prop(hub, 'messageRetentionInDays')!.text).toBe('retentionInDays');
  });
});

describe('modules/roles.bicep', () => {
  const assignments = all(tree('modules/roles.bicep'), 'resource_declaration').filter((r) => resourceType(r).startsWith('Microsoft.Authorization/roleAssignments@'));
  const byScope = (scope: string) => assignments.filter((r) => prop(bodyOf(r)!, 'scope')!.text === scope).map((r) => r.namedChildren[0]!.text);

  it('lets the deploying principal run poison-replay and read the state tables', () => {
    expect(byScope('state').sort()).toEqual(['appStateQueues', 'appStateTables', 'userStateQueues', 'userStateTables']);
    const role = (name: string) => prop(prop(bodyOf(assignments.find((r) => r.namedChildren[0]!.text === name)!)!, 'properties')!, 'roleDefinitionId')!.text;
    expect(role('userStateQueues')).toMatch(/roles\.queueDataContributor\)$/);
    expect(role('userStateTables')).toMatch(/roles\.tableDataReader\)$/);
  });

  it('gives the deploying principal the type azd reports, never a fixed User', () => {
    const users = assignments.filter((r) => r.namedChildren[0]!.text.startsWith('user'));
    expect(users.length).toBe(4);
    for (const u of users) expect(prop(prop(bodyOf(u)!, 'properties')!, 'principalType')!.text).toBe('userPrincipalType');
  });

  it('grants on the runtime account only what the host uses: blobs', () => {
    expect(byScope('runtimeStorage')).toEqual(['appRuntimeBlobs']);
  });
});

describe('modules/monitoring.bicep', () => {
  it('turns Log Analytics local auth off', () => {
    const logs = prop(bodyOf(resource('modules/monitoring.bicep', 'logs'))!, 'properties')!;
    expect(prop(prop(logs, 'features')!, 'disableLocalAuth')!.text).toBe('true');
  });
});
