type environmentName = 'dev' | 'prod'

@description('Builds the registry name from the company prefix and the environment.')
func registryName(prefix string, env environmentName) string => toLower('${prefix}acr${env}')

param location string = 'westeurope'

param environment environmentName = 'prod'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: registryName('Contoso', environment)
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
    }
  }
}
