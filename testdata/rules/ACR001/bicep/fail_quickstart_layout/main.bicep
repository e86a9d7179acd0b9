@description('Location of the registry.')
param location string = 'westeurope'

@description('Whether the registry answers on its public endpoint.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Disabled'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: publicNetworkAccess
    adminUserEnabled: false
  }
}
