# The registry's settings come from data files: a commit that changes only one of them changes
# what is deployed.
locals {
  registry = yamldecode(file("${path.module}/config/registry.yaml"))
  access   = jsondecode(file("${path.module}/config/access.json"))
}

resource "azurerm_resource_group" "acr" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = azurerm_resource_group.acr.name
  location                      = azurerm_resource_group.acr.location
  sku                           = "Premium"
  public_network_access_enabled = local.registry.public_network_access
  admin_enabled                 = local.access.admin_enabled
}
