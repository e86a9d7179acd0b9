variable "vnet_id" {
  type = string
}
variable "registry_id" {
  type = string
}
variable "zone_id" {
  type = string
}

locals {
  vnet_name      = split("/", var.vnet_id)[8]
  resource_group = element(split("/", var.vnet_id), 4)
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = local.resource_group
  virtual_network_name = local.vnet_name
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-${basename(var.registry_id)}"
  location            = "westeurope"
  resource_group_name = local.resource_group
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = var.registry_id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.zone_id]
  }
}
