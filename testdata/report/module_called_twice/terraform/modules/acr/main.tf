variable "name" { type = string }
resource "azurerm_container_registry" "this" {
  name                = var.name
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}
