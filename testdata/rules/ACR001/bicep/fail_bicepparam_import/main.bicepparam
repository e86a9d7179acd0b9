using './main.bicep'

import { registrySettings } from './shared.bicep'

param publicNetworkAccess = registrySettings.publicNetworkAccess
