module dns './does-not-exist.bicep' = {
  name: 'dns'
  params: {
    vnetId: resourceId('Microsoft.Network/virtualNetworks', 'vnet-app')
  }
}
