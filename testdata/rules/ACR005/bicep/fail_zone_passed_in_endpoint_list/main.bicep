@description('Location of the registry and its endpoint.')
param location string = 'westeurope'

// The endpoints go to the module as a list of objects, as Azure Verified Modules take them. The
// zone given here is the blob zone, not the registry's: the mistake is in this file, and a run
// on this file alone (a commit hook) must report it.
module registry './registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    privateEndpoints: [
      {
        subnetResourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe'
        privateDnsZoneResourceIds: [
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net'
        ]
      }
    ]
  }
}
