@description('VNet that the zone is linked to.')
param vnetId string

@description('Name of the link.')
param linkName string

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.azurecr.io'
  location: 'global'

  resource link 'virtualNetworkLinks@2024-06-01' = {
    name: linkName
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnetId
      }
    }
  }
}

output zoneId string = zone.id
