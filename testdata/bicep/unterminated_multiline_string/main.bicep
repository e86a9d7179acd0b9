@description('''
A description that never ends.
param location string = 'westeurope'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr02'
  location: location
}
