// Platform telemetry the alerts and the workbook need beyond the app's own metrics, sent to
// the Log Analytics workspace:
// - Event Hubs metrics (AzureMetrics: IncomingMessages), to compare what the hub took in
//   with what bronze wrote. Standard Event Hubs has no consumer-lag metric of its own.
// - Queue operations of the state account (StorageQueueLogs), for the poison queue. Azure
//   Monitor's queue metrics cannot do it: QueueMessageCount has no queue dimension and is
//   refreshed hourly (supported metrics of Microsoft.Storage/storageAccounts/queueServices),
//   and the state account also holds the busy silver queue. The log has one row per request,
//   so a workspace transformation keeps only the rows of the poison queue: the silver
//   queue's two rows per batch (put, delete) would otherwise cost more than the pipeline.
//   StorageQueueLogs supports ingestion-time transformations (supported logs of
//   queueServices); main.bicep links the rule to the workspace (monitoring-linked).

@description('Azure region (of the workspace: a workspace transformation rule lives next to it).')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Event Hubs namespace.')
param eventHubsNamespaceName string

@description('Name of the state storage account.')
param stateName string

@description('Name of the silver queue; its poison queue is this name plus -poison.')
param silverQueueName string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsNamespaceName
}

resource state 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: stateName
}

resource stateQueues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: state
  name: 'default'
}

resource eventHubsMetrics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspace.id
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

// Writes (PutMessage: the host moving a message to the poison queue) and deletes
// (DeleteMessage: poison-replay taking it out); reads are not needed.
resource queueLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: stateQueues
  properties: {
    workspaceId: workspace.id
    logs: [
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
  }
}

resource workspaceTransforms 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: 'dcr-${workspaceName}-transforms'
  location: location
  tags: tags
  kind: 'WorkspaceTransforms'
  properties: {
    destinations: {
      logAnalytics: [{ name: 'workspace', workspaceResourceId: workspace.id }]
    }
    dataFlows: [
      {
        streams: ['Microsoft-Table-StorageQueueLogs']
        destinations: ['workspace']
        transformKql: 'source | where Uri contains "/${silverQueueName}-poison/"'
      }
    ]
  }
}

output workspaceTransformsId string = workspaceTransforms.id
