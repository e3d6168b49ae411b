// The sample Logic App (../logicapp/workflow.json): calls POST /api/provision with its user-assigned managed identity
// (App Service Authentication) and a function key (the second layer), and polls the run until it ends.
param location string
param tags object
param name string
param identityId string
param functionAppName string
param apiAudience string

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource workflow 'Microsoft.Logic/workflows@2019-05-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    state: 'Enabled'
    definition: loadJsonContent('../logicapp/workflow.json')
    parameters: {
      breakglassUrl: {
        value: 'https://${functionApp.properties.defaultHostName}/api'
      }
      apiAudience: {
        value: apiAudience
      }
      identity: {
        value: identityId
      }
      functionKey: {
        value: listKeys('${functionApp.id}/host/default', '2024-04-01').functionKeys.default
      }
    }
  }
}
