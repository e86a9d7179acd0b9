// A user-defined type makes the compiler emit languageVersion 2.0.
type registrySku = 'Basic' | 'Standard' | 'Premium'

param location string = 'westeurope'

param sku registrySku = 'Basic'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'acr${uniqueString(resourceGroup().id)}'
  location: location
  sku: {
    name: sku
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
    }
  }
}
