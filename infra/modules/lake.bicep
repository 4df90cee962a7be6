// The data lake: ADLS Gen2 (hierarchical namespace) with one filesystem per layer. Shared
// keys are off; access is by Entra ID role only. Old bronze moves to the cool tier.

@description('Name of the lake storage account (3-24 lowercase letters and digits).')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Days after which bronze files move to the cool tier (bronze is only read for replays).')
param bronzeCoolAfterDays int = 30

@description('Redundancy of the lake storage account (ZRS needs a region with availability zones; main.bicep picks).')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param skuName string = 'Standard_LRS'

@description('Public network access: Disabled when readers come through a private endpoint (then Power BI needs a gateway in the virtual network).')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

var filesystems = ['bronze', 'silver', 'quarantine', 'gold']

resource lake 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    isHnsEnabled: true
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: publicNetworkAccess == 'Disabled' ? { defaultAction: 'Deny', bypass: 'None' } : { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: lake
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for fs in filesystems: {
  parent: blobService
  name: fs
  properties: { publicAccess: 'None' }
}]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: lake
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'bronze-to-cool'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['bronze/']
            }
            actions: {
              baseBlob: {
                tierToCool: { daysAfterModificationGreaterThan: bronzeCoolAfterDays }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [containers]
}

output id string = lake.id
output name string = lake.name
output dfsUrl string = lake.properties.primaryEndpoints.dfs
