// Pipeline state: Table storage (dedup ledger, batch commits, documents, gold lease) and the
// Storage queue that hands bronze batches to silver (and its poison queue). No shared keys.

@description('Name of the state storage account (3-24 lowercase letters and digits).')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Name of the queue that hands bronze batches to silver.')
param silverQueueName string

var tables = ['orderlakeledger', 'orderlakecommits', 'orderlakedocuments', 'orderlakeleases']

resource state 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: state
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for q in [silverQueueName, '${silverQueueName}-poison']: {
  parent: queueService
  name: q
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: state
  name: 'default'
}

resource stateTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for t in tables: {
  parent: tableService
  name: t
}]

output id string = state.id
output name string = state.name
output tableUrl string = state.properties.primaryEndpoints.table
output queueUrl string = state.properties.primaryEndpoints.queue
