/*
  The registry zone is created in the deployment's resource group; a module links a zone of the
  same name in rg-dns to the endpoint's network. Whether rg-dns is the deployment's group is known
  only at deployment: if it is, the zone is linked; if not, it is not.
*/
resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-app'
  location: 'westeurope'
  properties: {
    addressSpace: { addressPrefixes: [ '10.0.0.0/16' ] }
    subnets: [ { name: 'snet-pe', properties: { addressPrefix: '10.0.1.0/24' } } ]
  }
}
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: 'westeurope'
  sku: { name: 'Premium' }
  properties: { publicNetworkAccess: 'Disabled', adminUserEnabled: false, anonymousPullEnabled: false, policies: { exportPolicy: { status: 'disabled' } } }
}
resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.azurecr.io'
  location: 'global'
}
module link 'link.bicep' = {
  name: 'link'
  scope: resourceGroup('rg-dns')
  params: { vnetId: vnet.id }
}
resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-acr'
  location: 'westeurope'
  properties: {
    subnet: { id: vnet.properties.subnets[0].id }
    privateLinkServiceConnections: [ { name: 'acr', properties: { privateLinkServiceId: acr.id, groupIds: [ 'registry' ] } } ]
  }
  resource group 'privateDnsZoneGroups' = {
    name: 'default'
    properties: { privateDnsZoneConfigs: [ { name: 'acr', properties: { privateDnsZoneId: zone.id } } ] }
  }
}
