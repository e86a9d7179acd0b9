locals {
  public = false
}

variable "sku" {
  default = "Basic"
}

resource "azurerm_container_registry" "dup" {
  name                          = "contosoacr03"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}

output "id" {
  value = "x"
}
