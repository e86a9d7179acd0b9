# Registry modules that `terraform init` has not downloaded: nothing is known about them.
module "registry" {
  source  = "Azure/avm-res-containerregistry-registry/azurerm"
  version = "0.4.0"

  name                = "contosoremote"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
}

module "settings" {
  source = "git::https://example.com/platform/acr-settings.git?ref=v1.2.0"
}

# The endpoint targets an output of the remote module: unknown, so no rule guesses about it.
resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = module.registry.resource_id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}

# Public access comes from the remote module's output: undetermined, visible with --show-unknown.
resource "azurerm_container_registry" "cache" {
  name                          = "contosocache"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = "Premium"
  public_network_access_enabled = module.settings.public_access
  export_policy_enabled         = false
}
