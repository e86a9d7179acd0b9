variable "public_access" {
  type    = bool
  default = false
}

variable "admin_enabled" {
  type    = bool
  default = true
}

variable "anonymous_pull" {
  type    = bool
  default = false
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosovars"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = "Premium"
  public_network_access_enabled = var.public_access
  admin_enabled                 = var.admin_enabled
  anonymous_pull_enabled        = var.anonymous_pull
}
