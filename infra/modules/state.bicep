// Pipeline state: Table storage (dedup ledger, batch commits, documents, gold lease) and the
// Storage queue that hands bronze batches to silver (and its poison queue, which the Functions
// host fills after maxDequeueCount failures). No shared keys.

@description('Name of the state storage account (3-24 lowercase letters and digits).')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Name of the queue that hands bronze batches to silver.')
param silverQueueName string

@description('Redundancy of the state account (ZRS needs a region with availability zones; main.bicep picks).')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param skuName string = 'Standard_LRS'

@description('Public network access: Disabled when the app reaches the account through private endpoints.')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

var tables = ['orderlakeledger', 'orderlakecommits', 'orderlakedocuments', 'orderlakeleases']

resource state 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: publicNetworkAccess == 'Disabled' ? { defaultAction: 'Deny', bypass: 'None' } : { defaultAction: 'Allow', bypass: 'AzureServices' }
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
