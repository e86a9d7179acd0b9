// A subscription deployment creates the resource group and deploys the registry into it by
// using the resource group itself as the module's scope.
targetScope = 'subscription'

@description('Location of the resource group and the registry.')
param location string = 'westeurope'

resource registryRg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-registry'
  location: location
}

module registry './acr.bicep' = {
  name: 'registry'
  scope: registryRg
  params: {
    location: location
  }
}
