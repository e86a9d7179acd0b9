// The Azure Developer CLI's layout: main.parameters.json beside main.bicep gives its values; one
// of them decides whether the registry module is deployed at all.
param flavor string

module registry 'modules/registry.bicep' = if (flavor == 'basic') {
  name: 'registry'
}
