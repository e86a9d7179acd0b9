param government bool

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: government ? 'privatelink.azurecr.us' : 'privatelink.azurecr.io'
  location: 'global'
}

output zoneId string = zone.id
