using './missing.bicep'

param publicNetworkAccess = 'Disabled'
