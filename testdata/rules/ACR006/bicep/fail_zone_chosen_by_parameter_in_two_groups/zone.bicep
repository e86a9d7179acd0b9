@description('Deploy to Azure Government.')
param government bool

@description('VNet that the zone is linked to, when linked.')
param vnetId string

@description('Whether to link the zone.')
param linked bool

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: government ? 'privatelink.azurecr.us' : 'privatelink.azurecr.io'
  location: 'global'
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = if (linked) {
  parent: zone
  name: 'link-vnet-app'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnetId
    }
  }
}

output zoneId string = zone.id
