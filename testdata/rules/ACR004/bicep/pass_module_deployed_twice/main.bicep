resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-app'
  location: 'westeurope'
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

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.azurecr.io'
  location: 'global'
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: zone
  name: 'link-vnet-app'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

// The same module deployed twice, one after the other, to show that a second deployment changes
// nothing (the AVM test idiom): the same registry, endpoint and zone group, deployed again.
@batchSize(1)
module registry './registry.bicep' = [for iteration in ['init', 'idem']: {
  name: 'registry-${iteration}'
  params: {
    subnetId: '${vnet.id}/subnets/snet-pe'
    zoneId: zone.id
  }
}]
