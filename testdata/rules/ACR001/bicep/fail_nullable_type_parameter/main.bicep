@description('Private endpoints to create for the registry; none when not given.')
type privateEndpointList = {
  @description('The subnet of the endpoint.')
  subnetResourceId: string
}[]?

// Of a nullable type: null when not given, so the registry is public (AVM's idiom).
param privateEndpoints privateEndpointList

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: !empty(privateEndpoints) ? 'Disabled' : 'Enabled'
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
    }
  }
}
