/*
  The spoke network exists already (the network team made it, with its DNS servers); the zone
  this template creates is linked to the hub. Whether the spoke resolves through the hub is
  decided by its DNS servers, which are in Azure, not here: undetermined, not a finding.
*/
@description('The spoke network, which the network team created.')
type spokeNetwork = {
  name: string
  subnet: string
}

param spokeNet spokeNetwork = {
  name: 'vnet-spoke'
  subnet: 'snet-pe'
}

resource spoke 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {
  name: spokeNet.name

  resource peSubnet 'subnets' existing = {
    name: spokeNet.subnet
  }
}

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: 'westeurope'
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

  resource hubLink 'virtualNetworkLinks' = {
    name: 'link-vnet-hub'
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: resourceId('rg-hub', 'Microsoft.Network/virtualNetworks', 'vnet-hub')
      }
    }
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-acr'
  location: 'westeurope'
  properties: {
    subnet: {
      id: spoke::peSubnet.id
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
