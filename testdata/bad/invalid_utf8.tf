resource "azurerm_resource_group" "rg" {
  name     = "rg-café"
  location = "westeurope€"
}
