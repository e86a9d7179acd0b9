resource "azurerm_container_registry" "acr" {
  name                = "contosoacr01"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}
