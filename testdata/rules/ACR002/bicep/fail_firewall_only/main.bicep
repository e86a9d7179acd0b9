param location string = 'westeurope'

@description('Office and build agent ranges allowed through the registry firewall.')
param allowedIpRanges array = [
  '203.0.113.0/24'
  '198.51.100.17'
]

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Enabled'
    networkRuleSet: {
      defaultAction: 'Deny'
      ipRules: [for range in allowedIpRanges: {
        action: 'Allow'
        value: range
      }]
    }
    policies: {
      exportPolicy: {
        status: 'enabled'
      }
    }
  }
}
