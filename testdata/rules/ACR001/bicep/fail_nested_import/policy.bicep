// The platform team's one switch for public access, read by every shared setting.

@export()
@description('Whether registries answer on their public endpoint.')
var publicAccess = 'Enabled'
