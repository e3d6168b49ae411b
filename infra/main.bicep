// breakglass on Azure: a Flex Consumption Function App (Linux, Java 17) with a user-assigned identity that holds
// exactly the permissions the steps declare, its storage, Key Vault, Log Analytics + Application Insights, the alert
// action group, an alert on the app's own drift reports and a dead-man's switch on its heartbeat.
//
// Resource-group scope, so both `azd up` and `az deployment group create` deploy it. The deployer needs Owner (or
// Contributor + Role Based Access Control Administrator) on the resource group, and in Entra ID the rights to grant
// Microsoft Graph application permissions (Privileged Role Administrator) and to create the API's app registration
// (Application Developer). One tenant-scope grant cannot be made from here: see infra/README.md, "One-time tenant step".
//
// InfraConsistencyTest (src/test/java/dev/breakglass/infra) reads this file as text: every app setting the code reads
// must be in `appSettings` below, nothing else may be, and the Graph permissions in modules/graph-permissions.bicep
// must equal what the steps declare.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(32)
@description('Name of the environment (azd); makes the resource names unique.')
param environmentName string

@description('Region of every resource. Flex Consumption is offered in a subset of regions.')
param location string = resourceGroup().location

@minLength(1)
@description('Email addresses that receive the alerts (sign-in and audit of the accounts, drift, missing heartbeat).')
param alertEmails array

@description('Phone numbers for SMS alerts, each "+<country code> <number>", e.g. "+1 5551234567".')
param alertSms array = []

@secure()
@description('Comma-separated https webhook URLs that receive the alerts; secrets, never printed.')
param alertWebhooks string = ''

@secure()
@description('Comma-separated "<workflow resource id> <https callback URL>" pairs of Logic Apps that receive the alerts.')
param alertLogicApps string = ''

@minValue(1)
@maxValue(10)
param accountCount int = 2
param upnPrefix string = 'bg'
param displayName string = 'Emergency access'
param exclusionGroupName string = 'breakglass-ca-exclusion'

@description('Ids of Conditional Access policies meant to target the accounts (never modified).')
param conditionalAccessAllowList array = []

@description('true: verification heals drift by starting a provisioning run; false: it only reports.')
param remediation bool = false

@description('How often the app verifies, in minutes. The schedule is derived from it, and the heartbeat alert fires after twice this long without a report.')
@allowed([15, 30, 60, 120, 180, 240, 360, 720, 1440])
param verifyIntervalMinutes int = 60

@description('App Service Authentication in front of the API: only the allowed applications (and the Logic App sample) get in; function keys stay the second layer.')
param enableAppServiceAuthentication bool = true

@description('Client (application) ids of the automation allowed to call the API, besides the Logic App sample.')
param allowedCallerApplicationIds array = []

@description('Deploys infra/logicapp/workflow.json, calling the API with its own managed identity (needs enableAppServiceAuthentication).')
param deployLogicApp bool = false

// The app setting BREAKGLASS_TAP_ENABLED takes this value, and UserAuthenticationMethod.ReadWrite.All is granted only
// when it is true (modules/graph-permissions.bicep): that permission can reach any account's sign-in methods.
@description('Lets breakglass issue a Temporary Access Pass for passkey registration (grants UserAuthenticationMethod.ReadWrite.All).')
param enableTemporaryAccessPass bool = false

@description('Lifetime of a Temporary Access Pass breakglass issues, in minutes (Entra allows 10 to 43200).')
@minValue(10)
@maxValue(43200)
param temporaryAccessPassLifetimeMinutes int = 60

@description('The validation drill: each account must have signed in successfully within this many days.')
@minValue(1)
@maxValue(365)
param drillWindowDays int = 90

@description('Provisioning runs POST /api/provision may start per UTC day; beyond it the answer is 429 and a security event is logged.')
@minValue(1)
@maxValue(1440)
param maxRunsPerDay int = 24

