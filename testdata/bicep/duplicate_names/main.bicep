// Two declarations named `pe` (the compiler rejects it): the second is nested under the first
// and both name themselves after `pe`'s id. Lowering their ids went back and forth between the
// two, doubling at each step, until memory ran out.
resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-${pe.id}'
  location: 'westeurope'
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-${pe.id}'
  location: 'westeurope'
  parent: pe

  resource group 'privateDnsZoneGroups' = {
    name: 'default'
  }
}
