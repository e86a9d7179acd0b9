# The registry zone is the hub's, in another configuration: the records are written into it
# by name.
resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe"

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_dns_a_record" "login" {
  name                = "contosoacr01"
  zone_name           = "privatelink.azurecr.io"
  resource_group_name = "rg-dns-hub"
  ttl                 = 300
  records             = [azurerm_private_endpoint.acr.private_service_connection[0].private_ip_address]
}

resource "azurerm_private_dns_a_record" "data" {
  name                = "contosoacr01.westeurope.data"
  zone_name           = "privatelink.azurecr.io"
  resource_group_name = "rg-dns-hub"
  ttl                 = 300
  records             = ["10.0.1.5"]
}
