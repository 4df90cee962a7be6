// The function app on Flex Consumption (Linux, Node 22) and every app setting the code reads.
// Connections are identity-based: settings hold endpoints and the identity to use, never keys.
// siteConfig holds only what Flex accepts: Flex rejects FtpsState, Use32BitWorkerProcess,
// NetFrameworkVersion, LinuxFxVersion and more with ARM error 51021 in newer regions
// (Azure/terraform-azurerm-avm-res-web-site#345, #360); Microsoft's Flex quickstart sets only
// minTlsVersion. FTP is off anyway: the basic publishing credential policies below.

@description('Name of the function app.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Name of the runtime storage account (host state, deployment package), made by runtime-storage.bicep.')
param runtimeStorageName string

@description('Blob container of the runtime account that holds the deployment package.')
param deploymentContainerName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (for identity-based connections).')
param identityClientId string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Fully qualified Event Hubs namespace, e.g. ns.servicebus.windows.net.')
param eventHubsNamespace string

@description('Name of the event hub.')
param eventHubName string

@description('Consumer group of the ingestBronze function.')
param consumerGroupName string

@description('Queue endpoint of the state account.')
param stateQueueUrl string

@description('Table endpoint of the state account.')
param stateTableUrl string

@description('Name of the queue from bronze to silver.')
param silverQueueName string

@description('DFS endpoint of the lake account.')
param lakeDfsUrl string

@description('NCRONTAB schedule of the gold function.')
param goldSchedule string

@description('Most instances the app scales out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance (MB); Flex Consumption gives 1 CPU core per 2,048 MB. main.bicep chooses it.')
@allowed([2048, 4096])
param instanceMemoryMB int

@description('Optional: subnet (delegated to Microsoft.App/environments) the app joins for outbound traffic to private endpoints. Empty: no virtual network.')
param virtualNetworkSubnetId string = ''

resource runtimeStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: runtimeStorageName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'orderlake' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${runtimeStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: instanceMemoryMB }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Host storage, by identity: blobs only (Event Hubs checkpoints, timer leases).
        { name: 'AzureWebJobsStorage__accountName', value: runtimeStorage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        // Telemetry: the connection string only locates the component (it holds no secret);
        // ingestion is authenticated with Entra ID because local auth is off.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // Event Hubs trigger (binding connection "EventHubConnection").
        { name: 'EventHubConnection__fullyQualifiedNamespace', value: eventHubsNamespace }
        { name: 'EventHubConnection__credential', value: 'managedidentity' }
        { name: 'EventHubConnection__clientId', value: identityClientId }
        { name: 'EVENTHUB_NAME', value: eventHubName }
        { name: 'EVENTHUB_CONSUMER_GROUP', value: consumerGroupName }
        // Queue trigger and output (binding connection "StateStorage").
        { name: 'StateStorage__queueServiceUri', value: stateQueueUrl }
        { name: 'StateStorage__credential', value: 'managedidentity' }
        { name: 'StateStorage__clientId', value: identityClientId }
        { name: 'SILVER_QUEUE_NAME', value: silverQueueName }
        { name: 'GOLD_SCHEDULE', value: goldSchedule }
        // Read by our code (src/azure/settings.ts).
        { name: 'LAKE_DFS_URL', value: lakeDfsUrl }
        { name: 'STATE_TABLE_URL', value: stateTableUrl }
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
      ]
    }
  }
}

// No publishing with user names and passwords: deployments sign in with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

output name string = app.name
output id string = app.id
output hostName string = app.properties.defaultHostName
