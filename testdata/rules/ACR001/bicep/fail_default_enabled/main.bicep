// A team registry with no network settings: public access defaults to Enabled.
@description('Suffix that makes the registry name unique.')
param suffix string = '01'

param location string = 'westeurope'

var registryName = 'contosoacr${suffix}'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: false
  }
}

output loginServer string = acr.properties.loginServer
