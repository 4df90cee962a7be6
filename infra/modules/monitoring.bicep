// Log Analytics and Application Insights. Local (key) auth is off on both: telemetry is sent
// with Entra ID (the function app's identity holds Monitoring Metrics Publisher) and queries
// sign in with Entra ID too.

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Days of log retention.')
param retentionInDays int = 30

@description('Optional: resource id of the workspace transformation rule (kind WorkspaceTransforms) that filters data on its way in. Empty on the first pass: the rule needs the workspace first.')
param dataCollectionRuleId string = ''

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: { disableLocalAuth: true }
    defaultDataCollectionRuleResourceId: empty(dataCollectionRuleId) ? null : dataCollectionRuleId
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

output appInsightsId string = appInsights.id
output appInsightsName string = appInsights.name
output logAnalyticsId string = logs.id
output logAnalyticsName string = logs.name
