/*
  Networks named after a short code of the deployment's region, read from a table of region
  records. The zone is linked to the hub network only; the endpoint is in the application's.
  Whatever the region, the two names differ, so the endpoint's network is not linked.
*/
@description('Location of the registry, the networks and the endpoint.')
param location string = resourceGroup().location

var regions = {
  westeurope: {
    short: 'weu'
    pair: 'northeurope'
  }
  northeurope: {
    short: 'neu'
    pair: 'westeurope'
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-app-${regions[location].short}'
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

resource hubVnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-hub-${regions[location].short}'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.10.0.0/16'
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
    name: 'link-hub'
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: hubVnet.id
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
            privateDnsZoneId: zone.id
          }
        }
      ]
    }
  }
}
