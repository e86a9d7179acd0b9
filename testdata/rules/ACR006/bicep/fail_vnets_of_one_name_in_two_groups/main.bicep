/*
  Two VNets of one name, made by one module (one deployment name) in two resource groups: the endpoint is in rg-network's
  `vnet-app`, and the zone is linked only to rg-app's. The finding names each VNet with its group.
*/
@description('Location of the registry, the networks and the endpoint.')
param location string = 'westeurope'

module appNetwork './network.bicep' = {
  name: 'network'
  scope: resourceGroup('rg-app')
  params: {
    location: location
  }
}

module sharedNetwork './network.bicep' = {
  name: 'network'
  scope: resourceGroup('rg-network')
  params: {
    location: location
  }
}

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

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.azurecr.io'
  location: 'global'

  resource link 'virtualNetworkLinks' = {
    name: 'link-vnet-app'
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: appNetwork.outputs.vnetId
      }
    }
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-acr'
  location: location
  properties: {
    subnet: {
      id: sharedNetwork.outputs.subnetId
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

  resource zoneGroup 'privateDnsZoneGroups' = {
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: 'config1'
          properties: {
            privateDnsZoneId: zone.id
          }
        }
      ]
    }
  }
}
