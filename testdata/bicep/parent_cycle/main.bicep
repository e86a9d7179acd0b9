// Two zones, each the other's parent: the compiler rejects it.
resource a 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.azurecr.io'
  location: 'global'
  parent: b
}

resource b 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'example.com'
  location: 'global'
  parent: a
}
