param location string = 'westeurope'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr02'
  location: location
  sku: {
    name: 'Premium'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.azurecr.io'
  location: 'global'
}}
]
