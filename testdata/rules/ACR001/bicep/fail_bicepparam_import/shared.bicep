// Registry settings shared by the parameter files of every environment.

var defaultAccess = 'Enabled'

@export()
@description('Settings of the team registries.')
var registrySettings = {
  sku: 'Premium'
  // The build agents outside the VNet still push over the public endpoint.
  publicNetworkAccess: defaultAccess
}
