using './main.bicep'

// Production: reachable only through the private endpoint.
param publicNetworkAccess = 'Disabled'
