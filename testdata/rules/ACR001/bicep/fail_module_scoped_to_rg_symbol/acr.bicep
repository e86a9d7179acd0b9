@description('Location of the registry.')
param location string = resourceGroup().location

// Unique per resource group: the name depends on where the module is deployed.
var registryName = 'cr${uniqueString(resourceGroup().id)}'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: registryName
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Enabled'
    adminUserEnabled: false
  }
}

output id string = acr.id
