// The pipeline's Azure Monitor workbook, deployed with the app: throughput per stage, silver
// outcomes, quarantine, duplicates, gold freshness and lag, Event Hubs in vs bronze, failures
// and the poison queue. Its content is workbook.json (the gallery's own format), with the
// resource ids filled in here.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Resource id of the Application Insights component the workbook opens on.')
param appInsightsId string

@description('Resource id of the Log Analytics workspace (Event Hubs metrics, queue logs).')
param workspaceId string

@description('Resource id of the Event Hubs namespace, as it appears in AzureMetrics.')
param eventHubsNamespaceId string

@description('Display name of the workbook.')
param displayName string = 'orderlake pipeline'

var content = replace(replace(replace(loadTextContent('workbook.json'), '__APP_INSIGHTS_ID__', appInsightsId), '__WORKSPACE_ID__', workspaceId), '__EVENTHUBS_NAMESPACE_ID__', eventHubsNamespaceId)

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name must be a GUID; this one is stable per component.
  name: guid(appInsightsId, 'orderlake-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: content
  }
}

output id string = workbook.id
