resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                   = "contosoacr01"
  resource_group_name    = azurerm_resource_group.rg.name
  location               = "westeurope"
  sku                    = "Standard"
  admin_enabled          = false
  anonymous_pull_enabled = false

  network_rule_set {
    default_action = "Deny"

    ip_rule {
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }
  }
}
