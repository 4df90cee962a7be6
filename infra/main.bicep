// orderlake on Azure: one resource group with the lake, Event Hubs, the state account, the
// function app, its monitoring, alerts and workbook, all identity-only. Deploy with `azd up`,
// or `az deployment sub create -f infra/main.bicep -l <region> -p environmentName=<name> location=<region>`.
targetScope = 'subscription'

@description('Name of the environment (dev, prod, ...): used in resource names and tags.')
@minLength(1)
@maxLength(20)
param environmentName string

// Regions that offer Flex Consumption, as listed by the Azure-Samples Flex templates
// (functions-quickstart-typescript-azd infra/main.bicep, 2026-02). The list grows: check
// `az functionapp list-flexconsumption-locations` and add a region here when it appears.
@description('Azure region for every resource: one that offers the Flex Consumption plan.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'eastus2euap'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
param location string

@description('Partitions of the orders event hub (fixed once created on the Standard tier).')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 4

@description('Throughput units of the Event Hubs namespace (1 TU: 1 MB/s or 1,000 events/s in).')
@minValue(1)
@maxValue(40)
param eventHubThroughputUnits int = 1

@description('Days the hub keeps events: how long ingestion may stall before events are lost at the source. The Standard tier allows 1 to 7.')
@minValue(1)
@maxValue(7)
param eventHubRetentionDays int = 7

@description('Days after which bronze moves to the cool tier.')
param bronzeCoolAfterDays int = 30

@description('NCRONTAB schedule of the gold function (default every minute: a run costs what changed, so freshness is the schedule).')
param goldSchedule string = '0 * * * * *'

// Flex Consumption takes a maximum instance count from 40 to 1000 (Flex docs, "Considerations";
// the Azure-Samples Flex Bicep declares the same bounds).
@description('Most function instances the app scales out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

// Flex Consumption gives 1 CPU core per 2,048 MB and 2 per 4,096 MB, one size per app. Gold's
// largest run of a day at 1,000 events/s rewrites about 28 million orders: 30 to 33 µs per order
// on one core (840 to 930 s, past the 10-minute timeout), 16 to 18 on two
// (docs/performance-notes.md, stop 26).
@description('Memory per function instance (MB), which sets its CPU: 2048 (1 core) or 4096 (2 cores). 4096 by default: gold needs both cores above about 250 events/s (README, "Sizing"); 2048 halves the price of a second and suits slower streams.')
@allowed([2048, 4096])
param instanceMemoryMB int = 4096

@description('Redundancy of the three storage accounts. Empty: ZRS where the region has availability zones, LRS elsewhere.')
@allowed(['', 'Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSkuName string = ''

@description('Optional: object id of the deploying principal, given Event Hubs Data Sender (producer), Storage Blob Data Reader on the lake (Power BI), and queue and table roles on the state account (poison-replay). azd passes its signed-in principal.')
param principalId string = ''

@description('Type of principalId: User when a person deploys, ServicePrincipal when CI does (azd passes AZURE_PRINCIPAL_TYPE).')
@allowed(['User', 'Group', 'ServicePrincipal'])
param principalType string = 'User'

@description('Optional: e-mail address the alerts are sent to. Empty: the alerts are created without an action group (visible in the portal only).')
param alertEmail string = ''

@description('Alert when more than this percentage of the records silver took in during 30 minutes went to quarantine.')
@minValue(1)
@maxValue(100)
param alertQuarantinePercent int = 10

@description('Quarantine alert: the least records in the 30 minutes for the percentage to count (a few bad records in a quiet period are not an incident).')
@minValue(1)
param alertQuarantineMinRecords int = 200

@description('Alert when silver data older than this many minutes is not yet in gold (gold stopped, failing or too slow).')
@minValue(5)
param alertGoldLagMinutes int = 15

@description('Alert when a function fails at least this many times in 15 minutes (retries included).')
@minValue(1)
param alertFunctionFailures int = 3

@description('Alert when Event Hubs took in more events in the last hour than bronze wrote, by at least this many (the consumer is behind or stopped).')
@minValue(1)
param alertEventHubBacklogEvents int = 10000

@description('Network isolation: private endpoints for the three storage accounts and Event Hubs, public network access off on them, and the function app in a virtual network. Off by default; see README, "Network isolation".')
param vnetEnabled bool = false

var tags = { 'azd-env-name': environmentName, app: 'orderlake' }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var silverQueueName = 'silver-batches'

// Regions of the list above without availability zones (so without ZRS): Australia Southeast,
// North Central US, South India, UK West, West Central US, West US, and the canary East US 2
// EUAP (Azure "regions with availability zones", reliability docs).
var regionsWithoutZones = ['australiasoutheast', 'northcentralus', 'southindia', 'ukwest', 'westcentralus', 'westus', 'eastus2euap']
var storageSku = !empty(storageSkuName) ? storageSkuName : (contains(regionsWithoutZones, location) ? 'Standard_LRS' : 'Standard_ZRS')
var publicNetworkAccess = vnetEnabled ? 'Disabled' : 'Enabled'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-orderlake-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  name: 'identity'
  params: { name: 'id-orderlake-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: { logAnalyticsName: 'log-orderlake-${token}', appInsightsName: 'appi-orderlake-${token}', location: location, tags: tags }
}

module lake 'modules/lake.bicep' = {
  scope: rg
  name: 'lake'
  params: { name: take('stlake${token}', 24), location: location, tags: tags, bronzeCoolAfterDays: bronzeCoolAfterDays, skuName: storageSku, publicNetworkAccess: publicNetworkAccess }
}

module state 'modules/state.bicep' = {
  scope: rg
  name: 'state'
  params: { name: take('ststate${token}', 24), location: location, tags: tags, silverQueueName: silverQueueName, skuName: storageSku, publicNetworkAccess: publicNetworkAccess }
}

module eventHubs 'modules/eventhubs.bicep' = {
  scope: rg
  name: 'eventhubs'
  params: { namespaceName: 'evhns-orderlake-${token}', location: location, tags: tags, partitionCount: eventHubPartitionCount, capacity: eventHubThroughputUnits, retentionInDays: eventHubRetentionDays, publicNetworkAccess: publicNetworkAccess }
}

module runtimeStorage 'modules/runtime-storage.bicep' = {
  scope: rg
  name: 'runtime-storage'
  params: { name: take('stfunc${token}', 24), location: location, tags: tags, skuName: storageSku, publicNetworkAccess: publicNetworkAccess }
}

module network 'modules/network.bicep' = if (vnetEnabled) {
  scope: rg
  name: 'network'
  params: {
    name: 'vnet-orderlake-${token}'
    location: location
    tags: tags
    lakeId: lake.outputs.id
    stateId: state.outputs.id
    runtimeStorageId: runtimeStorage.outputs.id
    eventHubsNamespaceId: eventHubs.outputs.namespaceId
  }
}

// Roles come before the function app: a new assignment takes minutes to reach the storage
// front ends, and the first deployment right after provisioning writes the package to the
// runtime account as the app's identity (a 403 if the role is not there yet).
module roles 'modules/roles.bicep' = {
  scope: rg
  name: 'roles'
  params: {
    appPrincipalId: identity.outputs.principalId
    lakeName: lake.outputs.name
    stateName: state.outputs.name
    runtimeStorageName: runtimeStorage.outputs.name
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: eventHubs.outputs.hubName
    appInsightsName: monitoring.outputs.appInsightsName
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module functions 'modules/functions.bicep' = {
  scope: rg
  name: 'functions'
  params: {
    name: 'func-orderlake-${token}'
    location: location
    tags: tags
    runtimeStorageName: runtimeStorage.outputs.name
    deploymentContainerName: runtimeStorage.outputs.deploymentContainerName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    appInsightsName: monitoring.outputs.appInsightsName
    eventHubsNamespace: eventHubs.outputs.fullyQualifiedNamespace
    eventHubName: eventHubs.outputs.hubName
    consumerGroupName: eventHubs.outputs.consumerGroupName
    stateQueueUrl: state.outputs.queueUrl
    stateTableUrl: state.outputs.tableUrl
    silverQueueName: silverQueueName
    lakeDfsUrl: lake.outputs.dfsUrl
    goldSchedule: goldSchedule
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    virtualNetworkSubnetId: vnetEnabled ? network.outputs.appSubnetId : ''
  }
  dependsOn: [roles]
}

module diagnostics 'modules/diagnostics.bicep' = {
  scope: rg
  name: 'diagnostics'
  params: {
    location: location
    tags: tags
    workspaceName: monitoring.outputs.logAnalyticsName
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    stateName: state.outputs.name
    silverQueueName: silverQueueName
  }
}

// The same workspace again, now linked to the transformation rule that keeps only the
// poison queue's rows of the queue logs (a workspace and its rule refer to each other).
module monitoringLinked 'modules/monitoring.bicep' = {
  scope: rg
  name: 'monitoring-linked'
  params: { logAnalyticsName: 'log-orderlake-${token}', appInsightsName: 'appi-orderlake-${token}', location: location, tags: tags, dataCollectionRuleId: diagnostics.outputs.workspaceTransformsId }
}

module alerts 'modules/alerts.bicep' = {
  scope: rg
  name: 'alerts'
  params: {
    location: location
    tags: tags
    appInsightsId: monitoring.outputs.appInsightsId
    workspaceId: monitoring.outputs.logAnalyticsId
    eventHubsNamespaceId: eventHubs.outputs.namespaceId
    stateName: state.outputs.name
    silverQueueName: silverQueueName
    alertEmail: alertEmail
    quarantinePercent: alertQuarantinePercent
    quarantineMinRecords: alertQuarantineMinRecords
    goldLagMinutes: alertGoldLagMinutes
    functionFailures: alertFunctionFailures
    eventHubBacklogEvents: alertEventHubBacklogEvents
  }
  dependsOn: [diagnostics]
}

module workbook 'modules/workbook.bicep' = {
  scope: rg
  name: 'workbook'
  params: {
    location: location
    tags: tags
    appInsightsId: monitoring.outputs.appInsightsId
    workspaceId: monitoring.outputs.logAnalyticsId
    eventHubsNamespaceId: eventHubs.outputs.namespaceId
  }
}

// Named like the app settings they feed (and azd env values): endpoints and names only.
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functions.outputs.name
output AZURE_CLIENT_ID string = identity.outputs.clientId
output EventHubConnection__fullyQualifiedNamespace string = eventHubs.outputs.fullyQualifiedNamespace
output EVENTHUB_FULLY_QUALIFIED_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace
output EVENTHUB_NAME string = eventHubs.outputs.hubName
output EVENTHUB_CONSUMER_GROUP string = eventHubs.outputs.consumerGroupName
output StateStorage__queueServiceUri string = state.outputs.queueUrl
output SILVER_QUEUE_NAME string = silverQueueName
output GOLD_SCHEDULE string = goldSchedule
output LAKE_DFS_URL string = lake.outputs.dfsUrl
output STATE_TABLE_URL string = state.outputs.tableUrl
output WORKBOOK_ID string = workbook.outputs.id
