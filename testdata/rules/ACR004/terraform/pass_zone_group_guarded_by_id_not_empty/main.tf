data "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-hub-dns"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

locals {
  zone_id = data.azurerm_private_dns_zone.acr.id
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg-acr"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  # The optional-block idiom guarding against null and empty text: an id is neither, so the zone
  # group exists.
  dynamic "private_dns_zone_group" {
    for_each = local.zone_id == null || local.zone_id == "" ? [] : [1]
    content {
      name                 = "default"
      private_dns_zone_ids = [local.zone_id]
    }
  }
}
