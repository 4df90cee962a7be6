// Optional network isolation (main.bicep vnetEnabled): private endpoints for every account
// and the namespace the app calls, public access off on them, the app in the virtual network.
import { all, bodyOf, defaultOf, moduleDecl, prop, resource, unquote, variable, type Node } from '../helpers/bicep';

const FILE = 'modules/network.bicep';
const paramsOf = (name: string): Node => prop(bodyOf(moduleDecl('main.bicep', name))!, 'params')!;

describe('main.bicep', () => {
  it('is off by default, and turns public network access off on every data service when on', () => {
    expect(defaultOf('main.bicep', 'vnetEnabled')).toBe('false');
    expect(moduleDecl('main.bicep', 'network').text).toContain('= if (vnetEnabled)');
    expect(variable('main.bicep', 'publicNetworkAccess').text).toBe("vnetEnabled ? 'Disabled' : 'Enabled'");
    for (const m of ['lake', 'state', 'runtimeStorage', 'eventHubs']) expect([m, prop(paramsOf(m), 'publicNetworkAccess')?.text]).toEqual([m, 'publicNetworkAccess']);
    expect(prop(paramsOf('functions'), 'virtualNetworkSubnetId')!.text).toBe("vnetEnabled ? network.outputs.appSubnetId : ''");
  });

  it('gives the network module every service the app calls', () => {
    expect(['lakeId', 'stateId', 'runtimeStorageId', 'eventHubsNamespaceId'].map((p) => prop(paramsOf('network'), p)!.text)).toEqual(['lake.outputs.id', 'state.outputs.id', 'runtimeStorage.outputs.id', 'eventHubs.outputs.namespaceId']);
  });
});

describe('modules/network.bicep', () => {
  const endpoints = all(variable(FILE, 'endpoints'), 'object').map((o) => `${prop(o, 'serviceId')!.text}:${unquote(prop(o, 'groupId')!.text)}`);
  const zones = Object.fromEntries(all(variable(FILE, 'zones'), 'object_property').map((p) => [p.namedChildren[0]!.text, unquote(p.namedChildren[1]!.text)]));

  it('puts a private endpoint on each endpoint the app uses: lake blob and dfs, state queue and table, runtime blob, Event Hubs', () => {
    expect(endpoints).toEqual(['lakeId:blob', 'lakeId:dfs', 'stateId:queue', 'stateId:table', 'runtimeStorageId:blob', 'eventHubsNamespaceId:namespace']);
  });

  it('registers each endpoint kind in its privatelink DNS zone, linked to the network', () => {
    expect(zones).toEqual({
      blob: 'privatelink.blob.${storageSuffix}', dfs: 'privatelink.dfs.${storageSuffix}', queue: 'privatelink.queue.${storageSuffix}', table: 'privatelink.table.${storageSuffix}', namespace: 'privatelink.servicebus.windows.net',
    });
    expect(prop(prop(bodyOf(resource(FILE, 'dnsLinks'))!, 'properties')!, 'virtualNetwork')!.text).toBe('{ id: vnet.id }');
    expect(prop(all(prop(prop(bodyOf(resource(FILE, 'privateDnsGroups'))!, 'properties')!, 'privateDnsZoneConfigs')!, 'object')[0]!, 'properties')!.text).toBe("{ privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', zones[e.groupId]) }");
  });

  it('delegates the app subnet to Microsoft.App/environments, as Flex Consumption requires', () => {
    const subnets = all(prop(prop(bodyOf(resource(FILE, 'vnet'))!, 'properties')!, 'subnets')!, 'object').filter((o) => prop(o, 'name'));
    const app = subnets.find((s) => unquote(prop(s, 'name')!.text) === 'app')!;
    expect(prop(prop(app, 'properties')!, 'delegations')!.text).toContain("serviceName: 'Microsoft.App/environments'");
  });
});

describe.each([['modules/lake.bicep', 'lake'], ['modules/state.bicep', 'state'], ['modules/runtime-storage.bicep', 'runtimeStorage']])('%s', (file, account) => {
  it('closes public access and denies by default when public network access is Disabled', () => {
    const props = prop(bodyOf(resource(file, account))!, 'properties')!;
    expect(prop(props, 'publicNetworkAccess')!.text).toBe('publicNetworkAccess');
    expect(prop(props, 'networkAcls')!.text).toBe("publicNetworkAccess == 'Disabled' ? { defaultAction: 'Deny', bypass: 'None' } : { defaultAction: 'Allow', bypass: 'AzureServices' }");
  });
});

describe('modules/eventhubs.bicep', () => {
  it('closes public access when public network access is Disabled', () => {
    expect(prop(prop(bodyOf(resource('modules/eventhubs.bicep', 'namespace'))!, 'properties')!, 'publicNetworkAccess')!.text).toBe('publicNetworkAccess');
  });
});
