// Optional network isolation (main.bicep `vnetEnabled`), shaped like the azd Flex templates
// (Azure-Samples/functions-quickstart-*-azd, infra/app/vnet.bicep and
// storage-PrivateEndpoint.bicep): a virtual network with a subnet the function app joins
// (delegated to Microsoft.App/environments, as Flex Consumption requires) and a subnet of
// private endpoints, one per service the app calls, each registered in its privatelink DNS
// zone. The accounts and the namespace turn public network access off (their modules).
// Application Insights and Log Analytics stay on public endpoints (no private link scope).

@description('Name of the virtual network.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Address space of the virtual network.')
param addressPrefix string = '10.0.0.0/16'

@description('Subnet the function app joins (Flex Consumption: delegated to Microsoft.App/environments, /28 or larger).')
param appSubnetPrefix string = '10.0.1.0/24'

@description('Subnet of the private endpoints.')
param privateEndpointSubnetPrefix string = '10.0.2.0/24'

@description('Resource id of the lake storage account (blob and dfs endpoints: the Data Lake SDK uses both).')
param lakeId string

@description('Resource id of the state storage account (queue and table endpoints).')
param stateId string

@description('Resource id of the runtime storage account (blob endpoint: host state and the deployment package).')
param runtimeStorageId string

@description('Resource id of the Event Hubs namespace.')
param eventHubsNamespaceId string

var storageSuffix = environment().suffixes.storage
// One private DNS zone per endpoint kind (Azure "private endpoint DNS zone values").
var zones = {
  blob: 'privatelink.blob.${storageSuffix}'
  dfs: 'privatelink.dfs.${storageSuffix}'
  queue: 'privatelink.queue.${storageSuffix}'
  table: 'privatelink.table.${storageSuffix}'
  namespace: 'privatelink.servicebus.windows.net'
}
var endpoints = [
  { name: 'lake-blob', serviceId: lakeId, groupId: 'blob' }
  { name: 'lake-dfs', serviceId: lakeId, groupId: 'dfs' }
  { name: 'state-queue', serviceId: stateId, groupId: 'queue' }
  { name: 'state-table', serviceId: stateId, groupId: 'table' }
  { name: 'runtime-blob', serviceId: runtimeStorageId, groupId: 'blob' }
  { name: 'eventhubs', serviceId: eventHubsNamespaceId, groupId: 'namespace' }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [{ name: 'flex-consumption', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource dnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for z in items(zones): {
  name: z.value
  location: 'global'
  tags: tags
}]

resource dnsLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (z, i) in items(zones): {
  parent: dnsZones[i]
  name: '${name}-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnet.id }
  }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [for e in endpoints: {
  name: 'pe-${e.name}-${uniqueString(e.serviceId)}'
  location: location
  tags: tags
  properties: {
    subnet: { id: '${vnet.id}/subnets/private-endpoints' }
    privateLinkServiceConnections: [
      {
        name: e.name
        properties: { privateLinkServiceId: e.serviceId, groupIds: [e.groupId] }
      }
    ]
  }
}]

resource privateDnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [for (e, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: e.groupId
        properties: { privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', zones[e.groupId]) }
      }
    ]
  }
  dependsOn: [dnsZones, dnsLinks]
}]

output id string = vnet.id
output appSubnetId string = '${vnet.id}/subnets/app'
output privateEndpointSubnetId string = '${vnet.id}/subnets/private-endpoints'
