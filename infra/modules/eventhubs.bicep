// Event Hubs: namespace (local auth off: Entra ID only), the orders hub and the consumer
// group the function reads with.

@description('Name of the Event Hubs namespace.')
param namespaceName string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Name of the event hub the producer sends orders to.')
param hubName string = 'orders'

@description('Partitions of the hub: the most parallel consumers it can have (fixed once created on the Standard tier).')
@minValue(1)
@maxValue(32)
param partitionCount int = 4

@description('Consumer group of the ingestBronze function.')
param consumerGroupName string = 'orderlake'

@description('Throughput units (1 TU: 1 MB/s or 1,000 events/s in).')
@minValue(1)
@maxValue(40)
param capacity int = 1

// Standard keeps events 1 to 7 days (Event Hubs quotas); beyond the retention, a stalled
// consumer loses events at the source.
@description('Days the hub keeps events: the replay window at the source, and how long ingestion may stall without losing events.')
@minValue(1)
@maxValue(7)
param retentionInDays int = 7

@description('Public network access: Disabled when the app reaches the namespace through a private endpoint (producers must then send from inside the virtual network).')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: capacity }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    isAutoInflateEnabled: false
    publicNetworkAccess: publicNetworkAccess
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionInDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: consumerGroupName
}

output namespaceId string = namespace.id
output hubId string = hub.id
output hubName string = hub.name
output consumerGroupName string = consumerGroup.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output namespaceName string = namespace.name
