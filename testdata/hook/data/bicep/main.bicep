// The registry's public access is read from a text file at compile time.
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: loadTextContent('public-access.txt')
    adminUserEnabled: false
  }
}
