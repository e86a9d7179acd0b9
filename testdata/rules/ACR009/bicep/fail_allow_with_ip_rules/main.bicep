param location string = 'westeurope'

@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string = 'dev'

@description('Set to true once the office ranges are final.')
param restrictToOffices bool = false

var publicAccess = contains(['dev', 'test'], environmentName) ? 'Enabled' : 'Disabled'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: publicAccess
    networkRuleSet: {
      defaultAction: restrictToOffices ? 'Deny' : 'Allow'
      ipRules: [
        {
          action: 'Allow'
          value: '203.0.113.0/24'
        }
      ]
    }
  }
}
