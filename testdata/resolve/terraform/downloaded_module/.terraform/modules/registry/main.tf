variable "name" {
  type = string
}

variable "sku" {
  type    = string
  default = "Premium"
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
  sku                           = var.sku
  public_network_access_enabled = false
  export_policy_enabled         = false
}

output "id" {
  value = azurerm_container_registry.this.id
}
