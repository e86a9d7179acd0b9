// The quickstarts' idiom: a module deployment named with a hash of the resource group, so that
// deployments to several groups do not collide.
@description('Location of the registry.')
param location string = 'westeurope'

var uniqueSuffix = substring(uniqueString(resourceGroup().id), 0, 4)

module containerRegistry './acr.bicep' = {
  name: 'cr${uniqueSuffix}-deployment'
  params: {
    registryName: 'cr${uniqueSuffix}'
    location: location
  }
}
