variable "prefix" {
  description = "Prefix of every name, with hyphens (`contoso-prod`); registry names have none."
  type        = string
}

variable "vnet_id" {
  description = "The spoke VNet, whose subnet `pe` holds the endpoint."
  type        = string
}

resource "azurerm_container_registry" "acr" {
  name                          = "acr${replace(var.prefix, "-", "")}"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg-acr"
  subnet_id           = "${var.vnet_id}/subnets/pe"

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-acr"
}

resource "azurerm_private_dns_zone_virtual_network_link" "spoke" {
  name                  = "spoke"
  resource_group_name   = "rg-acr"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = var.vnet_id
}

# Manual DNS: the login-server record is named after the registry itself.
# There is no record for the data endpoint <registry>.westeurope.data.
resource "azurerm_private_dns_a_record" "login" {
  name                = azurerm_container_registry.acr.name
  zone_name           = azurerm_private_dns_zone.acr.name
  resource_group_name = "rg-acr"
  ttl                 = 300
  records             = [azurerm_private_endpoint.acr.private_service_connection[0].private_ip_address]
}
