@description('Registry name.')
param name string

param location string

@allowed([
  'Standard'
  'Premium'
])
param sku string = 'Premium'

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: name
  location: location
  sku: {
    name: sku
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    adminUserEnabled: false
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
    }
  }
}

output id string = registry.id
output name string = registry.name
