@description('Location of every resource: the resource group\'s, known at deployment.')
param location string = resourceGroup().location

@description('Workload name, part of every resource name.')
param workload string = 'shop'

// The naming convention: a resource type token, the workload and the region's short code.
var regionCodes = {
  westeurope: 'weu'
  northeurope: 'neu'
  swedencentral: 'sdc'
}
var token = 'RES_TYPE'
var namingBase = '${token}-${workload}-${regionCodes[toLower(location)]}'
var vnetName = replace(namingBase, token, 'vnet')

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
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

module dns './dns.bicep' = {
  name: 'dns'
  params: {
    subnetId: '${vnet.id}/subnets/snet-pe'
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-acr'
  location: location
  properties: {
    subnet: {
      id: '${vnet.id}/subnets/snet-pe'
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
