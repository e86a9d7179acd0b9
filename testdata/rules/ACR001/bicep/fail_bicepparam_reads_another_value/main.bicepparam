using './main.bicep'

param environmentName = 'dev'

// Values may read other values of the file: only production closes the public endpoint.
param publicNetworkAccess = environmentName == 'prod' ? 'Disabled' : 'Enabled'
