resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg"
}

resource "azurerm_private_dns_zone_virtual_network_link" "acr" {
  name                  = "acr"
  resource_group_name   = "rg"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = join("/", slice(split("/", var.subnet_id), 0, 9))
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = var.subnet_id

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = var.registry_id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

variable "subnet_id" {
  description = "The subnet of the endpoint; the zone is linked to its VNet."
  type        = string
}

variable "registry_id" { type = string }
