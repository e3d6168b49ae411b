// The action group every alert goes to, the alert on the app's own drift reports, the alert on its security events,
// and the dead-man's switch: an
// alert when verification has not reported for twice its interval (the app stopped, crashed, lost its identity...),
// which needs nothing from the app to fire.
//
// The action group is the one the ActionGroup step (BG.1008) owns, with the same name, short name and receivers named
// as the step names them (email-1, sms-1, webhook-1, logicapp-1), so the app finds it up to date: Bicep creates it
// first so that the heartbeat alert can notify before the app has ever run.
param location string
param tags object
param appInsightsId string
param actionGroupName string
param actionGroupShortName string
param emails array
param sms array
@secure()
param webhooks string
@secure()
param logicApps string
param verifyIntervalMinutes int

var webhookUris = filter(map(split(webhooks, ','), uri => trim(uri)), uri => !empty(uri))
var logicAppEntries = filter(map(split(logicApps, ','), pair => trim(pair)), pair => !empty(pair))
var logicAppPairs = map(logicAppEntries, pair => filter(split(pair, ' '), part => !empty(part)))

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: actionGroupShortName
    enabled: true
    emailReceivers: [for (email, i) in emails: {
      name: 'email-${i + 1}'
      emailAddress: email
      useCommonAlertSchema: true
    }]
    smsReceivers: [for (number, i) in sms: {
      name: 'sms-${i + 1}'
      countryCode: replace(split(trim(number), ' ')[0], '+', '')
      phoneNumber: join(skip(split(trim(number), ' '), 1), '')
    }]
    webhookReceivers: [for (uri, i) in webhookUris: {
      name: 'webhook-${i + 1}'
      serviceUri: uri
      useCommonAlertSchema: true
      useAadAuth: false
    }]
    logicAppReceivers: [for (pair, i) in logicAppPairs: {
      name: 'logicapp-${i + 1}'
      resourceId: pair[0]
      callbackUrl: last(pair)
      useCommonAlertSchema: true
    }]
  }
}

// VerifyFunction logs one line per verification, e.g.
//   breakglass.verify outcome=Drifted checks=24 passed=21 failed=2 errors=1 skipped=0 drift=3
// Only counts and the outcome: no names, ids or secrets. VerifyLogLineTest keeps the format and these queries in step.
var verifyEvents = 'traces | where message startswith "breakglass.verify "'

resource driftAlert 'Microsoft.Insights/scheduledQueryRules@2021-08-01' = {
  name: 'breakglass-drift'
  location: location
  tags: tags
  properties: {
    displayName: 'breakglass: verification found drift or could not check'
    description: 'A scheduled verification reported checks that failed or could not be made. GET /api/status?format=markdown names them.'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: '${verifyEvents} | extend drift = toint(extract(@"\\bdrift=(\\d+)", 1, message)) | where drift > 0'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

resource heartbeatAlert 'Microsoft.Insights/scheduledQueryRules@2021-08-01' = {
  name: 'breakglass-heartbeat'
  location: location
  tags: tags
  properties: {
    displayName: 'breakglass: verification has not reported'
    description: 'No verification report for twice the verification interval: the emergency accounts are not being watched.'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT${2 * verifyIntervalMinutes}M'
    criteria: {
      allOf: [
        {
          query: verifyEvents
          timeAggregation: 'Count'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

// FunctionsApp.securityEvent logs one warning per security event, e.g.
//   SECURITY: rejected a queue message that names no run
//   SECURITY: refused to start a provisioning run: 24 runs already started today (BREAKGLASS_MAX_RUNS_PER_DAY)
// A forged or tampered queue message, or a flood of provisioning requests, is somebody probing the emergency accounts:
// every one alerts. The events go through a named java.util.logging logger, not the invocation's, so the worker may
// forward them as console output with a timestamp and level in front: the query matches the marker anywhere in the
// line. SecurityEventTest keeps this marker and FunctionsApp.SECURITY_EVENT in step.
var securityEvents = 'traces | where message contains "SECURITY: "'

resource securityEventAlert 'Microsoft.Insights/scheduledQueryRules@2021-08-01' = {
  name: 'breakglass-security-event'
  location: location
  tags: tags
  properties: {
    displayName: 'breakglass: security event'
    description: 'The app refused a forged, tampered or unknown queue message, or a provisioning request beyond its daily limit. The function logs carry the event.'
    severity: 0
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: securityEvents
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}
