// A module without a name: the compiler names its deployment from the symbol and a hash of the
// deployment's name, and findings name it by the symbol.
@description('Location of the registry.')
param location string = 'westeurope'

module containerRegistry './acr.bicep' = {
  params: {
    registryName: 'contosoacr01'
    location: location
  }
}
