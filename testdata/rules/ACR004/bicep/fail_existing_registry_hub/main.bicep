@description('Location of the registry, the network and the endpoint.')
param location string = 'westeurope'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-app'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'snet-pe'
        properties: {
          addressPrefix: '10.0.1.0/24'
        }
      }
    ]
  }
}

// The registry belongs to the platform team.
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' existing = {
  name: 'contosoacr01'
  scope: resourceGroup('rg-hub')
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-acr'
  location: location
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'snet-pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-acr'
        properties: {
          privateLinkServiceId: acr.id
          groupIds: [
            'registry'
          ]
        }
      }
    ]
  }
}
