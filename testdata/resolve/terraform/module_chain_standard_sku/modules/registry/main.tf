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

variable "subnet_id" {
  type = string
}

variable "dns_zone_id" {
  type = string
}

resource "azurerm_container_registry" "this" {
  name                          = var.name
  resource_group_name           = var.resource_group
  location                      = var.location
  sku                           = var.sku
  public_network_access_enabled = false
  admin_enabled                 = false
  export_policy_enabled         = false
}

resource "azurerm_private_endpoint" "this" {
  name                = "pe-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group
  subnet_id           = var.subnet_id

  private_service_connection {
    name                           = "pe-${var.name}"
    private_connection_resource_id = azurerm_container_registry.this.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.dns_zone_id]
  }
}

output "id" {
  value = azurerm_container_registry.this.id
}
