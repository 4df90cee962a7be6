// orderlake on Azure: one resource group with the lake, Event Hubs, the state account, the
// function app and its monitoring, all identity-only. Deploy with `azd up`, or
// `az deployment sub create -f infra/main.bicep -l <region> -p environmentName=<name>`.
targetScope = 'subscription'

@description('Name of the environment (dev, prod, ...): used in resource names and tags.')
@minLength(1)
@maxLength(20)
param environmentName string

@description('Azure region for every resource.')
param location string

@description('Partitions of the orders event hub.')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 4

@description('Throughput units of the Event Hubs namespace.')
@minValue(1)
@maxValue(40)
param eventHubThroughputUnits int = 1

@description('Days after which bronze moves to the cool tier.')
param bronzeCoolAfterDays int = 30

@description('NCRONTAB schedule of the gold function (default every 5 minutes).')
param goldSchedule string = '0 */5 * * * *'

@description('Most function instances.')
param maximumInstanceCount int = 40

@description('Optional: object id of the deploying user, given Event Hubs Data Sender (producer) and Storage Blob Data Reader on the lake.')
param principalId string = ''

@description('Type of principalId.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param principalType string = 'User'

var tags = { 'azd-env-name': environmentName, app: 'orderlake' }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var silverQueueName = 'silver-batches'

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
  params: { name: take('stlake${token}', 24), location: location, tags: tags, bronzeCoolAfterDays: bronzeCoolAfterDays }
}

module state 'modules/state.bicep' = {
  scope: rg
  name: 'state'
  params: { name: take('ststate${token}', 24), location: location, tags: tags, silverQueueName: silverQueueName }
}

module eventHubs 'modules/eventhubs.bicep' = {
  scope: rg
  name: 'eventhubs'
  params: { namespaceName: 'evhns-orderlake-${token}', location: location, tags: tags, partitionCount: eventHubPartitionCount, capacity: eventHubThroughputUnits }
}

module functions 'modules/functions.bicep' = {
  scope: rg
  name: 'functions'
  params: {
    name: 'func-orderlake-${token}'
    location: location
    tags: tags
    runtimeStorageName: take('stfunc${token}', 24)
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
  }
}

module roles 'modules/roles.bicep' = {
  scope: rg
  name: 'roles'
  params: {
    appPrincipalId: identity.outputs.principalId
    lakeName: lake.outputs.name
    stateName: state.outputs.name
    runtimeStorageName: functions.outputs.runtimeStorageName
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: eventHubs.outputs.hubName
    appInsightsName: monitoring.outputs.appInsightsName
    userPrincipalId: principalId
    userPrincipalType: principalType
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
