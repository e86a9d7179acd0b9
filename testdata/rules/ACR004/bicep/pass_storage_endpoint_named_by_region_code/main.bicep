/*
  A storage account behind a private endpoint, as Mission Landing Zone writes it: named with a
  region code picked from the deployment's region, its sub-resource read from the DNS zone it is
  given. Neither is known before deployment, but the endpoint targets a storage account, not a
  registry: no registry rule applies, and nothing is undetermined.
*/
@description('Resource id of the private DNS zone of the sub-resource (privatelink.blob.core.windows.net).')
param blobZoneId string

@description('Subnet of the private endpoint.')
param subnetId string

@description('Location of the storage account and the endpoint.')
param location string = resourceGroup().location

var directionShortNames = {
  east: 'e'
  north: 'n'
  south: 's'
  west: 'w'
}
var regionCode = directionShortNames[skip(location, length(location) - 4)]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stlogs${regionCode}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-stlogs'
  location: location
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-stlogs'
        properties: {
          privateLinkServiceId: storage.id
          groupIds: [
            split(split(blobZoneId, '/')[8], '.')[1]
          ]
        }
      }
    ]
  }

  resource zoneGroup 'privateDnsZoneGroups' = {
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: 'config1'
          properties: {
            privateDnsZoneId: blobZoneId
          }
        }
      ]
    }
  }
}
