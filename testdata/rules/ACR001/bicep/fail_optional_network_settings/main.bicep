@description('Location of the registry.')
param location string = 'westeurope'

@description('Optional network settings: { access: { publicNetworkAccess: ... } }.')
param networkSettings object = {}

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    // No settings given: the safe access skips the whole chain, and the default applies.
    publicNetworkAccess: networkSettings.?access.publicNetworkAccess ?? 'Enabled'
    adminUserEnabled: false
    anonymousPullEnabled: false
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
    }
  }
}
