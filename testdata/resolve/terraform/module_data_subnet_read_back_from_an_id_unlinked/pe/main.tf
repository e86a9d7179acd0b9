variable "subnet_id" {
  type = string
}
variable "registry_id" {
  type = string
}
variable "zone_id" {
  type = string
}

data "azurerm_subnet" "pe" {
  name                 = split("/", var.subnet_id)[length(split("/", var.subnet_id)) - 1]
  virtual_network_name = split("/", var.subnet_id)[8]
  resource_group_name  = split("/", var.subnet_id)[4]
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = data.azurerm_subnet.pe.resource_group_name
  subnet_id           = data.azurerm_subnet.pe.id

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
