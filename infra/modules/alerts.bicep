// Alerts as code: one log search alert per way the pipeline can go wrong, each query in its
// own file under alerts/ (docs/telemetry.md explains them), and an action group that e-mails
// the operator. The app's metrics are queried where Application Insights keeps them
// (customMetrics, requests); platform data (Event Hubs metrics, queue logs) in the workspace
// that diagnostics.bicep sends it to.

@description('Azure region of the alert rules.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Resource id of the Application Insights component (customMetrics, requests).')
param appInsightsId string

@description('Resource id of the Log Analytics workspace (AzureMetrics, StorageQueueLogs, AppMetrics).')
param workspaceId string

@description('Resource id of the Event Hubs namespace, as it appears in AzureMetrics.')
param eventHubsNamespaceId string

@description('Name of the state storage account (the poison queue lives there).')
param stateName string

@description('Name of the silver queue; the Functions host names its poison queue this plus -poison.')
param silverQueueName string

@description('Optional: e-mail address the alerts are sent to. Empty: no action group; the alerts show in the portal only.')
param alertEmail string = ''

@description('Quarantine alert: percentage of the records silver took in during 30 minutes that went to quarantine, above which the alert fires.')
@minValue(1)
@maxValue(100)
param quarantinePercent int = 10

@description('Quarantine alert: the least records in the 30 minutes for the percentage to count.')
@minValue(1)
param quarantineMinRecords int = 200

@description('Gold lag alert: minutes silver data may wait for gold before the alert fires.')
@minValue(5)
param goldLagMinutes int = 15

@description('Function failure alert: failed invocations of one function in 15 minutes (retries included) at which the alert fires.')
@minValue(1)
param functionFailures int = 3

@description('Event Hubs backlog alert: events the hub took in during the last hour beyond those bronze wrote, above which the alert fires.')
@minValue(1)
param eventHubBacklogEvents int = 10000

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-orderlake'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'orderlake'
    enabled: true
    emailReceivers: [{ name: 'operator', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// Severity: 1 error (data is held back), 2 warning. Windows and frequencies are ISO 8601.
// skipQueryValidation for workspace queries: AzureMetrics, AppMetrics and StorageQueueLogs
// exist only once their first rows arrive, after this deployment.
var alerts = [
  {
    name: 'stopped-batches'
    displayName: 'orderlake: silver batches stopped by a fail rule'
    description: 'A fail rule (quarantine_ratio) stopped at least one silver batch in 15 minutes. The batch is retried, then waits in the poison queue; bronze keeps it. Fix the cause, then run orderlake poison-replay.'
    severity: 1
    scope: appInsightsId
    query: loadTextContent('alerts/stopped-batches.kql')
    measure: 'stoppedBatches'
    aggregation: 'Total'
    dimensions: [{ name: 'rule', operator: 'Include', values: ['*'] }]
    operator: 'GreaterThan'
    threshold: 0
    window: 'PT15M'
    frequency: 'PT5M'
  }
  {
    name: 'poison-queue'
    displayName: 'orderlake: messages in the poison queue'
    description: 'Silver batches moved to ${silverQueueName}-poison in the last day and not taken out again. Find the cause (failed function invocations, stopped batches), fix it, then run orderlake poison-replay. Poison messages expire after 7 days; bronze keeps the batches.'
    severity: 1
    scope: workspaceId
    query: replace(replace(loadTextContent('alerts/poison-queue.kql'), '{{STATE_ACCOUNT}}', stateName), '{{POISON_QUEUE}}', '${silverQueueName}-poison')
    measure: 'poisonMessages'
    aggregation: 'Maximum'
    dimensions: []
    operator: 'GreaterThan'
    threshold: 0
    window: 'P1D'
    frequency: 'PT15M'
  }
  {
    name: 'quarantine-rate'
    displayName: 'orderlake: quarantine rate above ${quarantinePercent}%'
    description: 'More than ${quarantinePercent}% of the records silver took in during 30 minutes (at least ${quarantineMinRecords} records) went to quarantine. See orderlake quarantine or the data_quality gold table for the rule codes.'
    severity: 2
    scope: appInsightsId
    query: replace(loadTextContent('alerts/quarantine-rate.kql'), '{{MIN_RECORDS}}', string(quarantineMinRecords))
    measure: 'quarantinePercent'
    aggregation: 'Maximum'
    dimensions: []
    operator: 'GreaterThan'
    threshold: quarantinePercent
    window: 'PT30M'
    frequency: 'PT10M'
  }
  {
    name: 'gold-lag'
    displayName: 'orderlake: gold more than ${goldLagMinutes} minutes behind silver'
    description: 'Silver data committed ${goldLagMinutes} or more minutes ago is not in gold yet: the gold timer is not running, its runs fail, or they take too long. Check the buildGold invocations and the health endpoint.'
    severity: 2
    scope: appInsightsId
    query: loadTextContent('alerts/gold-lag.kql')
    measure: 'goldLagMinutes'
    aggregation: 'Maximum'
    dimensions: []
    operator: 'GreaterThanOrEqual'
    threshold: goldLagMinutes
    window: 'PT1H'
    frequency: 'PT5M'
  }
  {
    name: 'function-failures'
    displayName: 'orderlake: function failures'
    description: 'A function failed ${functionFailures} or more times in 15 minutes (retries included). See the exceptions of that function in Application Insights.'
    severity: 2
    scope: appInsightsId
    query: loadTextContent('alerts/function-failures.kql')
    measure: 'failures'
    aggregation: 'Total'
    dimensions: [{ name: 'functionName', operator: 'Include', values: ['*'] }]
    operator: 'GreaterThanOrEqual'
    threshold: functionFailures
    window: 'PT15M'
    frequency: 'PT5M'
  }
  {
    name: 'eventhubs-backlog'
    displayName: 'orderlake: Event Hubs consumer behind'
    description: 'Event Hubs took in at least ${eventHubBacklogEvents} more events in the last hour than bronze wrote: ingestBronze is stopped, failing or too slow. Events older than the hub retention are lost.'
    severity: 2
    scope: workspaceId
    query: replace(loadTextContent('alerts/eventhubs-backlog.kql'), '{{EVENTHUBS_NAMESPACE_ID}}', eventHubsNamespaceId)
    measure: 'backlogEvents'
    aggregation: 'Maximum'
    dimensions: []
    operator: 'GreaterThanOrEqual'
    threshold: eventHubBacklogEvents
    window: 'PT1H'
    frequency: 'PT15M'
  }
]

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for a in alerts: {
  name: 'alert-orderlake-${a.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: a.displayName
    description: a.description
    severity: a.severity
    enabled: true
    scopes: [a.scope]
    evaluationFrequency: a.frequency
    windowSize: a.window
    criteria: {
      allOf: [
        {
          query: a.query
          timeAggregation: a.aggregation
          metricMeasureColumn: a.measure
          dimensions: a.dimensions
          operator: a.operator
          threshold: a.threshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    skipQueryValidation: a.scope == workspaceId
    actions: { actionGroups: empty(alertEmail) ? [] : [actionGroup.id] }
  }
}]

output ruleNames array = [for (a, i) in alerts: rules[i].name]
output actionGroupId string = empty(alertEmail) ? '' : actionGroup.id
