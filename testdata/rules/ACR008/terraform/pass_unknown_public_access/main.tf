resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public_network_access_enabled
  admin_enabled                 = false
  anonymous_pull_enabled        = false
}

variable "public_network_access_enabled" {
  description = "Whether the registry accepts public traffic."
  type        = bool
}
