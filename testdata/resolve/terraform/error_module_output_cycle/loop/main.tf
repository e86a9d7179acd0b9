variable "public" {
  type = bool
}

resource "azurerm_container_registry" "this" {
  name                          = "contosoloop"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public
  admin_enabled                 = true
}

output "public" {
  value = var.public
}
