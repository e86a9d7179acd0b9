// A string of two billion spaces: refused before it is built.
var padded = format('{0,2000000000}', 'x')

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'acr${length(padded)}'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: length(padded) > 0 ? 'Enabled' : 'Disabled'
  }
}
