targetScope = 'resourceGroup'

@allowed(['dev', 'prod'])
param environmentName string = 'dev'

@description('Optional. Registry names handed over by the platform; the first one is used.')
param registryNames array = []

param location string = resourceGroup().location

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: registryNames[?0] ?? 'contosoacr01'
  location: location
  sku: {
    name: 'Standard'
  }
  properties: {
    // Only production is closed, whatever the case of the environment name.
    publicNetworkAccess: environmentName =~ 'PROD' ? 'Disabled' : 'Enabled'
    anonymousPullEnabled: environmentName !~ 'Dev'
  }
}
