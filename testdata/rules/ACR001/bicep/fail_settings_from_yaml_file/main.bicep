@description('Location of the registry.')
param location string = 'westeurope'

// Only the registry's part of the settings file.
var registry = loadYamlContent('settings.yaml', '$.registry')

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: registry.name
  location: location
  sku: {
    name: registry.sku
  }
  properties: {
    publicNetworkAccess: registry.publicNetworkAccess
    adminUserEnabled: false
    anonymousPullEnabled: false
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
    }
  }
}
