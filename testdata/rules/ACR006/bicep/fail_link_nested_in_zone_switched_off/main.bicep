/*
  A switch chooses between a registry zone the platform team keeps in this resource group,
  linked here to the endpoint's network, and a zone of this deployment. The link is nested in
  the platform's zone, so it is deployed only with it: by default the deployment creates its
  own zone and leaves it unlinked.
*/
@description('Use the platform team\'s registry zone instead of creating one.')
param usePlatformZone bool = false

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

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = if (!usePlatformZone) {
  name: 'privatelink.azurecr.io'
  location: 'global'
}

resource platformZone 'Microsoft.Network/privateDnsZones@2024-06-01' existing = if (usePlatformZone) {
  name: 'privatelink.azurecr.io'

  resource link 'virtualNetworkLinks' = {
    name: 'link-vnet-app'
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
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

  resource zoneGroup 'privateDnsZoneGroups' = {
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: 'config1'
          properties: {
            privateDnsZoneId: usePlatformZone ? platformZone.id : zone.id
          }
        }
      ]
    }
  }
}
