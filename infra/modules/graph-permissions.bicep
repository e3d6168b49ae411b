// Microsoft Graph application permissions of the app's identity, as app role assignments on its service principal
// (a managed identity has no consent screen). Requires the Microsoft Graph Bicep extension (../bicepconfig.json) and a
// deployer who may grant app roles (Privileged Role Administrator).
// https://learn.microsoft.com/graph/templates/reference/approleassignedto
extension microsoftGraphV1

@description('Object id of the identity\'s service principal (the managed identity\'s principalId).')
param principalId string

@description('Grants the Temporary Access Pass permission below.')
param enableTemporaryAccessPass bool

// Exactly the union of the Graph permissions the steps declare (Step.permissions()), also listed in
// docs/permissions.md; InfraConsistencyTest fails when they differ, naming the permission.
var graphPermissions = [
  'Application.Read.All'
  'AuditLog.Read.All'
  'Domain.Read.All'
  'Group.Create'
  'GroupMember.Read.All'
  'GroupMember.ReadWrite.All'
  'Organization.Read.All'
  'Policy.Read.All'
  'Policy.ReadWrite.ConditionalAccess'
  'RoleAssignmentSchedule.Read.Directory'
  'RoleAssignmentSchedule.ReadWrite.Directory'
  'RoleManagement.Read.Directory'
  'RoleManagement.ReadWrite.Directory'
  'User.Read.All'
  'User.ReadWrite.All'
  'UserAuthenticationMethod.Read.All'
]

// Granted only with enableTemporaryAccessPass (the app setting BREAKGLASS_TAP_ENABLED): issuing a Temporary Access
// Pass writes authentication methods, which nothing else needs.
var temporaryAccessPassPermissions = [
  'UserAuthenticationMethod.ReadWrite.All'
]

resource graph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: '00000003-0000-0000-c000-000000000000'
}

resource grants 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [for permission in graphPermissions: {
  principalId: principalId
  resourceId: graph.id
  appRoleId: filter(graph.appRoles, role => role.value == permission && contains(role.allowedMemberTypes, 'Application'))[0].id
}]

resource temporaryAccessPassGrants 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [for permission in temporaryAccessPassPermissions: if (enableTemporaryAccessPass) {
  principalId: principalId
  resourceId: graph.id
  appRoleId: filter(graph.appRoles, role => role.value == permission && contains(role.allowedMemberTypes, 'Application'))[0].id
}]
