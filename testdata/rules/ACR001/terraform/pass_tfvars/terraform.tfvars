public_network_access_enabled = false
