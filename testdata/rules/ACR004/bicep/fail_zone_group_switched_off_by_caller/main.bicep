@description('Location of the registry, the network and the endpoint.')
param location string = 'westeurope'

// Empty: the module creates no DNS zone group. This default is the mistake, written in this
// file only, so a run on this file alone (a commit hook) must report it.
@description('Resource id of the central privatelink.azurecr.io zone; empty for none.')
param registryZoneId string = ''

module registry './registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    registryZoneId: registryZoneId
  }
}
