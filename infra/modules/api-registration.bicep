// The API's Entra app registration, the audience App Service Authentication validates. Callers need its app role
// (BREAKGLASS_REQUIRED_APP_ROLE, checked again by the app), and the service principal requires an assignment, so Entra
// itself refuses tokens to anyone not assigned. https://learn.microsoft.com/graph/templates/reference/applications
extension microsoftGraphV1

param uniqueName string
param displayName string

@description('Object ids of service principals (e.g. the Logic App\'s managed identity) that may call the API.')
param callerPrincipalIds array

var appRoleValue = 'Breakglass.Provision'
var appRoleId = guid(uniqueName, appRoleValue)
// api://<tenant id>/<name> is accepted without a verified domain.
var identifierUri = 'api://${tenant().tenantId}/${uniqueName}'

resource app 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  identifierUris: [identifierUri]
  // v2 tokens for every caller, managed identities included: issuer and audience (the client id) as the
  // authentication settings' v2.0 issuer expects.
  api: {
    requestedAccessTokenVersion: 2
  }
  appRoles: [
    {
      id: appRoleId
      value: appRoleValue
      displayName: 'Provision and verify emergency-access accounts'
      description: 'Start provisioning runs, read their status and run verification through the breakglass API.'
      allowedMemberTypes: ['Application']
      isEnabled: true
    }
  ]
}

resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: app.appId
  appRoleAssignmentRequired: true
}

resource callers 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [for callerId in callerPrincipalIds: {
  principalId: callerId
  resourceId: servicePrincipal.id
  appRoleId: appRoleId
}]

output clientId string = app.appId
output identifierUri string = identifierUri
output appRole string = appRoleValue