var resourceToken = toLower(uniqueString(resourceGroup().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-breakglass-${resourceToken}'
var actionGroupName = 'breakglass-alerts'
var actionGroupShortName = 'breakglass'
// environment().resourceManager ends with '/'; the app appends '/providers/…' itself.
var armEndpoint = environment().resourceManager
var resourceManagerEndpoint = endsWith(armEndpoint, '/') ? take(armEndpoint, length(armEndpoint) - 1) : armEndpoint
// Six-field NCRONTAB in UTC: every N minutes below an hour, every N hours from there.
var verifySchedule = verifyIntervalMinutes < 60 ? '0 */${verifyIntervalMinutes} * * * *' : '0 0 */${verifyIntervalMinutes / 60} * * *'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-breakglass-${resourceToken}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: 'log-breakglass-${resourceToken}'
    appInsightsName: 'appi-breakglass-${resourceToken}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: 'stbg${resourceToken}'
    deploymentContainerName: 'app-package'
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: 'kv-bg-${resourceToken}'
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.properties.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: vault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module graphPermissions 'modules/graph-permissions.bicep' = {
  name: 'graph-permissions'
  params: {
    principalId: identity.properties.principalId
    enableTemporaryAccessPass: enableTemporaryAccessPass
  }
}

module api 'modules/api-registration.bicep' = if (enableAppServiceAuthentication) {
  name: 'api-registration'
  params: {
    uniqueName: 'breakglass-api-${resourceToken}'
    displayName: 'breakglass API (${environmentName})'
    callerPrincipalIds: deployLogicApp ? [logicAppIdentity.properties.principalId] : []
  }
}

resource logicAppIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = if (deployLogicApp) {
  name: 'id-breakglass-logicapp-${resourceToken}'
  location: location
  tags: tags
}

// Every setting the app reads (spec/Setting and the Functions app), and the platform settings it needs: nothing else.
var appSettings = {
  BREAKGLASS_TENANT_ID: tenant().tenantId
  BREAKGLASS_KEY_VAULT_URI: vault.outputs.uri
  BREAKGLASS_ACCOUNT_COUNT: string(accountCount)
  BREAKGLASS_UPN_PREFIX: upnPrefix
  BREAKGLASS_DISPLAY_NAME: displayName
  BREAKGLASS_EXCLUSION_GROUP_NAME: exclusionGroupName
  BREAKGLASS_CA_ALLOW_LIST: join(conditionalAccessAllowList, ',')
  BREAKGLASS_REMEDIATION: remediation ? 'true' : 'false'
  BREAKGLASS_GRAPH_ENDPOINT: '${environment().graph}v1.0'
  BREAKGLASS_ARM_ENDPOINT: resourceManagerEndpoint
  BREAKGLASS_CREDENTIAL: 'managed-identity'
  BREAKGLASS_MANAGED_IDENTITY_CLIENT_ID: identity.properties.clientId
  BREAKGLASS_VERIFY_SCHEDULE: verifySchedule
  BREAKGLASS_REQUIRED_APP_ROLE: enableAppServiceAuthentication ? api.outputs.appRole : ''
  BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID: monitoring.outputs.workspaceId
  BREAKGLASS_MONITORING_RESOURCE_GROUP: resourceGroup().name
  BREAKGLASS_ALERT_LOCATION: location
  BREAKGLASS_DIAGNOSTIC_SETTING_NAME: 'breakglass-entra-logs'
  BREAKGLASS_ACTION_GROUP_NAME: actionGroupName
  BREAKGLASS_ACTION_GROUP_SHORT_NAME: actionGroupShortName
  BREAKGLASS_ALERT_EMAILS: join(alertEmails, ',')
  BREAKGLASS_ALERT_SMS: join(alertSms, ',')
  BREAKGLASS_ALERT_WEBHOOKS: alertWebhooks
  BREAKGLASS_ALERT_LOGIC_APPS: alertLogicApps
  BREAKGLASS_SIGN_IN_ALERT_RULE_NAME: 'breakglass-sign-in'
  BREAKGLASS_AUDIT_ALERT_RULE_NAME: 'breakglass-audit'
  BREAKGLASS_TAP_ENABLED: enableTemporaryAccessPass ? 'true' : 'false'
  BREAKGLASS_TAP_LIFETIME_MINUTES: string(temporaryAccessPassLifetimeMinutes)
  BREAKGLASS_DRILL_WINDOW_DAYS: string(drillWindowDays)
  BREAKGLASS_MAX_RUNS_PER_DAY: string(maxRunsPerDay)
  // Host storage through the identity, no shared key (StorageConnection reads the queue and table endpoints).
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  // Application Insights with local authentication off: the identity publishes telemetry through Entra ID.
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    name: functionAppName
    planName: 'plan-breakglass-${resourceToken}'
    identityId: identity.id
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}app-package'
    appSettings: appSettings
    enableAuthentication: enableAppServiceAuthentication
    apiClientId: enableAppServiceAuthentication ? api.outputs.clientId : ''
    apiIdentifierUri: enableAppServiceAuthentication ? api.outputs.identifierUri : ''
    allowedApplications: union(allowedCallerApplicationIds, deployLogicApp ? [logicAppIdentity.properties.clientId] : [])
  }
  dependsOn: [
    roles
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: tags
    appInsightsId: monitoring.outputs.appInsightsId
    actionGroupName: actionGroupName
    actionGroupShortName: actionGroupShortName
    emails: alertEmails
    sms: alertSms
    webhooks: alertWebhooks
    logicApps: alertLogicApps
    verifyIntervalMinutes: verifyIntervalMinutes
  }
}

module logicApp 'modules/logicapp.bicep' = if (deployLogicApp && enableAppServiceAuthentication) {
  name: 'logicapp'
  params: {
    location: location
    tags: tags
    name: 'logic-breakglass-${resourceToken}'
    identityId: deployLogicApp ? logicAppIdentity.id : ''
    functionAppName: functionApp.outputs.name
    apiAudience: api.outputs.identifierUri
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output BREAKGLASS_API_URL string = '${functionApp.outputs.url}/api'
output BREAKGLASS_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output BREAKGLASS_KEY_VAULT_URI string = vault.outputs.uri
