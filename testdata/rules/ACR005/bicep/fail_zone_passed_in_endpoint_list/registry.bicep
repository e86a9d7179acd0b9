@description('Location of the registry and its endpoints.')
param location string

@description('The private endpoints to create: the subnet and the DNS zones of each.')
param privateEndpoints array = []

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Disabled'
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
    }
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = [for (endpoint, i) in privateEndpoints: {
  name: 'pe-${acr.name}-${i}'
  location: location
  properties: {
    subnet: {
      id: endpoint.subnetResourceId
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-${acr.name}-${i}'
        properties: {
          privateLinkServiceId: acr.id
          groupIds: [
            'registry'
          ]
        }
      }
    ]
  }
}]

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [for (endpoint, i) in privateEndpoints: {
  parent: pe[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [for zoneId in endpoint.privateDnsZoneResourceIds: {
      name: last(split(zoneId, '/'))
      properties: {
        privateDnsZoneId: zoneId
      }
    }]
  }
}]
