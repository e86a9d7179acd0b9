param suffix string = '02'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr${suffix'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
}
