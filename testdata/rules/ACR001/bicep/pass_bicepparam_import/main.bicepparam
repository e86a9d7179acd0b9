using './main.bicep'

import * as shared from './shared.bicep'

// Production: reachable only through the private endpoint.
param publicNetworkAccess = shared.access(contains(shared.publicEnvironments, 'prod'))
