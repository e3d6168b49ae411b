// The Function App on Flex Consumption (Linux, Java 17) with the user-assigned identity, its app settings, and App
// Service Authentication in front of the API: tokens for the API's audience, from the allowed applications only;
// function keys stay the second layer (the HTTP triggers are authLevel FUNCTION).
// https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to
param location string
param tags object
param name string
param planName string
param identityId string
param deploymentContainerUrl string
param appSettings object
param enableAuthentication bool
param apiClientId string
param apiIdentifierUri string
param allowedApplications array

// The Java version of the pom (maven.compiler.release and the azure-functions-maven-plugin's javaVersion).
var javaVersion = '17'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: 40
      }
      // Flex Consumption takes the runtime here; FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not
      // app settings on this plan (the host is always 4.x, matching host.json's extension bundle [4.*, 5.0.0)).
      runtime: {
        name: 'java'
        version: javaVersion
      }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

resource authentication 'Microsoft.Web/sites/config@2024-04-01' = if (enableAuthentication) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: apiClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          // v2 tokens carry the client id; the identifier URI is what callers ask a token for.
          allowedAudiences: [
            apiIdentifierUri
            apiClientId
          ]
          defaultAuthorizationPolicy: {
            allowedApplications: allowedApplications
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
