param location string = 'westeurope'

/* The registry below was disabled during the incident review.
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr02'
  location: location
  sku: {
    name: 'Premium'
  }
}
