using './main.bicep'

// The dev environment keeps the public endpoint for developer laptops.
param publicNetworkAccess = 'Enabled'
