variable "zone_name" {
  type = string
}

variable "rg_name" {
  type = string
}

variable "vnet_id" {
  type = string
}

resource "azurerm_private_dns_zone" "this" {
  name                = var.zone_name
  resource_group_name = var.rg_name
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  name                  = "link"
  resource_group_name   = var.rg_name
  private_dns_zone_name = azurerm_private_dns_zone.this.name
  virtual_network_id    = var.vnet_id
}

output "zone_id" {
  value = azurerm_private_dns_zone.this.id
}
