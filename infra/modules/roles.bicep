// Least-privilege role assignments, each named guid(scope, principal, role) so that a
// redeployment finds the same assignment instead of failing on a duplicate. main.bicep
// deploys this module before the function app: an assignment takes minutes to propagate.

@description('Principal id of the function app identity.')
param appPrincipalId string

@description('Name of the lake storage account.')
param lakeName string

@description('Name of the state storage account.')
param stateName string

@description('Name of the function app runtime storage account.')
param runtimeStorageName string

@description('Name of the Event Hubs namespace.')
param eventHubsNamespaceName string

@description('Name of the event hub.')
param eventHubName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Optional: a user (or group, or service principal) who sends with the producer, reads the lake and runs poison-replay, e.g. the deploying principal. Empty: none.')
param userPrincipalId string = ''

@description('Type of that principal (azd passes User, or ServicePrincipal when it runs in CI).')
@allowed(['User', 'Group', 'ServicePrincipal'])
param userPrincipalType string = 'User'

// Built-in role definition ids.
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  blobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  tableDataReader: '76199698-9eea-4c19-bc75-cec21354c6b6'
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource lake 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: lakeName
}

resource state 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: stateName
}

resource runtimeStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: runtimeStorageName
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsNamespaceName
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' existing = {
  parent: namespace
  name: eventHubName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// The app reads the hub (not the namespace).
resource appHubReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hub.id, appPrincipalId, roles.eventHubsDataReceiver)
  scope: hub
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventHubsDataReceiver) }
}

// The app writes bronze, silver, quarantine and gold.
resource appLakeContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(lake.id, appPrincipalId, roles.blobDataContributor)
  scope: lake
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor) }
}

// Queue (bronze to silver) and tables (ledger, commits, documents, lease) on the state account.
resource appStateQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(state.id, appPrincipalId, roles.queueDataContributor)
  scope: state
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor) }
}

resource appStateTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(state.id, appPrincipalId, roles.tableDataContributor)
  scope: state
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor) }
}

// The Functions host keeps its own state in the runtime account's blobs (Event Hubs
// checkpoints, timer and singleton leases) and the platform writes the deployment package
// there as this identity. Blobs only: queues and tables there serve Durable Functions and
// the MCP trigger, which this app does not use (the azd Flex templates set enableQueue and
// enableTable false for the same reason).
resource appRuntimeBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(runtimeStorage.id, appPrincipalId, roles.blobDataOwner)
  scope: runtimeStorage
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner) }
}

// Telemetry with Entra ID (Application Insights local auth is off).
resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher) }
}

// Optional: the deploying principal sends with the producer, reads the lake (Power BI,
// DuckDB), moves poison messages back (`orderlake poison-replay`: peek, receive, send,
// delete) and reads the state tables (ledger, commits) when investigating.
resource userHubSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(hub.id, userPrincipalId, roles.eventHubsDataSender)
  scope: hub
  properties: { principalId: userPrincipalId, principalType: userPrincipalType, roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventHubsDataSender) }
}

resource userLakeReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(lake.id, userPrincipalId, roles.blobDataReader)
  scope: lake
  properties: { principalId: userPrincipalId, principalType: userPrincipalType, roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataReader) }
}

resource userStateQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(state.id, userPrincipalId, roles.queueDataContributor)
  scope: state
  properties: { principalId: userPrincipalId, principalType: userPrincipalType, roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor) }
}

resource userStateTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(state.id, userPrincipalId, roles.tableDataReader)
  scope: state
  properties: { principalId: userPrincipalId, principalType: userPrincipalType, roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataReader) }
}
