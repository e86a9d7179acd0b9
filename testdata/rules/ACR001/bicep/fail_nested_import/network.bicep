// Network settings shared by the team's templates; the access switch is the platform's.
import { publicAccess } from './policy.bicep'

@export()
var registryNetwork = {
  publicNetworkAccess: publicAccess
  networkRuleBypassOptions: 'AzureServices'
}
