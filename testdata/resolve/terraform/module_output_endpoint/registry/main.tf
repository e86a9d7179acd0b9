variable "name" {
  type = string
}

variable "location" {
  type = string
}

variable "resource_group" {
  type = string
}

resource "azurerm_container_registry" "this" {
  name                          = var.name
  resource_group_name           = var.resource_group
  location                      = var.location
  sku                           = "Standard"
  public_network_access_enabled = true
  admin_enabled                 = false
}

output "registry_id" {
  value = azurerm_container_registry.this.id
}
