// Settings shared by the parameter files of every environment.

@export()
@description('Environments whose registry keeps a public endpoint.')
var publicEnvironments = [
  'dev'
]

@export()
@description('Public network access of a registry.')
func access(isPublic bool) string => isPublic ? 'Enabled' : 'Disabled'
