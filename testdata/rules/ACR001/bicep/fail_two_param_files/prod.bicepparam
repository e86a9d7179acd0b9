using './main.bicep'

param publicNetworkAccess = 'Disabled'
