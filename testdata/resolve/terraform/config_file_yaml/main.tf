# The registries come from a YAML file beside the module: yamldecode(file(...)), anchors and
# merge keys. "legacy" overrides the default SKU and opens public access.
locals {
  config = yamldecode(file("${path.module}/config.yaml"))
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
