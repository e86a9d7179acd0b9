// The registry zone is the hub's, not declared here: the records are written into it by name.
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    adminUserEnabled: false
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
    }
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-acr'
  location: 'westeurope'
  properties: {
    subnet: {
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe'
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

resource login 'Microsoft.Network/privateDnsZones/A@2020-06-01' = {
  name: 'privatelink.azurecr.io/contosoacr01'
  properties: {
    ttl: 300
    aRecords: [
      {
        ipv4Address: '10.0.1.4'
      }
    ]
  }
}

resource dataEndpoint 'Microsoft.Network/privateDnsZones/A@2020-06-01' = {
  name: 'privatelink.azurecr.io/contosoacr01.westeurope.data'
  properties: {
    ttl: 300
    aRecords: [
      {
        ipv4Address: '10.0.1.5'
      }
    ]
  }
}
