@description('Subnet of the private endpoints: the zone is linked to its VNet.')
param subnetId string

// The VNet's id and name, taken apart from the subnet's id.
var vnetId = split(subnetId, '/subnets/')[0]

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.azurecr.io'
  location: 'global'

  resource link 'virtualNetworkLinks@2024-06-01' = {
    name: 'link-${last(split(vnetId, '/'))}'
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
