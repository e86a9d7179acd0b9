/*
  Registry behind a private endpoint, in the public cloud or Azure Government as a parameter
  says. One module creates the registry zone in rg-dns, unlinked, and the endpoint uses it;
  another creates a zone of the same name in rg-shared and links that one to the endpoint's
  network. Whatever the cloud, the endpoint's zone is not linked.
*/
@description('Deploy to Azure Government.')
param government bool

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

module dns './zone.bicep' = {
  name: 'dns'
  scope: resourceGroup('rg-dns')
  params: {
    government: government
    vnetId: vnet.id
    linked: false
  }
}

module shared './zone.bicep' = {
  name: 'shared'
  scope: resourceGroup('rg-shared')
  params: {
    government: government
    vnetId: vnet.id
    linked: true
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
}

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: pe
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'config1'
        properties: {
          privateDnsZoneId: dns.outputs.zoneId
        }
      }
    ]
  }
}
