/*
  The endpoint is placed in the shared network team's VNet `vnet-app`, in rg-network; the zone is
  linked to the `vnet-app` this template creates in the deployment's own resource group. Deployed
  to rg-network, the two are one VNet and the zone is linked; deployed anywhere else, the
  endpoint's VNet is not linked. Which one is known only at deployment.
*/
@description('Location of the registry, the network and the endpoint.')
param location string = 'westeurope'

resource sharedVnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {
  name: 'vnet-app'
  scope: resourceGroup('rg-network')

  resource peSubnet 'subnets' existing = {
    name: 'snet-pe'
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-app'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
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
      id: sharedVnet::peSubnet.id
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
