param government bool
param vnetId string

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' existing = {
  name: government ? 'privatelink.azurecr.us' : 'privatelink.azurecr.io'
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
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
