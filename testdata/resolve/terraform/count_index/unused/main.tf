resource "azurerm_container_registry" "this" {
  name                = "contosounused"
  resource_group_name = "rg-unused"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
}
