resource "azurerm_resource_group" "leaf" {
  name     = "rg-leaf"
  location = "westeurope"
}
