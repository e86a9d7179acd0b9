/*
  Both networks exist already and are named by one object parameter. The endpoint is in the
  spoke, the zone is linked to the hub: two members of one input, which may or may not be the
  same network: undetermined, neither a pass taken from the shared parameter nor a finding.
*/
@description('Location of the registry and the endpoint.')
param location string = 'westeurope'

@description('Names of the existing hub and spoke networks.')
param network object

resource hub 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {
  name: network.hubVnet
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {
  name: network.spokeVnet

  resource subnet 'subnets@2024-05-01' existing = {
    name: 'snet-pe'
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

  resource link 'virtualNetworkLinks@2024-06-01' = {
    name: 'link-app'
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: hub.id
      }
    }
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-acr'
  location: location
  properties: {
    subnet: {
      id: vnet::subnet.id
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

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: pe
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
