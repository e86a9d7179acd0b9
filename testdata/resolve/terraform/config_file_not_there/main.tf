# The configuration file is written by a pipeline step before plan: not in the repository, so
# what it holds is unknown, and said.
locals {
  config = yamldecode(file("${path.module}/generated/config.yaml"))
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  for_each                      = local.config.registries
  name                          = "contoso${each.key}"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = each.value.location
  sku                           = each.value.sku
  public_network_access_enabled = each.value.public
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}
