// The registry takes its network settings from a shared file, which imports the access switch
// from another one: the value is two imports away.
import { registryNetwork } from './network.bicep'

@description('Location of the registry.')
param location string = 'westeurope'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr07'
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: registryNetwork.publicNetworkAccess
    networkRuleBypassOptions: registryNetwork.networkRuleBypassOptions
    adminUserEnabled: false
  }
}
