// Company-wide registry settings, shared by every team's template.

@export()
@description('Settings a team may override.')
type registrySettings = {
  sku: 'Basic' | 'Standard' | 'Premium'
  anonymousPullEnabled: bool
}

@export()
var registryDefaults = {
  sku: 'Premium'
  anonymousPullEnabled: true // the partners pull the public base images
}
