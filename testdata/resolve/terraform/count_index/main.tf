variable "registry_count" {
  type    = number
  default = 2
}

variable "create_legacy" {
  type    = bool
  default = false
}

# Two registries: the second one (index 1) is left public.
resource "azurerm_container_registry" "acr" {
  count = var.registry_count

  name                          = "contosoacr${count.index}"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = "Premium"
  public_network_access_enabled = count.index == 1
  export_policy_enabled         = count.index == 1
}

resource "azurerm_private_endpoint" "acr" {
  count = var.registry_count

  name                = "pe-acr${count.index}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-acr${count.index}"
    private_connection_resource_id = azurerm_container_registry.acr[count.index].id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}

# Not created: count = 0 gives no instance, so no finding.
resource "azurerm_container_registry" "legacy" {
  count = var.create_legacy ? 1 : 0

  name                = "contosolegacy"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  sku                 = "Basic"
  admin_enabled       = true
}

# A module called zero times contributes nothing.
module "unused" {
  source = "./unused"
  count  = 0
}
