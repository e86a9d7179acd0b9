locals {
  public = true
}

variable "sku" {
  default = "Premium"
}

resource "azurerm_container_registry" "dup" {
  name                          = "contosoacr02"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = var.sku
  public_network_access_enabled = local.public
}

output "id" {
  value = azurerm_container_registry.dup.id
}
