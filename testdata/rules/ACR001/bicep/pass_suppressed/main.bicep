param location string = 'westeurope'

// Partners pull the base images from the internet.
// acrlint:ignore ACR001 partners pull over the internet; reviewed by security (SEC-412)
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosopublic01'
  location: location
  sku: {
    name: 'Standard'
  }
  properties: {
    publicNetworkAccess: 'Enabled'
    anonymousPullEnabled: false
  }
}
