// A resource whose name uses its own id (the compiler rejects it).
resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-${uniqueString(pe.id)}'
  location: 'westeurope'
}
